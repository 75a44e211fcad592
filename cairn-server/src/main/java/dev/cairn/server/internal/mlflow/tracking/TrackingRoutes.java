package dev.cairn.server.internal.mlflow.tracking;

import dev.cairn.core.tracking.TrackingService;
import dev.cairn.server.internal.http.Route;
import java.util.ArrayList;
import java.util.List;

/** MLflow's tracking RPCs a registry needs (spec §5): experiments, runs and what runs record. */
public final class TrackingRoutes {
    private final TrackingService tracking;

    public TrackingRoutes(TrackingService tracking) {
        this.tracking = tracking;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new ExperimentRoutes(tracking).routes());
        routes.addAll(new RunRoutes(tracking).routes());
        routes.addAll(new RunDataRoutes(tracking).routes());
        return routes;
    }
}
