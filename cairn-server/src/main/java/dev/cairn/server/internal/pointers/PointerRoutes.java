package dev.cairn.server.internal.pointers;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.Pointer;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.GovernanceWire;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What serves: aliases, the rollback of a stage or an alias, and which version held each at a given time. Stage moves
 * are in the version routes.
 */
public final class PointerRoutes {
    private static final String MODEL = "/api/v1/models/{name}";

    private final RegistryService service;
    private final Clock clock;

    public PointerRoutes(RegistryService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                Route.put(MODEL + "/aliases/{alias}", Access.AUTHENTICATED, this::setAlias),
                Route.delete(MODEL + "/aliases/{alias}", Access.AUTHENTICATED, this::deleteAlias),
                Route.post(MODEL + "/rollback", Access.AUTHENTICATED, this::rollback),
                Route.get(MODEL + "/pointers", Access.AUTHENTICATED, this::pointers));
    }

    /** Which version held each stage and alias at {@code at}, or now. */
    private void pointers(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        Instant at = request.timeQuery("at");
        String model = request.model();
        JsonReply.ok(ctx, at == null
                ? GovernanceWire.pointers(model, clock.instant(), service.pointers(model))
                : GovernanceWire.pointers(model, at, service.pointersAt(model, at)));
    }

    private void setAlias(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.SetAlias body = request.body(ApiModels.SetAlias.class);
        if (body.version() < 1) {
            throw RegistryException.invalid("version is required: the version number the alias points at (1 or more)");
        }
        JsonReply.ok(ctx, Wire.version(service.setAlias(request.actor(), request.model(), request.path("alias"),
                body.version(), body.comment())));
    }

    private void deleteAlias(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        service.deleteAlias(request.actor(), request.model(), request.path("alias"), null);
        JsonReply.noContent(ctx);
    }

    private void rollback(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.Rollback body = request.body(ApiModels.Rollback.class);
        if ((body.stage() == null) == (body.alias() == null)) {
            throw RegistryException.invalid("give exactly one of stage and alias to roll back");
        }
        Pointer pointer = body.stage() != null ? new Pointer(Pointer.Kind.STAGE, body.stage())
                : Pointer.alias(body.alias().startsWith("@") ? body.alias().substring(1) : body.alias());
        if (body.toVersion() != null && body.toVersion() < 1) {
            throw RegistryException.invalid("to_version must be a version number (1 or more), got " + body.toVersion());
        }
        JsonReply.ok(ctx, Wire.version(service.rollback(request.actor(), request.model(), pointer,
                Optional.ofNullable(body.toVersion()), body.comment())));
    }
}
