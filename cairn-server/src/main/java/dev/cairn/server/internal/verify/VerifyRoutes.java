package dev.cairn.server.internal.verify;

import dev.cairn.core.RegistryService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import java.util.List;

/** Integrity checks: recompute stored files' sha256 for one version, one model or the whole registry. */
public final class VerifyRoutes {
    private final RegistryService service;

    public VerifyRoutes(RegistryService service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/models/{name}/versions/{version}/verify", Access.AUTHENTICATED, ctx -> {
                    ApiRequest request = ApiRequest.of(ctx);
                    JsonReply.ok(ctx, Wire.verifyReport(service.verify(request.model(), request.version())));
                }),
                Route.get("/api/v1/models/{name}/verify", Access.AUTHENTICATED, ctx ->
                        JsonReply.ok(ctx, Wire.verifyReport(service.verify(ApiRequest.of(ctx).model(), null)))),
                Route.post("/api/v1/verify", Access.AUTHENTICATED,
                        ctx -> JsonReply.ok(ctx, Wire.verifyReport(service.verify(null, null)))));
    }
}
