package dev.cairn.server.internal.mlflow;

import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Mounts MLflow RPCs the way MLflow does: each at {@code /api/2.0/mlflow/<path>} and at
 * {@code /ajax-api/2.0/mlflow/<path>} (the copy MLflow's web UI calls).
 */
public final class MlflowRoutes {
    public static final String API = "/api/2.0/mlflow/";
    public static final String AJAX = "/ajax-api/2.0/mlflow/";

    private MlflowRoutes() {}

    /**
     * The two routes of one RPC, e.g. {@code rpc(HandlerType.POST, "registered-models/create", AUTHENTICATED, handler)}.
     */
    public static List<Route> rpc(HandlerType method, String path, Access access, Handler handler) {
        return List.of(new Route(method, API + path, access, handler), new Route(method, AJAX + path, access, handler));
    }
}
