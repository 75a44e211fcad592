package dev.cairn.client;

import java.util.Map;

/** The request itself is wrong: a malformed name, reference, path or value (HTTP 400, or refused before sending). */
public class InvalidArgumentException extends CairnException {
    private static final long serialVersionUID = 1L;
    static final String CODE = "INVALID_ARGUMENT";

    public InvalidArgumentException(int httpStatus, String message, Map<String, Object> details) {
        super(CODE, httpStatus, message, details, null);
    }
}
