package dev.cairn.core.source;

/**
 * Where an MLflow model version's files are, read from its source URI: files of a run ({@code runs:/<run>/<path>}),
 * files in Cairn's proxied-artifact index ({@code mlflow-artifacts:/<path>}), the files of another version
 * ({@code models:/<name>/<version>}), or somewhere Cairn cannot read ({@code s3://...}, {@code https://...}, ...).
 */
public sealed interface ArtifactSource {
    String SCHEME = "mlflow-artifacts:";

    /** {@code path} is relative to the run's artifact root, "" for the root itself. */
    record RunArtifacts(String runId, String path) implements ArtifactSource {}

    /** {@code path} is a key of the artifact index (the part after {@code mlflow-artifacts:/}), without slashes around. */
    record Indexed(String path) implements ArtifactSource {}

    record ModelFiles(String model, int version) implements ArtifactSource {}

    record External(String uri) implements ArtifactSource {}

    static ArtifactSource parse(String source) {
        if (source == null) {
            return new External(null);
        }
        if (source.startsWith("runs:/")) {
            String rest = trim(source.substring("runs:/".length()));
            int slash = rest.indexOf('/');
            String run = slash < 0 ? rest : rest.substring(0, slash);
            return run.isEmpty() ? new External(source) : new RunArtifacts(run, slash < 0 ? "" : trim(rest.substring(slash)));
        }
        String indexed = indexPath(source);
        if (indexed != null) {
            return new Indexed(indexed);
        }
        if (source.startsWith("models:/")) {
            String rest = trim(source.substring("models:/".length()));
            int slash = rest.lastIndexOf('/');
            if (slash > 0 && rest.substring(slash + 1).matches("[0-9]{1,9}")) {
                return new ModelFiles(rest.substring(0, slash), Integer.parseInt(rest.substring(slash + 1)));
            }
        }
        return new External(source);
    }

    /**
     * The index key of an {@code mlflow-artifacts:} URI, without slashes around ({@code mlflow-artifacts:/1/abc/artifacts}
     * → {@code 1/abc/artifacts}; a {@code //host:port} authority is dropped); null for any other URI.
     */
    static String indexPath(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            return null;
        }
        String rest = uri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return trim(rest);
    }

    private static String trim(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
