package dev.cairn.server.internal.audit;

import dev.cairn.api.ApiModels;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
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
public final class AuditRoutes implements AutoCloseable {
    private final RegistryService service;
    private final GovernanceService governance;
    private final EventStreams streams;

    public AuditRoutes(RegistryService service, GovernanceService governance) {
        this.service = service;
        this.governance = governance;
        this.streams = new EventStreams(service);
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/models/{name}/history", Access.AUTHENTICATED, ctx -> {
                    ApiRequest request = ApiRequest.of(ctx);
                    events(ctx, EventFilter.of(request.model(), kinds(request)));
                }),
                Route.get("/api/v1/events", Access.AUTHENTICATED, this::feed),
                Route.get("/api/v1/events/stream", Access.AUTHENTICATED, this::stream),
                Route.get("/api/v1/audit", Access.AUTHENTICATED, this::audit),
                Route.get("/api/v1/audit/verify", Access.AUTHENTICATED, this::verify));
    }

    /** The feed: like the other event lists, and resumable from a plain sequence number with {@code after}. */
    private void feed(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        EventFilter filter = feedFilter(request);
        Long after = sequence("after", ctx.queryParam("after"));
        if (after == null) {
            events(ctx, filter);
            return;
        }
        if (request.pageToken() != null) {
            throw RegistryException.invalid("give either after or page_token, not both");
        }
        Page<Event> page = service.eventsAfter(filter, after, request.limit());
        JsonReply.ok(ctx, new ApiModels.EventList(page.items().stream().map(Wire::event).toList(), page.nextPageToken()));
    }

    /**
     * Server-sent events: each event as {@code id: SEQ}, {@code event: KIND} and its JSON, from after the
     * {@code Last-Event-ID} header (or {@code after}; else from the first event), then new events as they commit.
     * A client that falls too far behind (stops reading) is disconnected; it reconnects with {@code Last-Event-ID}.
     */
    private void stream(Context ctx) throws Exception {
        ApiRequest request = ApiRequest.of(ctx);
        EventFilter filter = feedFilter(request);
        Long lastEventId = sequence("Last-Event-ID", ctx.header("Last-Event-ID"));
        Long after = lastEventId != null ? lastEventId : sequence("after", ctx.queryParam("after"));
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw RegistryException.invalid("the event stream is sent as text/event-stream: send Accept: text/event-stream");
        }
        streams.open(ctx, filter, after == null ? 0 : after);
    }

    private static EventFilter feedFilter(ApiRequest request) {
        return EventFilter.of(emptyToNull(request.query("model")), kinds(request));
    }

    /** A sequence number a client resumes from: a whole number, 0 or more. */
    private static Long sequence(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long seq = Long.parseLong(text.trim());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RegistryException.invalid(name + " must be an event sequence number (0 or more), got '" + text + "'");
    }

    @Override
    public void close() {
        streams.close();
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
