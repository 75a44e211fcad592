package dev.cairn.server.internal.mlflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.RegistryException;
import dev.cairn.server.internal.mlflow.MlflowJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * MLflow's registry page tokens: base64 of {@code {"offset": N}}, the number of rows to skip. Kept in MLflow's format
 * so a token from MLflow's own server, or one a client built, reads the same here.
 */
final class PageToken {
    private PageToken() {}

    static String encode(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset of a token; 0 when there is none. */
    static int decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            JsonNode json = MlflowJson.mapper().readTree(Base64.getDecoder().decode(token.trim()));
            JsonNode offset = json == null ? null : json.get("offset");
            if (offset != null && offset.canConvertToInt() && offset.intValue() >= 0) {
                return offset.intValue();
            }
        } catch (java.io.IOException | IllegalArgumentException unreadable) {
            // reported below
        }
        throw RegistryException.invalid("Invalid page token, could not base64-decode or read an offset: '" + token + "'");
    }
}
