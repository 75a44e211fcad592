package dev.cairn.server.internal.health;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness (the process answers) and readiness (the metadata database answers a read and the blob store answers: a
 * writable directory, or a bucket that answers a lookup).
 */
public final class HealthRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
    private static final byte[] OK = JsonReply.serialize(new ApiModels.Health("ok"));
    private static final byte[] UNAVAILABLE = JsonReply.serialize(new ApiModels.Health("unavailable"));

    private final RegistryService service;
    private final ReadinessCheck blobs;

    public HealthRoutes(RegistryService service, ReadinessCheck blobs) {
        this.service = service;
        this.blobs = blobs;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/healthz", Access.PUBLIC, ctx -> JsonReply.bytes(ctx, 200, OK)),
                Route.get("/readyz", Access.PUBLIC, this::ready));
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
        return blobs.problem().orElse(null);
    }
}
