package dev.cairn.core;

/** The kinds of failure a caller can tell apart. Each owns its HTTP status, mapped in one place by the server. */
public enum ErrorCode {
    INVALID_ARGUMENT(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    NOT_FOUND(404),
    ALREADY_EXISTS(409),
    /** The request is well formed but the registry's current state forbids it. */
    FAILED_PRECONDITION(409),
    PAYLOAD_TOO_LARGE(413),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
