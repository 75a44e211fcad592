package dev.cairn.server.internal.deploy;

import dev.cairn.api.ApiModels;
import dev.cairn.core.RegistryException;
import dev.cairn.core.deploy.Deployment;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * Deployment records: serving instances report what they serve ({@code POST /api/v1/deployments/heartbeat}, viewers
 * included, since serving uses read-only tokens), and anyone who may read the model asks which instances serve which
 * version ({@code GET /api/v1/models/{name}/deployments}).
 */
public final class DeploymentRoutes {
    private final DeploymentService deployments;

    public DeploymentRoutes(DeploymentService deployments) {
        this.deployments = deployments;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/deployments/heartbeat", Access.AUTHENTICATED, this::heartbeat),
                Route.get("/api/v1/models/{name}/deployments", Access.AUTHENTICATED, this::list));
    }

    private void heartbeat(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        ApiModels.Heartbeat body = request.body(ApiModels.Heartbeat.class);
        Instant since = body.since() == null || body.since().isBlank() ? null
                : ApiRequest.parseTime("since", body.since());
        DeploymentService.Instance instance = deployments.heartbeat(request.actor(), body.instanceId(), body.model(),
                body.version(), body.reference(), since, body.host());
        JsonReply.ok(ctx, deployment(instance));
    }

    private void list(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        boolean all = flag("all", request.query("all"));
        JsonReply.ok(ctx, new ApiModels.DeploymentList(deployments.deployments(request.actor(), request.model(), all)
                .stream().map(DeploymentRoutes::deployment).toList()));
    }

    static ApiModels.Deployment deployment(DeploymentService.Instance instance) {
        Deployment d = instance.deployment();
        return new ApiModels.Deployment(d.instanceId(), d.model(), d.version(), d.reference(), d.since().toString(),
                d.host(), d.reportedBy(), d.lastSeen().toString(), instance.live());
    }

    private static boolean flag(String name, String text) {
        if (text == null || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.isEmpty() || text.equalsIgnoreCase("true")) {
            return true;
        }
        throw RegistryException.invalid(name + " must be true or false, not '" + text + "'");
    }
}
