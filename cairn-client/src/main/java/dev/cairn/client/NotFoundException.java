package dev.cairn.client;

import java.util.Map;

/** The model, version, alias, file or reference does not exist (HTTP 404). */
public class NotFoundException extends CairnException {
    private static final long serialVersionUID = 1L;
    static final String CODE = "NOT_FOUND";

    public NotFoundException(int httpStatus, String message, Map<String, Object> details) {
        super(CODE, httpStatus, message, details, null);
    }
}
