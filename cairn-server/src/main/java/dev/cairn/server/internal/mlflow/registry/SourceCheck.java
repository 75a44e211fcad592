package dev.cairn.server.internal.mlflow.registry;

import dev.cairn.core.RegistryException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * MLflow's security checks on a model version's source (spec §3.13). A local path would be accepted by MLflow only
 * inside the run's local artifact directory; Cairn's runs keep their artifacts in Cairn ({@code mlflow-artifacts:}),
 * so no local path qualifies. Any other URI must not climb out of its directory once URL-decoded.
 */
final class SourceCheck {
    /** A URI scheme; one letter is a Windows drive, so "C:\\models" counts as a local path. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

    private SourceCheck() {}

    static void check(String source) {
        if (!SCHEME.matcher(source).find() || source.regionMatches(true, 0, "file:", 0, 5)) {
            throw RegistryException.invalid("Invalid model version source: '" + source + "'. To use a local path as a "
                    + "model version source, the run_id request parameter has to be specified and the local path has to "
                    + "be contained within the artifact directory of the run specified by the run_id.");
        }
        String decoded = source;
        for (int i = 0; i < 10; i++) {
            String next;
            try {
                next = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                break;
            }
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        String path = decoded.substring(decoded.indexOf(':') + 1);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        boolean climbs = false;
        for (String segment : path.split("[/\\\\]")) {
            climbs |= segment.equals("..") || segment.equals(".");
        }
        if (climbs || decoded.indexOf('\0') >= 0) {
            throw RegistryException.invalid("Invalid model version source: '" + source + "'. If supplying a source as "
                    + "an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must "
                    + "be provided without relative path references present. Please provide an absolute path.");
        }
    }
}
