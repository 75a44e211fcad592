package dev.cairn.core.model;

import dev.cairn.core.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** The input rules of DESIGN.md §1, each failing with a message that names what was wrong. */
public final class Validate {
    public static final int MAX_MODEL_NAME = 256;
    public static final int MAX_DESCRIPTION = 10_000;
    public static final int MAX_KEY = 250;
    public static final int MAX_TAG_VALUE = 5_000;
    public static final int MAX_PARAM_VALUE = 6_000;
    public static final int MAX_ENTRIES = 1_000;
    public static final int MAX_PATH_BYTES = 1_024;
    public static final int MAX_TEXT = 2_048;
    public static final int MAX_SIGNATURE = 1_000_000;

    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final Pattern VERSION_LIKE = Pattern.compile("v\\d+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHORT_DIGEST = Pattern.compile("[A-Za-z0-9:._-]{1,128}");

    private Validate() {}

    public static String modelName(String name) {
        if (name == null || name.isEmpty()) {
            throw RegistryException.invalid("model name must not be empty");
        }
        if (name.length() > MAX_MODEL_NAME) {
            throw RegistryException.invalid("model name is " + name.length() + " characters long; the limit is " + MAX_MODEL_NAME);
        }
        if (name.indexOf('/') >= 0) {
            throw RegistryException.invalid("model name '" + name + "' must not contain '/'");
        }
        if (hasControl(name)) {
            throw RegistryException.invalid("model name must not contain control characters");
        }
        if (Character.isWhitespace(name.charAt(0)) || Character.isWhitespace(name.charAt(name.length() - 1))) {
            throw RegistryException.invalid("model name '" + name + "' must not start or end with a space");
        }
        return name;
    }

    public static String alias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw RegistryException.invalid("invalid alias '" + alias
                    + "': an alias is a lower-case letter followed by up to 63 of a-z, 0-9, '_' and '-'");
        }
        if (alias.equals("latest") || VERSION_LIKE.matcher(alias).matches()) {
            throw RegistryException.invalid("alias '" + alias + "' is reserved: 'latest' and v<digits> name versions");
        }
        return alias;
    }

    public static String description(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw RegistryException.tooLarge("description is " + description.length() + " characters long; the limit is " + MAX_DESCRIPTION);
        }
        return description == null ? "" : description;
    }

    public static void tag(String key, String value) {
        key("tag key", key);
        if (value == null) {
            throw RegistryException.invalid("tag '" + key + "' has no value");
        }
        if (value.length() > MAX_TAG_VALUE) {
            throw RegistryException.tooLarge("value of tag '" + key + "' is " + value.length() + " characters long; the limit is " + MAX_TAG_VALUE);
        }
    }

    public static Map<String, String> tags(Map<String, String> tags) {
        entries("tags", tags);
        tags.forEach(Validate::tag);
        return Map.copyOf(tags);
    }

    public static Map<String, Double> metrics(Map<String, Double> metrics) {
        entries("metrics", metrics);
        metrics.forEach((name, value) -> {
            key("metric name", name);
            if (value == null) {
                throw RegistryException.invalid("metric '" + name + "' has no value");
            }
        });
        return Map.copyOf(metrics);
    }

    public static Map<String, String> params(Map<String, String> params) {
        entries("params", params);
        params.forEach((name, value) -> {
            key("param name", name);
            if (value == null) {
                throw RegistryException.invalid("param '" + name + "' has no value");
            }
            if (value.length() > MAX_PARAM_VALUE) {
                throw RegistryException.tooLarge("value of param '" + name + "' is " + value.length() + " characters long; the limit is " + MAX_PARAM_VALUE);
            }
        });
        return Map.copyOf(params);
    }

    /** A short free-text field such as a format, a source or a commit. */
    public static String text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw RegistryException.tooLarge(field + " is " + value.length() + " characters long; the limit is " + MAX_TEXT);
        }
        if (value != null && hasControl(value)) {
            throw RegistryException.invalid(field + " must not contain control characters");
        }
        return value;
    }

    /** A lower-case hex sha256, optionally written {@code sha256:HEX}; returns the bare hex. */
    public static String sha256(String field, String value) {
        String hex = value == null ? "" : value.startsWith("sha256:") ? value.substring(7) : value;
        hex = hex.toLowerCase(java.util.Locale.ROOT);
        if (!SHA256.matcher(hex).matches()) {
            throw RegistryException.invalid(field + " '" + value + "' is not a sha256: expected 64 hex digits");
        }
        return hex;
    }

    /**
     * A dataset digest: a sha256 (bare or {@code sha256:HEX}), returned as {@code sha256:hex}; or, since MLflow and
     * other trackers record short content hashes (MLflow's are 8 hex digits), any other token of up to 128 letters,
     * digits and {@code : . _ -}, returned unchanged.
     */
    public static String datasetDigest(String field, String value) {
        String hex = value == null ? "" : value.startsWith("sha256:") ? value.substring(7) : value;
        if (SHA256.matcher(hex.toLowerCase(java.util.Locale.ROOT)).matches()) {
            return "sha256:" + hex.toLowerCase(java.util.Locale.ROOT);
        }
        if (value == null || value.startsWith("sha256:") || !SHORT_DIGEST.matcher(value).matches()) {
            throw RegistryException.invalid(field + " '" + value + "' is not a digest: expected sha256:<64 hex digits>"
                    + " or a token of up to 128 letters, digits and ':._-'");
        }
        return value;
    }

    /**
     * Normalises an artifact path: relative, '/'-separated, no '.' or '..' segments, no backslash, NUL or other control
     * characters, at most 1024 bytes. Empty segments from doubled slashes are dropped.
     */
    public static String artifactPath(String path) {
        if (path == null || path.isEmpty()) {
            throw RegistryException.invalid("file path must not be empty");
        }
        if (path.indexOf('\0') >= 0) {
            throw RegistryException.invalid("file path must not contain NUL");
        }
        if (path.indexOf('\\') >= 0) {
            throw RegistryException.invalid("file path '" + path + "' must not contain a backslash; use '/'");
        }
        if (hasControl(path)) {
            throw RegistryException.invalid("file path must not contain control characters");
        }
        if (path.startsWith("/")) {
            throw RegistryException.invalid("file path '" + path + "' must be relative");
        }
        StringBuilder normal = new StringBuilder(path.length());
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw RegistryException.invalid("file path '" + path + "' must not contain '" + segment + "' segments");
            }
            if (normal.length() > 0) {
                normal.append('/');
            }
            normal.append(segment);
        }
        if (normal.length() == 0) {
            throw RegistryException.invalid("file path '" + path + "' names no file");
        }
        String result = normal.toString();
        if (result.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw RegistryException.invalid("file path is longer than " + MAX_PATH_BYTES + " bytes");
        }
        return result;
    }

    private static void key(String what, String key) {
        if (key == null || key.isEmpty()) {
            throw RegistryException.invalid(what + " must not be empty");
        }
        if (key.length() > MAX_KEY) {
            throw RegistryException.tooLarge(what + " is " + key.length() + " characters long; the limit is " + MAX_KEY);
        }
        if (hasControl(key)) {
            throw RegistryException.invalid(what + " '" + key.strip() + "' must not contain control characters");
        }
    }

    private static void entries(String what, Map<?, ?> map) {
        if (map.size() > MAX_ENTRIES) {
            throw RegistryException.tooLarge(what + " has " + map.size() + " entries; the limit is " + MAX_ENTRIES);
        }
    }

    private static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
