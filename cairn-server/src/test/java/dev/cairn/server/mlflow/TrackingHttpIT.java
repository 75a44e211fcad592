package dev.cairn.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.mlflow.TrackingTestServer.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking API over raw HTTP: the exact JSON of a real MLflow 2.17.2 server (shared/mlflow-reference-transcript.md
 * #1–#21), its error codes and messages, its input conventions, and that refused or repeated requests change nothing.
 */
class TrackingHttpIT {
    private static final String RUN_FIELDS = "run_uuid, experiment_id, run_name, user_id, status, start_time, "
            + "artifact_uri, lifecycle_stage, run_id";
    @TempDir
    static Path dir;
    static TrackingTestServer server;

    @BeforeAll
    static void start() {
        server = TrackingTestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersAsTheReferenceServerDoes() {
        Reply created = server.post("experiments/create",
                "{\"name\":\"ref-exp\",\"tags\":[{\"key\":\"owner\",\"value\":\"peer\"}]}");
        assertThat(created.status()).isEqualTo(200);
        String id = created.json().get("experiment_id").asText();
        assertThat(created.json().size()).isEqualTo(1);

        JsonNode experiment = server.get("experiments/get", "experiment_id=" + id).json().get("experiment");
        assertThat(fields(experiment)).isEqualTo("experiment_id, name, artifact_location, lifecycle_stage, "
                + "last_update_time, creation_time, tags");
        assertThat(experiment.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(experiment.get("creation_time").isIntegralNumber()).isTrue();
        assertThat(experiment.get("tags").toString()).isEqualTo("[{\"key\":\"owner\",\"value\":\"peer\"}]");
        assertThat(server.get("experiments/get-by-name", "experiment_name=ref-exp").json().get("experiment"))
                .isEqualTo(experiment);

        JsonNode run = server.post("runs/create", "{\"experiment_id\":\"" + id + "\",\"run_name\":\"ref-run\","
                + "\"start_time\":1700000000000,\"tags\":[{\"key\":\"t1\",\"value\":\"v1\"}]}").json().get("run");
        assertThat(fields(run)).isEqualTo("info, data");
        JsonNode info = run.get("info");
        assertThat(fields(info)).isEqualTo(RUN_FIELDS);
        String runId = info.get("run_id").asText();
        assertThat(info.get("user_id").asText()).isEmpty();
        assertThat(info.get("status").asText()).isEqualTo("RUNNING");
        assertThat(info.get("start_time").asLong()).isEqualTo(1700000000000L);
        assertThat(info.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/" + id + "/" + runId + "/artifacts");
        assertThat(run.get("data").get("tags").toString()).contains("{\"key\":\"t1\",\"value\":\"v1\"}",
                "{\"key\":\"mlflow.runName\",\"value\":\"ref-run\"}");

        assertThat(server.post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"rmse\",\"value\":0.25,"
                + "\"timestamp\":1700000001000,\"step\":1}").text()).isEqualTo("{}");
        server.post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"rmse\",\"value\":0.2,"
                + "\"timestamp\":1700000002000,\"step\":2}");
        server.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"alpha\",\"value\":\"0.5\"}");
        server.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"acc\",\"value\":0.9,"
                + "\"timestamp\":1700000003000,\"step\":0}],\"params\":[{\"key\":\"l1\",\"value\":\"0.1\"}],"
                + "\"tags\":[{\"key\":\"stage\",\"value\":\"train\"}]}");

        JsonNode got = server.get("runs/get", "run_id=" + runId).json().get("run");
        assertThat(fields(got)).isEqualTo("info, data, inputs");
        assertThat(got.get("inputs").toString()).isEqualTo("{}");
        assertThat(got.get("data").get("metrics").toString()).contains(
                "{\"key\":\"rmse\",\"value\":0.2,\"timestamp\":1700000002000,\"step\":2}",
                "{\"key\":\"acc\",\"value\":0.9,\"timestamp\":1700000003000,\"step\":0}");
        assertThat(got.get("data").get("params").toString())
                .isEqualTo("[{\"key\":\"alpha\",\"value\":\"0.5\"},{\"key\":\"l1\",\"value\":\"0.1\"}]");

        assertThat(server.get("metrics/get-history", "run_id=" + runId + "&metric_key=rmse").text()).isEqualTo(
                "{\"metrics\":[{\"key\":\"rmse\",\"value\":0.25,\"timestamp\":1700000001000,\"step\":1},"
                        + "{\"key\":\"rmse\",\"value\":0.2,\"timestamp\":1700000002000,\"step\":2}]}");

        JsonNode updated = server.post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"FINISHED\","
                + "\"end_time\":1700000100000}").json().get("run_info");
        assertThat(fields(updated)).isEqualTo("run_uuid, experiment_id, run_name, user_id, status, start_time, "
                + "end_time, artifact_uri, lifecycle_stage, run_id");
        assertThat(updated.get("end_time").asLong()).isEqualTo(1700000100000L);

        JsonNode found = server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"filter\":\"metrics.rmse"
                + " < 1 and params.alpha = '0.5'\",\"max_results\":10}").json();
        assertThat(fields(found)).isEqualTo("runs");
        assertThat(found.get("runs").get(0).get("info").get("run_id").asText()).isEqualTo(runId);
    }

    @Test
    void errorsHaveMlflowCodesAndMessages() {
        String id = server.post("experiments/create", "{\"name\":\"errors\"}").json().get("experiment_id").asText();
        assertError(server.post("experiments/create", "{\"name\":\"errors\"}"), 400, "RESOURCE_ALREADY_EXISTS",
                "Experiment(name=errors) already exists.");
        assertError(server.post("experiments/create", "{}"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'name'. See the API docs for more information about request "
                        + "parameters.");
        assertError(server.post("experiments/create", "{\"name\":"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'name'.");
        assertError(server.get("experiments/get", "experiment_id=424242"), 404, "RESOURCE_DOES_NOT_EXIST",
                "No Experiment with id=424242 exists");
        assertError(server.get("experiments/get", "experiment_id=abc"), 404, "RESOURCE_DOES_NOT_EXIST", "abc");
        assertError(server.get("experiments/get-by-name", "experiment_name=nope"), 404, "RESOURCE_DOES_NOT_EXIST",
                "Could not find experiment with name 'nope'");
        assertError(server.post("experiments/delete", "{\"experiment_id\":\"0\"}"), 400, "INVALID_PARAMETER_VALUE",
                "Cannot delete the default experiment");
        assertError(server.post("experiments/restore", "{\"experiment_id\":\"" + id + "\"}"), 404,
                "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + id);
        assertError(server.post("experiments/delete-experiment-tag", "{\"experiment_id\":\"" + id + "\",\"key\":\"k\"}"),
                404, "RESOURCE_DOES_NOT_EXIST", "No tag with name: k in experiment with id " + id);
        server.post("experiments/create", "{\"name\":\"errors-2\"}");
        assertError(server.post("experiments/update", "{\"experiment_id\":\"" + id + "\",\"new_name\":\"errors-2\"}"),
                400, "RESOURCE_ALREADY_EXISTS", "Experiment(name=errors-2) already exists.");
        assertError(server.post("experiments/search", "{\"max_results\":0}"), 400, "INVALID_PARAMETER_VALUE",
                "Invalid value 0 for parameter 'max_results'");
        assertError(server.post("experiments/search", "{\"max_results\":50001}"), 400, "INVALID_PARAMETER_VALUE",
                "max_results");
        assertError(server.post("experiments/search", "{\"max_results\":5,\"filter\":\"metrics.x > 1\"}"), 400,
                "INVALID_PARAMETER_VALUE", "metrics.x");
        assertError(server.post("experiments/search", "{\"max_results\":5,\"page_token\":\"bogus\"}"), 400,
                "INVALID_PARAMETER_VALUE", "Invalid page token");

        String missingRun = "0123456789abcdef0123456789abcdef";
        assertError(server.get("runs/get", "run_id=" + missingRun), 404, "RESOURCE_DOES_NOT_EXIST",
                "Run '" + missingRun + "' not found");
        assertError(server.post("runs/log-metric", "{\"run_id\":\"" + missingRun + "\",\"key\":\"rmse\",\"value\":1,"
                + "\"timestamp\":1700000001000}"), 404, "RESOURCE_DOES_NOT_EXIST", missingRun);
        assertError(server.post("runs/create", "{\"experiment_id\":\"999\"}"), 404, "RESOURCE_DOES_NOT_EXIST",
                "No Experiment with id=999 exists");

        String runId = createRun(id);
        assertError(server.post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"rmse\","
                + "\"timestamp\":1700000002000}"), 400, "INVALID_PARAMETER_VALUE",
                "Missing value for required parameter 'value'. See the API docs for more information about request "
                        + "parameters.");
        assertError(server.post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"../x\",\"value\":1,"
                + "\"timestamp\":1}"), 400, "INVALID_PARAMETER_VALUE", "Invalid metric name");
        server.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"alpha\",\"value\":\"0.5\"}");
        assertError(server.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"alpha\","
                + "\"value\":\"0.7\"}"), 400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed. "
                + "Param with key='alpha' was already logged with value='0.5' for run ID='" + runId
                + "'. Attempted logging new value '0.7'.");
        assertThat(server.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"alpha\","
                + "\"value\":\"0.5\"}").status()).isEqualTo(200);
        assertError(server.post("runs/delete-tag", "{\"run_id\":\"" + runId + "\",\"key\":\"nope\"}"), 404,
                "RESOURCE_DOES_NOT_EXIST", "No tag with name: nope in run with id " + runId);
        assertError(server.post("runs/create", "{\"experiment_id\":\"" + id + "\",\"run_name\":\"a\",\"tags\":"
                + "[{\"key\":\"mlflow.runName\",\"value\":\"b\"}]}"), 400, "INVALID_PARAMETER_VALUE", "run_name");
        assertError(server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"max_results\":50001}"), 400,
                "INVALID_PARAMETER_VALUE", "50000");
        assertError(server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"filter\":\"params.a > 1\"}"),
                400, "INVALID_PARAMETER_VALUE", "Invalid comparator");
        assertError(server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"filter\":\"metrics.a = 'x'\"}"),
                400, "INVALID_PARAMETER_VALUE", "numeric");
        assertError(server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"order_by\":[\"bogus\"]}"),
                400, "INVALID_PARAMETER_VALUE", "bogus");

        server.post("runs/delete", "{\"run_id\":\"" + runId + "\"}");
        String inactive = "The run " + runId + " must be in the 'active' state. Current state is deleted.";
        assertError(server.post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"m\",\"value\":1,"
                + "\"timestamp\":1}"), 400, "INVALID_PARAMETER_VALUE", inactive);
        assertError(server.post("runs/set-tag", "{\"run_id\":\"" + runId + "\",\"key\":\"k\",\"value\":\"v\"}"), 400,
                "INVALID_PARAMETER_VALUE", inactive);
        assertError(server.post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"FINISHED\"}"), 400,
                "INVALID_PARAMETER_VALUE", inactive);

        server.post("experiments/delete", "{\"experiment_id\":\"" + id + "\"}");
        assertError(server.post("runs/create", "{\"experiment_id\":\"" + id + "\"}"), 400, "INVALID_PARAMETER_VALUE",
                "The experiment " + id + " must be in the 'active' state. Current state is deleted.");
        assertError(server.post("experiments/set-experiment-tag", "{\"experiment_id\":\"" + id + "\",\"key\":\"k\","
                + "\"value\":\"v\"}"), 400, "INVALID_PARAMETER_VALUE", "must be in the 'active' state");
        assertError(server.post("experiments/update", "{\"experiment_id\":\"" + id + "\",\"new_name\":\"x\"}"), 409,
                "RESOURCE_CONFLICT", "Cannot rename a non-active experiment.");
    }

    @Test
    void refusedBatchesChangeNothingAndRepeatsCreateNothingTwice() {
        String id = server.post("experiments/create", "{\"name\":\"replay\"}").json().get("experiment_id").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(server.post("experiments/create", "{\"name\":\"replay\"}").status()).isEqualTo(400);
        }
        assertThat(server.post("experiments/search", "{\"max_results\":100,\"filter\":\"name LIKE 'replay%'\"}")
                .json().get("experiments")).hasSize(1);

        String runId = createRun(id);
        server.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"p\",\"value\":\"1\"}");
        String conflicting = "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"m\",\"value\":1,\"timestamp\":1}],"
                + "\"params\":[{\"key\":\"p\",\"value\":\"2\"},{\"key\":\"q\",\"value\":\"3\"}],"
                + "\"tags\":[{\"key\":\"t\",\"value\":\"v\"}]}";
        for (int i = 0; i < 3; i++) {
            assertError(server.post("runs/log-batch", conflicting), 400, "INVALID_PARAMETER_VALUE",
                    "Changing param values is not allowed. Params were already logged='[{'key': 'p', 'old_value': '1',"
                            + " 'new_value': '2'}]' for run ID='" + runId + "'.");
        }
        StringBuilder tooMany = new StringBuilder("{\"run_id\":\"" + runId + "\",\"metrics\":[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"key\":\"m\",\"value\":").append(i).append(",\"timestamp\":1}");
        }
        assertError(server.post("runs/log-batch", tooMany + "]}"), 400, "INVALID_PARAMETER_VALUE",
                "at most 1000 metrics");
        assertError(server.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"params\":[{\"key\":\"d\","
                + "\"value\":\"1\"},{\"key\":\"d\",\"value\":\"2\"}]}"), 400, "INVALID_PARAMETER_VALUE",
                "Duplicate parameter keys have been submitted: ['d']");
        JsonNode data = server.get("runs/get", "run_id=" + runId).json().get("run").get("data");
        assertThat(data.has("metrics")).isFalse();
        assertThat(data.get("params").toString()).isEqualTo("[{\"key\":\"p\",\"value\":\"1\"}]");
        assertThat(data.get("tags")).hasSize(1);

        String batch = "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"m\",\"value\":1,\"timestamp\":1},"
                + "{\"key\":\"m\",\"value\":1,\"timestamp\":1}]}";
        server.post("runs/log-batch", batch);
        server.post("runs/log-batch", batch);
        assertThat(server.get("metrics/get-history", "run_id=" + runId + "&metric_key=m").json().get("metrics"))
                .hasSize(1);
    }

    @Test
    void acceptsMlflowInputConventions() {
        String id = server.post("experiments/create", "{\"name\":\"a b+c\"}").json().get("experiment_id").asText();
        assertThat(server.get("experiments/get-by-name", "experiment_name=a+b%2Bc").json().get("experiment")
                .get("experiment_id").asText()).isEqualTo(id);

        Reply created = server.post("runs/create", "{\"experiment_id\":\"" + id + "\",\"start_time\":\"1700000000000\","
                + "\"user_id\":\"bob\"}");
        String runId = created.json().get("run").get("info").get("run_id").asText();
        assertThat(created.json().get("run").get("info").get("start_time").asLong()).isEqualTo(1700000000000L);
        assertThat(created.json().get("run").get("info").get("user_id").asText()).isEqualTo("bob");
        List<String> values = List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1.5\"", "2");
        for (int i = 0; i < values.size(); i++) {
            assertThat(server.post("runs/log-metric", "{\"run_uuid\":\"" + runId + "\",\"key\":\"k" + i
                    + "\",\"value\":" + values.get(i) + ",\"timestamp\":\"5\",\"step\":\"2\"}").status())
                    .as(values.get(i)).isEqualTo(200);
        }
        String metrics = server.get("runs/get", "run_uuid=" + runId).json().get("run").get("data").get("metrics")
                .toString();
        assertThat(metrics).contains("\"value\":\"NaN\"", "\"value\":\"Infinity\"", "\"value\":\"-Infinity\"",
                "\"value\":1.5", "\"value\":2.0", "\"step\":2", "\"timestamp\":5");

        assertThat(server.post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":3}").json().get("run_info")
                .get("status").asText()).isEqualTo("FINISHED");
        assertThat(server.post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"KILLED\",\"run_name\":"
                + "\"renamed\"}").json().get("run_info").get("run_name").asText()).isEqualTo("renamed");
        assertThat(server.get("runs/get", "run_id=" + runId).json().get("run").get("data").get("tags").toString())
                .contains("{\"key\":\"mlflow.runName\",\"value\":\"renamed\"}");
        assertError(server.post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"DONE\"}"), 400,
                "INVALID_PARAMETER_VALUE", "DONE");

        server.post("experiments/create", "{\"name\":\"a b+c 2\"}");
        JsonNode page = server.get("experiments/search",
                "max_results=10&filter=name+LIKE+%27a+b%25%27&order_by=name+DESC&order_by=experiment_id").json();
        assertThat(page.get("experiments")).extracting(e -> e.get("name").asText()).containsExactly("a b+c 2", "a b+c");
        assertThat(server.post("experiments/search", "{\"max_results\":\"10\",\"view_type\":\"ALL\","
                + "\"filter\":\"name = 'a b+c'\"}").json().get("experiments")).hasSize(1);

        Reply notJson = server.send("POST", "/api/2.0/mlflow/experiments/create",
                BodyPublishers.ofString("{\"name\":\"plain\"}"), "Content-Type", "text/plain");
        assertError(notJson, 400, "INVALID_PARAMETER_VALUE", "Content-Type must be one of [application/json]");
        assertError(server.get("experiments/get-by-name", "experiment_name=plain"), 404, "RESOURCE_DOES_NOT_EXIST",
                "plain");
        Reply ajax = server.send("GET", "/ajax-api/2.0/mlflow/runs/get?run_id=" + runId, BodyPublishers.noBody());
        assertThat(ajax.status()).isEqualTo(200);
    }

    @Test
    void searchesFilterOnEveryKindOfIdentifier() {
        String id = server.post("experiments/create", "{\"name\":\"filters\"}").json().get("experiment_id").asText();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = server.post("runs/create", "{\"experiment_id\":\"" + id + "\",\"run_name\":\"Run-" + i
                    + "\",\"user_id\":\"u" + i + "\",\"start_time\":" + (100 + i) + "}").json().get("run").get("info")
                    .get("run_id").asText();
            server.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"score\",\"value\":"
                    + i + ",\"timestamp\":1}],\"params\":[{\"key\":\"depth\",\"value\":\"d" + i + "\"}],\"tags\":"
                    + "[{\"key\":\"group\",\"value\":\"" + (i == 0 ? "Alpha" : "beta") + "\"}]}");
            runs.add(runId);
        }
        server.post("runs/update", "{\"run_id\":\"" + runs.get(2) + "\",\"status\":\"FINISHED\",\"end_time\":500}");
        assertRuns(id, "metrics.score >= 1", runs.get(2), runs.get(1));
        assertRuns(id, "metrics.score != 1", runs.get(2), runs.get(0));
        assertRuns(id, "params.depth LIKE 'd%' and params.depth != 'd1'", runs.get(2), runs.get(0));
        assertRuns(id, "tags.group LIKE 'alpha'");
        assertRuns(id, "tags.group ILIKE 'alpha'", runs.get(0));
        assertRuns(id, "attributes.status = 'FINISHED'", runs.get(2));
        assertRuns(id, "attribute.end_time > 0", runs.get(2));
        assertRuns(id, "run.user_id = 'u1'", runs.get(1));
        assertRuns(id, "`run name` = 'Run-0'", runs.get(0));
        assertRuns(id, "attributes.run_name LIKE 'Run-_'", runs.get(2), runs.get(1), runs.get(0));
        assertRuns(id, "created < 102", runs.get(1), runs.get(0));
        assertRuns(id, "run_id NOT IN ('" + runs.get(0) + "')", runs.get(2), runs.get(1));
        assertRuns(id, "metrics.missing > 0");

        JsonNode byParamDesc = server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"order_by\":"
                + "[\"params.depth DESC\"]}").json().get("runs");
        assertThat(byParamDesc).extracting(r -> r.get("info").get("run_id").asText())
                .containsExactly(runs.get(2), runs.get(1), runs.get(0));
        server.post("runs/delete", "{\"run_id\":\"" + runs.get(1) + "\"}");
        JsonNode deleted = server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"run_view_type\":"
                + "\"DELETED_ONLY\"}").json().get("runs");
        assertThat(deleted).extracting(r -> r.get("info").get("run_id").asText()).containsExactly(runs.get(1));

        JsonNode firstPage = server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"max_results\":1}").json();
        JsonNode secondPage = server.post("runs/search", "{\"experiment_ids\":[\"" + id + "\"],\"max_results\":1,"
                + "\"page_token\":\"" + firstPage.get("next_page_token").asText() + "\"}").json();
        assertThat(secondPage.get("runs").get(0).get("info").get("run_id").asText()).isEqualTo(runs.get(0));
        assertThat(secondPage.has("next_page_token")).isFalse();
    }

    private static void assertRuns(String experimentId, String filter, String... runIds) {
        Reply reply = server.post("runs/search", "{\"experiment_ids\":[\"" + experimentId + "\"],\"filter\":"
                + TrackingTestServer.JSON.valueToTree(filter) + "}");
        assertThat(reply.status()).as(filter + ": " + reply.text()).isEqualTo(200);
        List<String> found = new ArrayList<>();
        reply.json().path("runs").forEach(r -> found.add(r.get("info").get("run_id").asText()));
        assertThat(found).as(filter).containsExactly(runIds);
    }

    private static String createRun(String experimentId) {
        return server.post("runs/create", "{\"experiment_id\":\"" + experimentId + "\"}").json().get("run").get("info")
                .get("run_id").asText();
    }

    static void assertError(Reply reply, int status, String code, String message) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.errorCode()).as(reply.text()).isEqualTo(code);
        assertThat(reply.message()).contains(message);
    }

    private static String fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }
}
