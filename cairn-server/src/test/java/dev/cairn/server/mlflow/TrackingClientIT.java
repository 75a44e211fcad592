package dev.cairn.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;

/** Every tracking method of the real MLflow Java client (2.17.2) against a real Cairn server. */
class TrackingClientIT {
    @TempDir
    static Path dir;
    static TrackingTestServer server;
    static MlflowClient client;

    @BeforeAll
    static void start() {
        server = TrackingTestServer.start(dir);
        client = new MlflowClient(server.url);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void experimentsLifecycle() {
        String id = client.createExperiment("client-exp");
        Experiment experiment = client.getExperiment(id);
        assertThat(experiment.getName()).isEqualTo("client-exp");
        assertThat(experiment.getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(experiment.getLifecycleStage()).isEqualTo("active");
        assertThat(client.getExperimentByName("client-exp")).map(Experiment::getExperimentId).contains(id);
        assertThat(client.getExperimentByName("no-such-experiment")).isEmpty();
        assertThat(client.getExperiment("0").getName()).isEqualTo("Default");

        String tagged = client.createExperiment(CreateExperiment.newBuilder().setName("client-tagged")
                .addTags(ExperimentTag.newBuilder().setKey("team").setValue("ml")).build());
        client.setExperimentTag(tagged, "stage", "dev");
        assertThat(client.getExperiment(tagged).getTagsList().stream()
                .collect(Collectors.toMap(ExperimentTag::getKey, ExperimentTag::getValue)))
                .isEqualTo(Map.of("team", "ml", "stage", "dev"));

        client.renameExperiment(id, "client-exp-renamed");
        assertThat(client.getExperiment(id).getName()).isEqualTo("client-exp-renamed");

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.searchExperiments("name = 'client-exp-renamed'").getItems()).isEmpty();
        assertThat(client.searchExperiments("name = 'client-exp-renamed'", ViewType.DELETED_ONLY, 10, List.of())
                .getItems()).extracting(Experiment::getExperimentId).containsExactly(id);
        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void searchExperimentsPagesWithoutATokenOnTheLastPage() {
        client.createExperiment("page-a");
        client.createExperiment("page-b");
        client.createExperiment("page-c");
        ExperimentsPage first = client.searchExperiments("name LIKE 'page-%'", ViewType.ACTIVE_ONLY, 2,
                List.of("name DESC"));
        assertThat(first.getItems()).extracting(Experiment::getName).containsExactly("page-c", "page-b");
        assertThat(first.hasNextPage()).isTrue();
        ExperimentsPage second = (ExperimentsPage) first.getNextPage();
        assertThat(second.getItems()).extracting(Experiment::getName).containsExactly("page-a");
        assertThat(second.hasNextPage()).isFalse();
        assertThat(client.searchExperiments().getItems()).extracting(Experiment::getName).contains("Default", "page-a");
    }

    @Test
    void runsLifecycleThroughEveryCreateRunOverload() {
        String experiment = client.createExperiment("client-runs");
        RunInfo plain = client.createRun();
        assertThat(plain.getExperimentId()).isEqualTo("0");
        assertThat(plain.getRunId()).matches("[0-9a-f]{32}");
        assertThat(plain.getStatus()).isEqualTo(RunStatus.RUNNING);

        RunInfo inExperiment = client.createRun(experiment);
        assertThat(inExperiment.getArtifactUri())
                .isEqualTo("mlflow-artifacts:/" + experiment + "/" + inExperiment.getRunId() + "/artifacts");
        assertThat(inExperiment.getRunName()).matches("[a-z]+-[a-z]+-\\d+");

        RunInfo built = client.createRun(CreateRun.newBuilder().setExperimentId(experiment).setRunName("named")
                .setUserId("alice").setStartTime(1234).addTags(RunTag.newBuilder().setKey("k").setValue("v")).build());
        assertThat(built.getUserId()).isEqualTo("alice");
        assertThat(built.getRunName()).isEqualTo("named");
        assertThat(built.getStartTime()).isEqualTo(1234);

        client.setTag(built.getRunId(), "extra", "x");
        Run run = client.getRun(built.getRunId());
        assertThat(run.getData().getTagsList()).extracting(RunTag::getKey)
                .containsExactlyInAnyOrder("k", "extra", "mlflow.runName");

        client.setTerminated(built.getRunId());
        assertThat(client.getRun(built.getRunId()).getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
        client.setTerminated(built.getRunId(), RunStatus.KILLED);
        assertThat(client.getRun(built.getRunId()).getInfo().getStatus()).isEqualTo(RunStatus.KILLED);
        client.setTerminated(built.getRunId(), RunStatus.FAILED, 5678);
        RunInfo ended = client.getRun(built.getRunId()).getInfo();
        assertThat(ended.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.getEndTime()).isEqualTo(5678);

        client.deleteRun(built.getRunId());
        assertThat(client.getRun(built.getRunId()).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.listRunInfos(experiment)).extracting(RunInfo::getRunId)
                .containsExactlyInAnyOrder(inExperiment.getRunId());
        client.restoreRun(built.getRunId());
        assertThat(client.listRunInfos(experiment)).extracting(RunInfo::getRunId)
                .containsExactlyInAnyOrder(inExperiment.getRunId(), built.getRunId());
    }

    @Test
    void metricsParamsAndTags() {
        String runId = client.createRun(client.createExperiment("client-data")).getRunId();
        client.logMetric(runId, "loss", 1.0, 1000, 1);
        client.logMetric(runId, "loss", 2.0, 2000, -5);
        client.logMetric(runId, "loss", -3.0, 3000, 4);
        client.logMetric(runId, "loss", 4.0, 2999, 4);
        client.logMetric(runId, "nan", Double.NaN);
        client.logMetric(runId, "inf", Double.POSITIVE_INFINITY);
        client.logMetric(runId, "neg", Double.NEGATIVE_INFINITY);

        Map<String, Double> latest = client.getRun(runId).getData().getMetricsList().stream()
                .collect(Collectors.toMap(Metric::getKey, Metric::getValue));
        assertThat(latest.get("loss")).isEqualTo(-3.0);
        assertThat(latest.get("nan")).isNaN();
        assertThat(latest.get("inf")).isGreaterThanOrEqualTo(Double.MAX_VALUE);
        assertThat(latest.get("neg")).isLessThanOrEqualTo(-Double.MAX_VALUE);
        assertThat(client.getMetricHistory(runId, "loss")).extracting(Metric::getTimestamp)
                .containsExactly(1000L, 2000L, 3000L, 2999L);

        client.logParam(runId, "alpha", "0.5");
        client.logParam(runId, "alpha", "0.5");
        assertThatThrownBy(() -> client.logParam(runId, "alpha", "0.7"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("INVALID_PARAMETER_VALUE",
                            "Changing param values is not allowed");
                });

        client.logBatch(runId, List.of(metric("acc", 0.9, 10, 0)),
                List.of(Param.newBuilder().setKey("l1").setValue("0.1").build()),
                List.of(RunTag.newBuilder().setKey("stage").setValue("train").build()));
        Run run = client.getRun(runId);
        assertThat(run.getData().getParamsList()).extracting(Param::getKey).containsExactly("alpha", "l1");
        assertThat(run.getData().getTagsList()).extracting(RunTag::getKey).contains("stage");

        client.setTag(runId, "gone", "soon");
        client.deleteTag(runId, "gone");
        assertThat(client.getRun(runId).getData().getTagsList()).extracting(RunTag::getKey).doesNotContain("gone");
        assertThatThrownBy(() -> client.deleteTag(runId, "gone"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("No tag with name: gone in run with id " + runId);
                });
        assertThatThrownBy(() -> client.deleteTag("0123456789abcdef0123456789abcdef", "x"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getBodyMessage())
                        .contains("RESOURCE_DOES_NOT_EXIST", "Run '0123456789abcdef0123456789abcdef' not found"));
    }

    @Test
    void metricHistoryOf26000PointsComesBackWholeInLoggingOrder() {
        String runId = client.createRun(client.createExperiment("client-history")).getRunId();
        long started = System.nanoTime();
        for (int batch = 0; batch < 26; batch++) {
            List<Metric> metrics = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = batch * 1000 + i;
                // Timestamps descend so that logging order differs from any sort the server might apply.
                metrics.add(metric("curve", n, 100_000 - n, n));
            }
            client.logBatch(runId, metrics, List.of(), List.of());
        }
        List<Metric> history = client.getMetricHistory(runId, "curve");
        assertThat(history).hasSize(26_000);
        for (int n = 0; n < history.size(); n++) {
            assertThat(history.get(n).getStep()).isEqualTo(n);
        }
        assertThat(System.nanoTime() - started).as("nanoseconds to log and read 26,000 points")
                .isLessThan(20_000_000_000L);
    }

    @Test
    void searchRunsFiltersOrdersAndPages() {
        String experiment = client.createExperiment("client-search");
        String a = client.createRun(CreateRun.newBuilder().setExperimentId(experiment).setRunName("a")
                .setStartTime(1).build()).getRunId();
        String b = client.createRun(CreateRun.newBuilder().setExperimentId(experiment).setRunName("b")
                .setStartTime(2).build()).getRunId();
        client.logBatch(a, List.of(metric("accuracy_score", 0.8, 1, 0)),
                List.of(Param.newBuilder().setKey("min_samples_leaf").setValue("1").build()),
                List.of(RunTag.newBuilder().setKey("team").setValue("red").build()));
        client.logBatch(b, List.of(metric("accuracy_score", 0.9, 1, 0)),
                List.of(Param.newBuilder().setKey("min_samples_leaf").setValue("1").build()),
                List.of(RunTag.newBuilder().setKey("team").setValue("blue").build()));
        List<String> experiments = List.of(experiment);

        assertThat(client.searchRuns(experiments, "metrics.accuracy_score > 0.85")).extracting(RunInfo::getRunId)
                .containsExactly(b);
        assertThat(client.searchRuns(experiments, "params.min_samples_leaf = '1' and tags.team = 'red'"))
                .extracting(RunInfo::getRunId).containsExactly(a);
        assertThat(client.searchRuns(experiments, "attributes.run_name = 'b'")).extracting(RunInfo::getRunId)
                .containsExactly(b);
        assertThat(client.searchRuns(experiments, "attributes.run_id IN ('" + a + "', '" + b + "')"))
                .hasSize(2);
        assertThat(client.searchRuns(experiments, "", ViewType.ALL)).hasSize(2);

        RunsPage ascending = client.searchRuns(experiments, "", ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.accuracy_score"));
        assertThat(ascending.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(a, b);
        RunsPage mixed = client.searchRuns(experiments, "", ViewType.ACTIVE_ONLY, 10,
                List.of("params.min_samples_leaf", "metrics.accuracy_score DESC"));
        assertThat(mixed.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(b, a);

        RunsPage first = client.searchRuns(experiments, "", ViewType.ACTIVE_ONLY, 1);
        assertThat(first.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(b);
        assertThat(first.hasNextPage()).isTrue();
        RunsPage second = (RunsPage) first.getNextPage();
        assertThat(second.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(a);
        assertThat(second.hasNextPage()).isFalse();
        assertThat(second.getNextPageToken()).isEmpty();
        RunsPage viaToken = client.searchRuns(experiments, "", ViewType.ACTIVE_ONLY, 1, List.of(),
                first.getNextPageToken().orElseThrow());
        assertThat(viaToken.getItems()).extracting(r -> r.getInfo().getRunId()).containsExactly(a);
    }

    @Test
    void endpointsTheClientLacksThroughSendGetAndSendPost() throws Exception {
        String experiment = client.createExperiment("client-raw");
        client.setExperimentTag(experiment, "drop", "me");
        client.sendPost("experiments/delete-experiment-tag",
                "{\"experiment_id\": \"" + experiment + "\", \"key\": \"drop\"}");
        assertThat(client.getExperiment(experiment).getTagsList()).isEmpty();

        String runId = client.createRun(experiment).getRunId();
        client.sendPost("runs/log-inputs", "{\"run_id\": \"" + runId + "\", \"datasets\": [{\"tags\": [{\"key\": "
                + "\"mlflow.data.context\", \"value\": \"training\"}], \"dataset\": {\"name\": \"iris\", \"digest\": "
                + "\"abc123\", \"source_type\": \"local\", \"source\": \"/data/iris.csv\"}}]}");
        assertThat(client.getRun(runId).getInputs().getDatasetInputsList()).singleElement().satisfies(input -> {
            assertThat(input.getDataset().getName()).isEqualTo("iris");
            assertThat(input.getTags(0).getValue()).isEqualTo("training");
        });
        assertThat(client.searchRuns(List.of(experiment), "datasets.context = 'training'")).hasSize(1);

        byte[] bytes = "flavors: {}\n".getBytes();
        TrackingTestServer.Reply put = server.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + experiment + "/"
                + runId + "/artifacts/model/MLmodel", java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
        assertThat(put.status()).isEqualTo(200);
        JsonNode root = TrackingTestServer.JSON.readTree(client.sendGet("artifacts/list?run_id=" + runId));
        assertThat(root.get("root_uri").asText()).isEqualTo("mlflow-artifacts:/" + experiment + "/" + runId
                + "/artifacts");
        assertThat(root.get("files").get(0).get("path").asText()).isEqualTo("model");
        assertThat(root.get("files").get(0).get("is_dir").asBoolean()).isTrue();
        JsonNode model = TrackingTestServer.JSON.readTree(client.sendGet("artifacts/list?run_id=" + runId
                + "&path=model"));
        assertThat(model.get("files").get(0).get("path").asText()).isEqualTo("model/MLmodel");
        assertThat(model.get("files").get(0).get("file_size").asLong()).isEqualTo(bytes.length);
    }

    private static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }
}
