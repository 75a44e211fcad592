package dev.cairn.client;

import java.util.Map;

/** The caller is known but their role (or grant on the model) does not allow the request (HTTP 403); nothing changed. */
public class PermissionDeniedException extends CairnException {
    private static final long serialVersionUID = 1L;
    static final String CODE = "PERMISSION_DENIED";

    public PermissionDeniedException(int httpStatus, String message, Map<String, Object> details) {
        super(CODE, httpStatus, message, details, null);
    }
}
