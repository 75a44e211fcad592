package dev.cairn.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cairn.api.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes API answers: the body serialized once with the shared mapper, as {@code application/json}. */
public final class JsonReply {
    public static final String CONTENT_TYPE = "application/json";

    private JsonReply() {}

    public static void ok(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    public static void created(Context ctx, Object body) {
        send(ctx, 201, body);
    }

    public static void noContent(Context ctx) {
        ctx.status(HttpStatus.NO_CONTENT);
    }

    public static void send(Context ctx, int status, Object body) {
        bytes(ctx, status, serialize(body));
    }

    /**
     * Writes the body straight to the servlet response. Javalin's result stream would copy it through a fresh buffer
     * per request, which was half of all allocation on the resolve hot path.
     */
    public static void bytes(Context ctx, int status, byte[] json) {
        HttpServletResponse res = ctx.res();
        res.setStatus(status);
        res.setContentType(CONTENT_TYPE);
        res.setContentLength(json.length);
        try {
            res.getOutputStream().write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("client went away while receiving the answer", e);
        }
    }

    public static byte[] serialize(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
    }
}
