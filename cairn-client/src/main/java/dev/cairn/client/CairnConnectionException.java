package dev.cairn.client;

import java.util.Map;

/** The server could not be reached or did not answer in time; nothing is known about whether a write happened. */
public class CairnConnectionException extends CairnException {
    private static final long serialVersionUID = 1L;
    public static final String CODE = "UNREACHABLE";

    public CairnConnectionException(String message, Throwable cause) {
        super(CODE, 0, message, Map.of(), cause);
    }
}
