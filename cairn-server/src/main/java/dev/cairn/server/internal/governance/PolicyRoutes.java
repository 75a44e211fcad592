package dev.cairn.server.internal.governance;

import dev.cairn.api.ApiModels;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.GovernanceWire;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.util.List;

/**
 * Promotion policies, the registry's default and each model's own, and the dry run of a promotion that explains which
 * checks pass and fail.
 */
public final class PolicyRoutes {
    private static final String DEFAULT = "/api/v1/policies/default";
    private static final String MODEL = "/api/v1/models/{name}/policy";

    private final RegistryService registry;
    private final GovernanceService governance;

    public PolicyRoutes(RegistryService registry, GovernanceService governance) {
        this.registry = registry;
        this.governance = governance;
    }

    public List<Route> routes() {
        return List.of(
                Route.get(DEFAULT, Access.AUTHENTICATED,
                        ctx -> JsonReply.ok(ctx, GovernanceWire.policyView(governance.policy(null)))),
                Route.put(DEFAULT, Access.AUTHENTICATED, ctx -> setPolicy(ctx, null)),
                Route.get(MODEL, Access.AUTHENTICATED, ctx -> JsonReply.ok(ctx,
                        GovernanceWire.policyView(governance.policy(ApiRequest.of(ctx).model())))),
                Route.put(MODEL, Access.AUTHENTICATED, ctx -> setPolicy(ctx, ApiRequest.of(ctx).model())),
                Route.delete(MODEL, Access.AUTHENTICATED, this::deletePolicy),
                Route.get("/api/v1/models/{name}/versions/{version}/promotion-check", Access.AUTHENTICATED,
                        this::promotionCheck));
    }

    /** Replaces the model's own policy, or the default when {@code model} is null. */
    private void setPolicy(Context ctx, String model) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.Policy body = request.body(ApiModels.Policy.class);
        JsonReply.ok(ctx, GovernanceWire.policyView(governance.setPolicy(request.actor(), model,
                GovernanceWire.policy(body))));
    }

    /** Answers the policy that governs the model now: the default. */
    private void deletePolicy(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, GovernanceWire.policyView(governance.deletePolicy(request.actor(), request.model())));
    }

    /** A dry run: 200 whether the promotion would be allowed or not, with every check. */
    private void promotionCheck(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        JsonReply.ok(ctx, GovernanceWire.promotionCheck(registry.checkPromotion(request.actor(), request.model(),
                request.version(), GovernanceWire.target(request.query("target")))));
    }
}
