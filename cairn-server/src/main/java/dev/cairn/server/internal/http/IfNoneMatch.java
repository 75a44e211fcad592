package dev.cairn.server.internal.http;

/** The {@code If-None-Match} test of RFC 9110: a list of (possibly weak) entity tags, or {@code *}. */
public final class IfNoneMatch {
    private IfNoneMatch() {}

    /** Whether {@code header} names {@code etag} (a quoted strong tag), so the client's copy is current. */
    public static boolean matches(String header, String etag) {
        if (header == null || header.isEmpty()) {
            return false;
        }
        if (header.equals(etag)) {
            return true;
        }
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
