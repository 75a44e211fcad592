package dev.cairn.server.internal.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cairn.server.internal.http.JsonReply;
import io.javalin.http.Context;

/**
 * JSON of the MLflow-compatible API: proto field names (snake_case), unset fields left out, empty lists left out
 * (proto2 omits empty repeated fields), NaN and infinities written as the strings "NaN", "Infinity", "-Infinity".
 * Answer records put {@code @JsonInclude(ALWAYS)} on fields MLflow emits even when empty.
 */
public final class MlflowJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS))
            .build();

    private MlflowJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** 200 with the body; MLflow clients accept nothing else as success. */
    public static void ok(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    /** 200 with {@code {}}, the answer of every MLflow call whose response message is empty. */
    public static void empty(Context ctx) {
        JsonReply.bytes(ctx, 200, new byte[] {'{', '}'});
    }

    static void send(Context ctx, int status, Object body) {
        try {
            JsonReply.bytes(ctx, status, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }
}
