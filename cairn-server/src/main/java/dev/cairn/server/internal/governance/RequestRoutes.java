package dev.cairn.server.internal.governance;

import dev.cairn.api.ApiModels;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.Page;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.GovernanceWire;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.util.List;

/**
 * Transition requests: an editor asks for a version to move to Production or a protected alias, approvers approve
 * (the last approval makes the move) or reject, the requester may cancel. The governance service checks every role.
 */
public final class RequestRoutes {
    private static final String REQUESTS = "/api/v1/requests";
    private static final String REQUEST = REQUESTS + "/{id}";

    private final GovernanceService governance;

    public RequestRoutes(GovernanceService governance) {
        this.governance = governance;
    }

    public List<Route> routes() {
        return List.of(
                Route.post(REQUESTS, Access.AUTHENTICATED, this::create),
                Route.get(REQUESTS, Access.AUTHENTICATED, this::list),
                Route.get(REQUEST, Access.AUTHENTICATED,
                        ctx -> JsonReply.ok(ctx, GovernanceWire.request(governance.request(ApiRequest.pathId(ctx, "request"))))),
                Route.post(REQUEST + "/approve", Access.AUTHENTICATED, this::approve),
                Route.post(REQUEST + "/reject", Access.AUTHENTICATED, this::reject),
                Route.post(REQUEST + "/cancel", Access.AUTHENTICATED, this::cancel));
    }

    private void create(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.CreateRequest body = request.body(ApiModels.CreateRequest.class);
        if (body.model() == null || body.model().isEmpty()) {
            throw RegistryException.invalid("model is required: the model whose version should be promoted");
        }
        if (body.version() < 1) {
            throw RegistryException.invalid("version is required: the version number to promote (1 or more)");
        }
        TransitionRequest created = governance.createRequest(request.actor(), body.model(), body.version(),
                GovernanceWire.target(body.target()), body.comment());
        JsonReply.created(ctx, GovernanceWire.request(created));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        String model = request.query("model");
        Page<TransitionRequest> page = governance.listRequests(model == null || model.isEmpty() ? null : model,
                request.enumQuery("status", RequestStatus.class), request.limit(), request.pageToken());
        JsonReply.ok(ctx, new ApiModels.RequestList(page.items().stream().map(GovernanceWire::request).toList(),
                page.nextPageToken()));
    }

    private void approve(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, GovernanceWire.request(governance.approve(request.actor(), ApiRequest.pathId(ctx, "request"), comment(request))));
    }

    private void reject(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, GovernanceWire.request(governance.reject(request.actor(), ApiRequest.pathId(ctx, "request"), comment(request))));
    }

    private void cancel(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, GovernanceWire.request(governance.cancel(request.actor(), ApiRequest.pathId(ctx, "request"))));
    }

    /** The comment of an optional {@code Decision} body. */
    private static String comment(ApiRequest request) {
        ApiModels.Decision decision = request.optionalBody(ApiModels.Decision.class);
        return decision == null ? null : decision.comment();
    }
}
