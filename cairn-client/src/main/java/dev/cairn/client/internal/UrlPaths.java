package dev.cairn.client.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of path segments and query values (URLEncoder alone writes spaces as '+', wrong in a path). */
public final class UrlPaths {
    private UrlPaths() {}

    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Encodes each segment of a slash-separated artifact path, keeping the slashes. */
    public static String path(String artifactPath) {
        StringBuilder out = new StringBuilder();
        for (String part : artifactPath.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment(part));
        }
        return out.toString();
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
