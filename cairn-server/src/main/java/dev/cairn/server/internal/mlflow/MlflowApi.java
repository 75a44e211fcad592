package dev.cairn.server.internal.mlflow;

import dev.cairn.core.RegistryService;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.mlflow.artifacts.ArtifactRoutes;
import dev.cairn.server.internal.mlflow.registry.RegistryRoutes;
import dev.cairn.server.internal.mlflow.tracking.TrackingRoutes;
import java.util.ArrayList;
import java.util.List;

/**
 * The MLflow-compatible API (see {@code shared/mlflow-rest-spec.md}): the model registry, the tracking calls a registry
 * needs, proxied artifacts, and MLflow's plain {@code /health} and {@code /version}. It works on the same registry as
 * the native API.
 */
public final class MlflowApi {
    /** The MLflow release whose wire protocol this API speaks; {@code GET /version} answers it. */
    public static final String MLFLOW_VERSION = "2.17.2";

    private final List<Route> routes = new ArrayList<>();

    public MlflowApi(RegistryService registry, TrackingService tracking) {
        // MLflow's liveness probe is public, as in MLflow's own authentication; its version is not.
        routes.add(Route.get("/health", Access.PUBLIC, ctx -> ctx.contentType("text/plain").result("OK")));
        routes.add(Route.get("/version", Access.VIEWER, ctx -> ctx.contentType("text/plain").result(MLFLOW_VERSION)));
        routes.addAll(new RegistryRoutes(registry).routes());
        routes.addAll(new TrackingRoutes(tracking).routes());
        routes.addAll(new ArtifactRoutes(tracking).routes());
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }
}
