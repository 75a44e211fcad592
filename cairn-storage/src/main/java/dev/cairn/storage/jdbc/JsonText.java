package dev.cairn.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.util.Map;

/** The JSON text columns: values that are stored and read whole, never queried (signature, environment, payload). */
final class JsonText {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    // Unknown fields are ignored so rows written by a newer Cairn still read.
    private final ObjectMapper mapper = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new RegistryException(ErrorCode.INTERNAL, "cannot store " + value.getClass().getSimpleName()
                    + " as JSON: " + e.getOriginalMessage(), Map.of(), e);
        }
    }

    <T> T read(String text, Class<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw unreadable(type.getSimpleName(), e);
        }
    }

    Map<String, String> readMap(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return mapper.readValue(text, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw unreadable("payload", e);
        }
    }

    private static RegistryException unreadable(String what, JsonProcessingException e) {
        return new RegistryException(ErrorCode.INTERNAL, "stored " + what + " is not readable JSON: "
                + e.getOriginalMessage(), Map.of(), e);
    }
}
