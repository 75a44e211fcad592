package dev.cairn.server.internal.health;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryService;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Liveness (the process answers) and readiness (the database answers a read and the blob directory is writable). */
public final class HealthRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
    private static final byte[] OK = JsonReply.serialize(new ApiModels.Health("ok"));
    private static final byte[] UNAVAILABLE = JsonReply.serialize(new ApiModels.Health("unavailable"));

    private final RegistryService service;
    private final Path blobRoot;

    public HealthRoutes(RegistryService service, Path blobRoot) {
        this.service = service;
        this.blobRoot = blobRoot;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/healthz", ctx -> JsonReply.bytes(ctx, 200, OK)),
                Route.get("/readyz", this::ready));
    }

    private void ready(Context ctx) {
        String problem = problem();
        if (problem == null) {
            JsonReply.bytes(ctx, 200, OK);
        } else {
            LOG.warn("not ready: {}", problem);
            JsonReply.bytes(ctx, 503, UNAVAILABLE);
        }
    }

    private String problem() {
        try {
            service.listModels(null, 1, null);
        } catch (RuntimeException e) {
            return "the metadata store does not answer: " + e.getMessage();
        }
        if (!Files.isDirectory(blobRoot) || !Files.isWritable(blobRoot)) {
            return "the blob directory " + blobRoot + " is not a writable directory";
        }
        return null;
    }
}
