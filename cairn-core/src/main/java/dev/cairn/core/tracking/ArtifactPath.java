package dev.cairn.core.tracking;

import dev.cairn.core.RegistryException;

/**
 * Paths in the proxied-artifact namespace, checked as MLflow checks them (spec §6): relative, no "..", no backslash,
 * no "#". Empty segments are dropped, so "a//b/" names the same place as "a/b".
 */
public final class ArtifactPath {
    /** Where the registry publishes committed versions; MLflow clients may read there but never write. */
    public static final String RESERVED = "_cairn/";

    private ArtifactPath() {}

    /** The normalised path; "" is the root. */
    public static String of(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        if (path.contains("\\") || path.contains("#") || path.indexOf('\0') >= 0 || path.startsWith("/")
                || (path.length() > 1 && path.charAt(1) == ':')) {
            throw invalid();
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw invalid();
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /** A path that names a file: not the root. */
    public static String file(String path) {
        String normal = of(path);
        if (normal.isEmpty()) {
            throw invalid();
        }
        return normal;
    }

    /** The prefix every path inside directory {@code dir} starts with: "" for the root, else "dir/". */
    public static String dirPrefix(String dir) {
        return dir.isEmpty() ? "" : dir + "/";
    }

    static RegistryException invalid() {
        return RegistryException.invalid("Invalid path");
    }
}
