package dev.cairn.server.internal.audit;

import dev.cairn.api.ApiModels;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Page;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.GovernanceWire;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import java.util.List;

/**
 * The audit log, oldest first: a model's history, the registry-wide event feed, the log filtered by model, actor, kind
 * and time, and the check of its hash chain.
 */
public final class AuditRoutes {
    private final RegistryService service;
    private final GovernanceService governance;

    public AuditRoutes(RegistryService service, GovernanceService governance) {
        this.service = service;
        this.governance = governance;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/models/{name}/history", Access.AUTHENTICATED, ctx -> {
                    ApiRequest request = ApiRequest.of(ctx);
                    events(ctx, EventFilter.of(request.model(), kinds(request)));
                }),
                Route.get("/api/v1/events", Access.AUTHENTICATED, ctx -> {
                    ApiRequest request = ApiRequest.of(ctx);
                    events(ctx, EventFilter.of(emptyToNull(request.query("model")), kinds(request)));
                }),
                Route.get("/api/v1/audit", Access.AUTHENTICATED, this::audit),
                Route.get("/api/v1/audit/verify", Access.AUTHENTICATED, this::verify));
    }

    /** Recomputes the hash chain; {@code expect_head}, a head hash recorded earlier, also catches a truncated log. */
    private void verify(Context ctx) {
        String expectedHead = emptyToNull(ctx.queryParam("expect_head"));
        JsonReply.ok(ctx, GovernanceWire.auditReport(governance.verifyAudit(expectedHead)));
    }

    private void audit(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        events(ctx, new EventFilter(emptyToNull(request.query("model")), emptyToNull(request.query("actor")),
                kinds(request), request.timeQuery("since"), request.timeQuery("until")));
    }

    private void events(Context ctx, EventFilter filter) {
        ApiRequest request = ApiRequest.of(ctx);
        Page<Event> page = service.events(filter, request.limit(), request.pageToken());
        JsonReply.ok(ctx, new ApiModels.EventList(page.items().stream().map(Wire::event).toList(), page.nextPageToken()));
    }

    private static List<EventKind> kinds(ApiRequest request) {
        return request.queries("kind").stream().map(k -> ApiRequest.parseEnum("event kind", k, EventKind.class)).toList();
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
