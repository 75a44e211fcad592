package dev.cairn.client;

import java.util.Map;

/** A downloaded file did not hash to the sha256 of its manifest; nothing was written to the target path. */
public class ChecksumMismatchException extends CairnException {
    private static final long serialVersionUID = 1L;
    public static final String CODE = "CHECKSUM_MISMATCH";

    public ChecksumMismatchException(String message) {
        super(CODE, 0, message, Map.of(), null);
    }
}
