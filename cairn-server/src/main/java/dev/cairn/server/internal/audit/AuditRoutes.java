package dev.cairn.server.internal.audit;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Page;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import java.util.List;

/** The audit log: a model's history and the registry-wide event feed, oldest first. */
public final class AuditRoutes {
    private final RegistryService service;

    public AuditRoutes(RegistryService service) {
        this.service = service;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/models/{name}/history", ctx -> events(ctx, ApiRequest.of(ctx).model())),
                Route.get("/api/v1/events", ctx -> events(ctx, emptyToNull(ApiRequest.of(ctx).query("model")))));
    }

    private void events(Context ctx, String model) {
        ApiRequest request = ApiRequest.of(ctx);
        List<EventKind> kinds = request.queries("kind").stream()
                .map(k -> ApiRequest.parseEnum("event kind", k, EventKind.class)).toList();
        Page<Event> page = service.events(model, kinds, request.limit(), request.pageToken());
        JsonReply.ok(ctx, new ApiModels.EventList(page.items().stream().map(Wire::event).toList(), page.nextPageToken()));
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
