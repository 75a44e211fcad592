package dev.cairn.client;

import java.util.Map;

/** The server did not accept the caller's credentials (HTTP 401): no token, or a malformed, unknown, expired or revoked one. */
public class UnauthenticatedException extends CairnException {
    private static final long serialVersionUID = 1L;
    static final String CODE = "UNAUTHENTICATED";

    public UnauthenticatedException(int httpStatus, String message, Map<String, Object> details) {
        super(CODE, httpStatus, message, details, null);
    }
}
