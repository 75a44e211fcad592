package dev.cairn.server.internal.mlflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.Validate;
import dev.cairn.server.internal.mlflow.MlflowRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The registry fields of MLflow requests, checked with MLflow's rules and messages where a client may rely on them
 * (version numbers, stage names, tag keys, reserved aliases); Cairn's own rules for names and aliases then apply.
 */
final class RegistryInput {
    private static final Pattern TAG_KEY = Pattern.compile("[/\\w.\\- :]*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("[vV]\\d+");

    private RegistryInput() {}

    /** A required version number, sent as a string. */
    static int version(MlflowRequest request) {
        String text = request.required("version");
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw RegistryException.invalid("Model version must be an integer, got '" + text + "'");
        }
    }

    static Stage stage(String text) {
        try {
            return Stage.parse(text);
        } catch (RegistryException e) {
            throw RegistryException.invalid("Invalid Model Version stage: " + text
                    + ". Value must be one of None, Staging, Production, Archived.");
        }
    }

    /** A tag key as MLflow accepts it: word characters, '/', '.', '-', ' ' and ':', and no path tricks. */
    static String tagKey(String key) {
        if (key == null || key.isEmpty()) {
            throw MlflowRequest.missing("key");
        }
        if (!TAG_KEY.matcher(key).matches()) {
            throw RegistryException.invalid("Invalid value \"" + key + "\" for parameter 'key' supplied. Names may only "
                    + "contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
        if (key.startsWith("/") || key.contains("//") || List.of(key.split("/")).stream()
                .anyMatch(s -> s.equals("..") || s.equals("."))) {
            throw RegistryException.invalid("Invalid value \"" + key + "\" for parameter 'key' supplied. Names cannot "
                    + "resolve to a different path when normalized.");
        }
        return key;
    }

    /** The {@code tags} of a create request, {@code [{key, value}]}; a repeated key keeps its last value. */
    static Map<String, String> tags(MlflowRequest request) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : request.objects("tags")) {
            JsonNode value = tag.get("value");
            tags.put(tagKey(tag.path("key").asText(null)), value == null || value.isNull() ? "" : value.asText());
        }
        return tags;
    }

    /** MLflow's reserved alias names with its messages, then Cairn's alias rule. */
    static String alias(MlflowRequest request) {
        String alias = request.required("alias");
        if (alias.toLowerCase(Locale.ROOT).equals("latest")) {
            throw RegistryException.invalid("'latest' alias name (case insensitive) is reserved.");
        }
        if (VERSION_ALIAS.matcher(alias).matches()) {
            throw RegistryException.invalid("Version alias name '" + alias + "' is reserved.");
        }
        return Validate.alias(alias);
    }
}
