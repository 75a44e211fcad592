package dev.cairn.client;

import java.util.Map;

/**
 * A request the Cairn server refused, or that could not be completed. {@link #code()} is the server's error code
 * ({@code NOT_FOUND}, {@code INVALID_ARGUMENT}, ...) and {@link #httpStatus()} its HTTP status, 0 when the failure
 * happened on this side (no answer, or a download that did not match its checksum).
 */
public class CairnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;
    private final transient Map<String, Object> details;

    public CairnException(String code, int httpStatus, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code details} object of the error body; empty when the server sent none. */
    public Map<String, Object> details() {
        return details;
    }

    /** The exception for an error body, picking the subclass a caller can catch for its code. */
    public static CairnException of(String code, int httpStatus, String message, Map<String, Object> details) {
        return switch (code) {
            case NotFoundException.CODE -> new NotFoundException(httpStatus, message, details);
            case InvalidArgumentException.CODE -> new InvalidArgumentException(httpStatus, message, details);
            case UnauthenticatedException.CODE -> new UnauthenticatedException(httpStatus, message, details);
            case PermissionDeniedException.CODE -> new PermissionDeniedException(httpStatus, message, details);
            case ConflictException.FAILED_PRECONDITION -> PolicyBlockedException.isPolicyBlock(details)
                    ? new PolicyBlockedException(httpStatus, message, details)
                    : new ConflictException(code, httpStatus, message, details);
            case ConflictException.ALREADY_EXISTS -> new ConflictException(code, httpStatus, message, details);
            default -> new CairnException(code, httpStatus, message, details, null);
        };
    }
}
