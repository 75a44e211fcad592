package dev.cairn.core.tracking;

import dev.cairn.core.RegistryException;
import java.util.Locale;
import java.util.regex.Pattern;

/** MLflow's validation of tracking input (mlflow/utils/validation.py), with its messages where clients show them. */
final class TrackingChecks {
    static final int MAX_EXPERIMENT_NAME = 500;
    static final int MAX_KEY = 250;
    static final int MAX_PARAM_VALUE = 6000;
    static final int MAX_TAG_VALUE = 5000;
    static final int MAX_RUN_NAME = 250;
    static final int MAX_ARTIFACT_LOCATION = 2048;
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- :]*", Pattern.UNICODE_CHARACTER_CLASS);

    private TrackingChecks() {}

    /** A metric, param or tag key: MLflow's character set, no path tricks (it stores keys as file names). */
    static String key(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw RegistryException.invalid("Missing value for required parameter 'key'. See the API docs for more "
                    + "information about request parameters.");
        }
        if (key.length() > MAX_KEY) {
            throw RegistryException.invalid(what + " '" + key.substring(0, 20) + "...' had length " + key.length()
                    + ", which exceeded length limit of " + MAX_KEY);
        }
        if (!KEY.matcher(key).matches() || pathChanging(key)) {
            throw RegistryException.invalid("Invalid " + what.toLowerCase(Locale.ROOT) + " name: '" + key
                    + "'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ),"
                    + " colon(:) and slashes (/).");
        }
        return key;
    }

    private static boolean pathChanging(String key) {
        if (key.startsWith("/")) {
            return true;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return true;
            }
        }
        return false;
    }

    static String value(String value, int limit, String what, String key) {
        String text = value == null ? "" : value;
        if (text.length() > limit) {
            throw RegistryException.invalid(what + " value '" + text.substring(0, 20) + "...' had length "
                    + text.length() + ", which exceeded length limit of " + limit + " (key '" + key + "')");
        }
        return text;
    }

    static String experimentName(String name) {
        if (name == null || name.isEmpty()) {
            throw RegistryException.invalid("Missing value for required parameter 'name'. See the API docs for more "
                    + "information about request parameters.");
        }
        if (name.length() > MAX_EXPERIMENT_NAME) {
            throw RegistryException.invalid("Experiment name '" + name.substring(0, 20) + "...' had length "
                    + name.length() + ", which exceeded length limit of " + MAX_EXPERIMENT_NAME);
        }
        return name;
    }

    static String artifactLocation(String location) {
        if (location.startsWith("runs:")) {
            throw RegistryException.invalid("Artifact location cannot be a runs:/ URI. Given: '" + location + "'");
        }
        if (location.contains("#") || location.contains("?")) {
            throw RegistryException.invalid("Invalid artifact location '" + location
                    + "': URL fragments and query parameters are not allowed");
        }
        if (location.length() > MAX_ARTIFACT_LOCATION) {
            throw RegistryException.invalid("Artifact location is longer than " + MAX_ARTIFACT_LOCATION + " characters");
        }
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    static void timestamp(long timestamp) {
        if (timestamp < 0) {
            throw RegistryException.invalid("Metric timestamp must be a non-negative number of milliseconds, got "
                    + timestamp);
        }
    }
}
