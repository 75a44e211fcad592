package dev.cairn.server.internal.openapi;

import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Serves the hand-written OpenAPI document of the native API, shipped in {@code cairn-api}. */
public final class OpenApiRoute {
    public static final String RESOURCE = "/dev/cairn/api/openapi.json";

    private final byte[] document;

    public OpenApiRoute() {
        this.document = load();
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/openapi.json", Access.PUBLIC, ctx -> JsonReply.bytes(ctx, 200, document)));
    }

    public static byte[] load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
