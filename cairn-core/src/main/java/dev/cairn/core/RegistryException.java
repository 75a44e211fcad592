package dev.cairn.core;

import java.util.Map;

/** The one exception type of the registry: a code a caller can act on and a message a person can read. */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final Map<String, Object> details;

    public RegistryException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public RegistryException(ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(ErrorCode.NOT_FOUND, message);
    }

    /**
     * A missing thing, with details naming what was looked for: {@code resource} (model, version, tag or alias) and
     * the {@code model}, {@code version}, {@code key} or {@code alias} asked for, so an API can word its own message.
     */
    public static RegistryException notFound(String message, Map<String, Object> details) {
        return new RegistryException(ErrorCode.NOT_FOUND, message, details, null);
    }

    public static RegistryException unauthenticated(String message) {
        return new RegistryException(ErrorCode.UNAUTHENTICATED, message);
    }

    public static RegistryException permissionDenied(String message) {
        return new RegistryException(ErrorCode.PERMISSION_DENIED, message);
    }

    public static RegistryException alreadyExists(String message) {
        return new RegistryException(ErrorCode.ALREADY_EXISTS, message);
    }

    public static RegistryException precondition(String message) {
        return new RegistryException(ErrorCode.FAILED_PRECONDITION, message);
    }

    public static RegistryException tooLarge(String message) {
        return new RegistryException(ErrorCode.PAYLOAD_TOO_LARGE, message);
    }
}
