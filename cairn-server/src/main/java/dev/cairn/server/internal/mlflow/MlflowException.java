package dev.cairn.server.internal.mlflow;

/**
 * An MLflow error with a code that has no counterpart in Cairn's {@link dev.cairn.core.ErrorCode}, such as
 * NOT_IMPLEMENTED (501) or MLflow's INTERNAL_ERROR for a request it refuses with a 500.
 */
public final class MlflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final int status;

    public MlflowException(String errorCode, int status, String message) {
        super(message);
        this.errorCode = errorCode;
        this.status = status;
    }

    public String errorCode() {
        return errorCode;
    }

    public int status() {
        return status;
    }
}
