package dev.cairn.cli;

/**
 * A failure with what the command was doing in front of its reason ("upload of 'model.onnx' failed: ..."); the exit
 * status is still that of the underlying cause.
 */
public final class StepFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StepFailed(String step, RuntimeException cause) {
        super(step + ": " + cause.getMessage(), cause);
    }

    /** The failure that decides the exit status: the cause of a {@code StepFailed}, else the failure itself. */
    static Throwable cause(Throwable failure) {
        return failure instanceof StepFailed && failure.getCause() != null ? failure.getCause() : failure;
    }
}
