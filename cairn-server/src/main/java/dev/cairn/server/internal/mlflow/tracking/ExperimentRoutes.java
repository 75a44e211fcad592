package dev.cairn.server.internal.mlflow.tracking;

import dev.cairn.core.model.Page;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.mlflow.MlflowJson;
import dev.cairn.server.internal.mlflow.MlflowRequest;
import dev.cairn.server.internal.mlflow.MlflowRoutes;
import dev.cairn.server.internal.mlflow.tracking.TrackingJson.ExperimentJson;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** MLflow's experiment RPCs (spec §5.1). */
final class ExperimentRoutes {
    record Created(String experimentId) {}

    record One(ExperimentJson experiment) {}

    record Found(List<ExperimentJson> experiments, String nextPageToken) {}

    private final TrackingService tracking;

    ExperimentRoutes(TrackingService tracking) {
        this.tracking = tracking;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/create", Access.EDITOR, this::create));
        routes.addAll(MlflowRoutes.rpc(HandlerType.GET, "experiments/get", Access.VIEWER, this::get));
        routes.addAll(MlflowRoutes.rpc(HandlerType.GET, "experiments/get-by-name", Access.VIEWER, this::getByName));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/search", Access.VIEWER, this::search));
        routes.addAll(MlflowRoutes.rpc(HandlerType.GET, "experiments/search", Access.VIEWER, this::search));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/delete", Access.EDITOR, this::delete));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/restore", Access.EDITOR, this::restore));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/update", Access.EDITOR, this::update));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/set-experiment-tag", Access.EDITOR, this::setTag));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "experiments/delete-experiment-tag", Access.EDITOR, this::deleteTag));
        return routes;
    }

    private void create(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String id = tracking.createExperiment(request.required("name"), request.string("artifact_location"),
                TrackingFields.keyValues(request, "tags"));
        MlflowJson.ok(ctx, new Created(id));
    }

    private void get(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        MlflowJson.ok(ctx, new One(TrackingJson.experiment(tracking.getExperiment(request.required("experiment_id")))));
    }

    private void getByName(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        Experiment experiment = tracking.getExperimentByName(request.required("experiment_name"));
        MlflowJson.ok(ctx, new One(TrackingJson.experiment(experiment)));
    }

    private void search(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        Page<Experiment> page = tracking.searchExperiments(request.string("filter"), request.strings("order_by"),
                TrackingFields.enumField(request, "view_type", ViewType.class), request.int64("max_results"),
                request.string("page_token"));
        MlflowJson.ok(ctx, new Found(page.items().stream().map(TrackingJson::experiment).toList(),
                page.nextPageToken()));
    }

    private void delete(Context ctx) {
        tracking.deleteExperiment(MlflowRequest.of(ctx).required("experiment_id"));
        MlflowJson.empty(ctx);
    }

    private void restore(Context ctx) {
        tracking.restoreExperiment(MlflowRequest.of(ctx).required("experiment_id"));
        MlflowJson.empty(ctx);
    }

    private void update(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        tracking.renameExperiment(request.required("experiment_id"), request.required("new_name"));
        MlflowJson.empty(ctx);
    }

    private void setTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        tracking.setExperimentTag(request.required("experiment_id"), request.required("key"),
                request.string("value", ""));
        MlflowJson.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        tracking.deleteExperimentTag(request.required("experiment_id"), request.required("key"));
        MlflowJson.empty(ctx);
    }
}
