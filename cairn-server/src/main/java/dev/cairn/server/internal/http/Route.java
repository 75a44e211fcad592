package dev.cairn.server.internal.http;

import dev.cairn.server.internal.auth.Access;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One endpoint of the API: method, Javalin path ({@code {param}} for a segment, {@code <param>} for the rest of the
 * path), who may call it and its handler. The server registers exactly these, and tests compare them with the OpenAPI
 * document and walk them with every role.
 */
public record Route(HandlerType method, String path, Access access, Handler handler) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
    }

    public static Route get(String path, Access access, Handler handler) {
        return new Route(HandlerType.GET, path, access, handler);
    }

    public static Route post(String path, Access access, Handler handler) {
        return new Route(HandlerType.POST, path, access, handler);
    }

    public static Route put(String path, Access access, Handler handler) {
        return new Route(HandlerType.PUT, path, access, handler);
    }

    public static Route patch(String path, Access access, Handler handler) {
        return new Route(HandlerType.PATCH, path, access, handler);
    }

    public static Route delete(String path, Access access, Handler handler) {
        return new Route(HandlerType.DELETE, path, access, handler);
    }

    /** {@code GET /api/v1/models}: how errors and tests name a route. */
    @Override
    public String toString() {
        return method + " " + path;
    }
}
