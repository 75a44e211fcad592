package dev.cairn.server.internal.mlflow.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Page;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.KeyValue;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.mlflow.MlflowJson;
import dev.cairn.server.internal.mlflow.MlflowRequest;
import dev.cairn.server.internal.mlflow.MlflowRoutes;
import dev.cairn.server.internal.mlflow.tracking.TrackingJson.MetricJson;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a run records: metrics and their history, params, tags, batches and dataset inputs (spec §5.6–5.10). */
final class RunDataRoutes {
    /** MLflow refuses log-batch requests above 1 MB before reading them. */
    static final int MAX_BATCH_BYTES = 1 << 20;

    record History(List<MetricJson> metrics, String nextPageToken) {}

    private final TrackingService tracking;

    RunDataRoutes(TrackingService tracking) {
        this.tracking = tracking;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/log-metric", Access.EDITOR, this::logMetric));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/log-parameter", Access.EDITOR, this::logParam));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/log-batch", Access.EDITOR, this::logBatch));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/set-tag", Access.EDITOR, this::setTag));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/delete-tag", Access.EDITOR, this::deleteTag));
        routes.addAll(MlflowRoutes.rpc(HandlerType.POST, "runs/log-inputs", Access.EDITOR, this::logInputs));
        routes.addAll(MlflowRoutes.rpc(HandlerType.GET, "metrics/get-history", Access.VIEWER, this::history));
        return routes;
    }

    private void logMetric(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        tracking.logMetric(runId, TrackingFields.metric(request));
        MlflowJson.empty(ctx);
    }

    private void logParam(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        tracking.logParam(runId, request.required("key"), request.string("value", ""));
        MlflowJson.empty(ctx);
    }

    private void logBatch(Context ctx) {
        long length = ctx.contentLength() >= 0 ? ctx.contentLength() : ctx.bodyAsBytes().length;
        if (length > MAX_BATCH_BYTES) {
            throw RegistryException.invalid("Batched logging API requests must be at most " + MAX_BATCH_BYTES
                    + " bytes, got a request of " + length + " bytes.");
        }
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        List<Metric> metrics = TrackingFields.metrics(request, "metrics");
        List<KeyValue> params = TrackingFields.keyValues(request, "params");
        List<KeyValue> tags = TrackingFields.keyValues(request, "tags");
        tracking.logBatch(runId, metrics, params, tags);
        MlflowJson.empty(ctx);
    }

    private void setTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        tracking.setTag(runId, request.required("key"), request.string("value", ""));
        MlflowJson.empty(ctx);
    }

    private void deleteTag(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        tracking.deleteTag(runId, request.required("key"));
        MlflowJson.empty(ctx);
    }

    private void logInputs(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        List<DatasetInput> inputs = new ArrayList<>();
        for (JsonNode item : request.objects("datasets")) {
            MlflowRequest input = MlflowRequest.ofJson(item.toString());
            JsonNode datasetNode = input.node("dataset");
            if (datasetNode == null || !datasetNode.isObject()) {
                throw MlflowRequest.missing("dataset");
            }
            MlflowRequest dataset = MlflowRequest.ofJson(datasetNode.toString());
            Map<String, String> tags = new LinkedHashMap<>();
            for (KeyValue tag : TrackingFields.keyValues(input, "tags")) {
                tags.put(tag.key(), tag.value());
            }
            inputs.add(new DatasetInput(dataset.string("name"), dataset.string("digest"),
                    dataset.string("source_type"), dataset.string("source"), dataset.string("schema"),
                    dataset.string("profile"), tags));
        }
        tracking.logInputs(runId, inputs);
        MlflowJson.empty(ctx);
    }

    private void history(Context ctx) {
        MlflowRequest request = MlflowRequest.of(ctx);
        String runId = request.runId();
        Page<Metric> page = tracking.metricHistory(runId, request.required("metric_key"),
                TrackingFields.int32(request, "max_results"), request.string("page_token"));
        MlflowJson.ok(ctx, new History(page.items().stream().map(TrackingJson::metric).toList(),
                page.nextPageToken()));
    }
}
