package dev.cairn.server.internal.mlflow.tracking;

import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.model.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunListing;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.mlflow.MlflowJson;
import dev.cairn.server.internal.mlflow.MlflowRequest;
import dev.cairn.server.internal.mlflow.MlflowRoutes;
import dev.cairn.server.internal.mlflow.tracking.TrackingJson.FileInfo;
import dev.cairn.server.internal.mlflow.tracking.TrackingJson.RunInfo;
import dev.cairn.server.internal.mlflow.tracking.TrackingJson.RunJson;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** MLflow's run RPCs (spec §5.2–5.5, §5.11, §5.12): create, read, update, delete, search, list artifacts. */
final class RunRoutes {
    record One(RunJson run) {}

    record Updated(RunInfo runInfo) {}

    record Found(List<RunJson> runs, String nextPageToken) {}

    record Listing(String rootUri, List<FileInfo> files) {}

    private final TrackingService tracking;

    RunRoutes(TrackingService tracking) {
        this.tracking = tracking;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/create", Access.EDITOR, this::create));
        routes.addAll(MlflowRoutes.rpc(HandlerType.GET, "runs/get", Access.VIEWER, this::get));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/update", Access.EDITOR, this::update));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/delete", Access.EDITOR, this::delete));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/restore", Access.EDITOR, this::restore));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/search", Access.VIEWER, this::search));
        routes.addAll(MlflowRoutes.rpc(HandlerType.GET, "artifacts/list", Access.VIEWER, this::listArtifacts));
        return routes;
    }

    /** With authentication on, the run's user is the signed-in one, whatever {@code user_id} the client sends. */
    private void create(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        Actor actor = ApiRequest.of(ctx).actor();
        Run run = tracking.createRun(request.string("experiment_id"),
                actor.governed() ? actor.name() : request.string("user_id"),
                request.string("run_name"), request.int64("start_time"), TrackingFields.keyValues(request, "tags"));
        MlflowJson.ok(ctx, new One(TrackingJson.run(run, false)));
    }

    private void get(Context ctx) {
        MlflowJson.ok(ctx, new One(TrackingJson.run(tracking.getRun(MlflowRequest.of(ctx).runId()), true)));
    }

    private void update(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        Run run = tracking.updateRun(request.runId(), TrackingFields.enumField(request, "status", RunStatus.class),
                request.int64("end_time"), request.string("run_name"));
        MlflowJson.ok(ctx, new Updated(TrackingJson.info(run)));
    }

    private void delete(Context ctx) {
        tracking.deleteRun(MlflowRequest.of(ctx).runId());
        MlflowJson.empty(ctx);
    }

    private void restore(Context ctx) {
        tracking.restoreRun(MlflowRequest.of(ctx).runId());
        MlflowJson.empty(ctx);
    }

    private void search(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        Page<Run> page = tracking.searchRuns(request.strings("experiment_ids"), request.string("filter"),
                TrackingFields.enumField(request, "run_view_type", ViewType.class),
                TrackingFields.int32(request, "max_results"), request.strings("order_by"),
                request.string("page_token"));
        MlflowJson.ok(ctx, new Found(page.items().stream().map(r -> TrackingJson.run(r, true)).toList(),
                page.nextPageToken()));
    }

    private void listArtifacts(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String token = request.string("page_token");
        if (token != null && !token.isEmpty()) {
            // Every listing is answered whole, so no token this server hands out can come back.
            throw RegistryException.invalid("Invalid page token '" + token + "'");
        }
        RunListing listing = tracking.listRunArtifacts(request.runId(), request.string("path"));
        MlflowJson.ok(ctx, new Listing(listing.rootUri(), listing.files().stream().map(TrackingJson::file).toList()));
    }
}
