package dev.cairn.client;

import java.util.Map;

/**
 * The request is valid but the registry's current state refuses it (HTTP 409): the thing already exists
 * ({@code ALREADY_EXISTS}), or a precondition does not hold ({@code FAILED_PRECONDITION}), such as deleting a model
 * whose version serves Production. A promotion refused by policy is the subclass {@link PolicyBlockedException}.
 */
public class ConflictException extends CairnException {
    private static final long serialVersionUID = 1L;
    static final String ALREADY_EXISTS = "ALREADY_EXISTS";
    static final String FAILED_PRECONDITION = "FAILED_PRECONDITION";

    public ConflictException(String code, int httpStatus, String message, Map<String, Object> details) {
        super(code, httpStatus, message, details, null);
    }
}
