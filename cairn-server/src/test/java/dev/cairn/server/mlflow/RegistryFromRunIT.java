package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.RegistryTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.mlflow.RegistryTestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions registered through MLflow from what Cairn tracks: the run's artifacts become the version's
 * content-addressed files (no bytes copied), its metrics, params, git tags and dataset inputs become the version's
 * metrics, params and lineage, all visible through the native API; sources Cairn does not hold stay external.
 */
class RegistryFromRunIT {
    private static final String COMMIT = "3f2a9c1e0b7d4a6f8e5c2b1a0d9e8f7c6b5a4d3e";
    private static final byte[] MLMODEL = "flavors:\n  sklearn: {}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PICKLE = "not really a pickle".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;
    RegistryTestServer server;
    String runId;
    String artifactUri;

    @BeforeEach
    void trainARun() {
        server = RegistryTestServer.start(data);
        String experiment = ok(server.post("experiments/create", "{\"name\": \"fraud\"}")).get("experiment_id").asText();
        JsonNode run = ok(server.post("runs/create", "{\"experiment_id\": \"" + experiment + "\", \"start_time\": \"1\"}"));
        runId = run.at("/run/info/run_id").asText();
        artifactUri = run.at("/run/info/artifact_uri").asText();
        String id = "\"run_id\": \"" + runId + "\", ";
        ok(server.post("runs/log-metric", "{" + id + "\"key\": \"auc\", \"value\": 0.91, \"timestamp\": \"1000\", \"step\": \"0\"}"));
        ok(server.post("runs/log-metric", "{" + id + "\"key\": \"auc\", \"value\": 0.95, \"timestamp\": \"2000\", \"step\": \"1\"}"));
        ok(server.post("runs/log-parameter", "{" + id + "\"key\": \"lr\", \"value\": \"0.1\"}"));
        ok(server.post("runs/set-tag", "{" + id + "\"key\": \"mlflow.source.git.repoURL\", \"value\": \"https://git.example/fraud\"}"));
        ok(server.post("runs/set-tag", "{" + id + "\"key\": \"mlflow.source.git.commit\", \"value\": \"" + COMMIT + "\"}"));
        ok(server.post("runs/set-tag", "{" + id + "\"key\": \"mlflow.source.git.branch\", \"value\": \"main\"}"));
        ok(server.post("runs/log-inputs", "{" + id + "\"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\","
                + " \"value\": \"train\"}], \"dataset\": {\"name\": \"transactions\", \"digest\": \"1a2b3c4d\","
                + " \"source_type\": \"s3\", \"source\": \"{\\\"uri\\\": \\\"s3://data/transactions.csv\\\"}\"}}]}"));
        String root = artifactUri.substring("mlflow-artifacts:/".length());
        ok(server.uploadArtifact(root + "/model/MLmodel", MLMODEL));
        ok(server.uploadArtifact(root + "/model/model.pkl", PICKLE));
        ok(server.uploadArtifact(root + "/notes.txt", "outside the model".getBytes(StandardCharsets.UTF_8)));
        ok(server.post("registered-models/create", "{\"name\": \"fraud\"}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aVersionFromRunsUriTakesTheRunsFilesMetricsParamsAndLineage() {
        JsonNode created = ok(server.post("model-versions/create",
                "{\"name\": \"fraud\", \"source\": \"runs:/" + runId + "/model\"}")).get("model_version");
        assertThat(created.get("status").asText()).isEqualTo("READY");
        assertThat(created.get("source").asText()).isEqualTo("runs:/" + runId + "/model");

        JsonNode version = ok(server.nativeGet("/api/v1/models/fraud/versions/1"));
        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.get("content_addressed").asBoolean()).isTrue();
        assertThat(version.get("digest").asText()).startsWith("sha256:");
        Map<String, String> files = new TreeMap<>();
        version.get("files").forEach(f -> files.put(f.get("path").asText(), f.get("sha256").asText()));
        assertThat(files).isEqualTo(Map.of("MLmodel", sha256(MLMODEL), "model.pkl", sha256(PICKLE)));
        assertThat(version.at("/metrics/auc").asDouble()).as("the latest value").isEqualTo(0.95);
        assertThat(version.at("/params/lr").asText()).isEqualTo("0.1");
        // A Cairn extension of MLflow's version search: the metrics a version was registered with.
        JsonNode found = ok(server.get("model-versions/search", "filter=" + q("metrics.auc > 0.9")));
        assertThat(found.get("model_versions")).hasSize(1);
        assertThat(found.at("/model_versions/0/source").asText()).startsWith("runs:/" + runId);
        assertThat(ok(server.get("model-versions/search", "filter=" + q("metrics.auc > 0.96"))).has("model_versions"))
                .isFalse();
        assertThat(server.get("model-versions/search", "filter=" + q("metrics.auc > 'high'")).status()).isEqualTo(400);
        JsonNode lineage = version.get("lineage");
        assertThat(lineage.at("/code/repository").asText()).isEqualTo("https://git.example/fraud");
        assertThat(lineage.at("/code/commit").asText()).isEqualTo(COMMIT);
        assertThat(lineage.at("/code/branch").asText()).isEqualTo("main");
        assertThat(lineage.at("/run/id").asText()).isEqualTo(runId);
        assertThat(lineage.at("/run/uri").asText()).isEqualTo("runs:/" + runId);
        JsonNode dataset = lineage.at("/datasets/0");
        assertThat(dataset.get("name").asText()).isEqualTo("transactions");
        assertThat(dataset.get("uri").asText()).isEqualTo("s3://data/transactions.csv");
        assertThat(dataset.get("digest").asText()).isEqualTo("1a2b3c4d");
        assertThat(dataset.get("role").asText()).isEqualTo("train");

        assertThat(versionsIn(ok(server.nativeGet("/api/v1/lineage?commit=" + COMMIT.substring(0, 8))))).containsExactly("fraud:1");
        assertThat(versionsIn(ok(server.nativeGet("/api/v1/lineage?dataset=1a2b3c4d")))).containsExactly("fraud:1");
        assertThat(ok(server.get("model-versions/get-download-uri", "name=fraud&version=1")).get("artifact_uri").asText())
                .isEqualTo("runs:/" + runId + "/model");
        assertThat(download("_cairn/models/fraud/1/model.pkl")).isEqualTo(PICKLE);
    }

    @Test
    void everyMlflowFormOfTheSameFilesGivesTheSameDigest() {
        ok(server.post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"runs:/" + runId + "/model\"}"));
        ok(server.post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"" + artifactUri + "/model\","
                + " \"run_id\": \"" + runId + "\"}"));
        ok(server.post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"models:/fraud/1\"}"));
        String digest = ok(server.nativeGet("/api/v1/models/fraud/versions/1")).get("digest").asText();
        JsonNode second = ok(server.nativeGet("/api/v1/models/fraud/versions/2"));
        assertThat(second.get("digest").asText()).isEqualTo(digest);
        assertThat(second.at("/metrics/auc").asDouble()).isEqualTo(0.95);
        assertThat(ok(server.nativeGet("/api/v1/models/fraud/versions/3")).get("digest").asText()).isEqualTo(digest);
        assertThat(ok(server.get("model-versions/get-download-uri", "name=fraud&version=3")).get("artifact_uri").asText())
                .as("models:/ resolves to that version's location").isEqualTo("runs:/" + runId + "/model");
        JsonNode verify = ok(server.nativeGet("/api/v1/models/fraud/verify"));
        assertThat(verify.get("ok").asBoolean()).isTrue();
        assertThat(verify.get("versions")).allSatisfy(v -> assertThat(v.get("ok").asBoolean()).isTrue());
    }

    @Test
    void anS3VersionIsAnUnverifiableExternalReference() {
        ok(server.post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"s3://bucket/fraud/model\"}"));
        ok(server.post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"mlflow-artifacts:/nothing/here\"}"));
        for (int v = 1; v <= 2; v++) {
            JsonNode version = ok(server.nativeGet("/api/v1/models/fraud/versions/" + v));
            assertThat(version.get("status").asText()).isEqualTo("READY");
            assertThat(version.get("content_addressed").asBoolean()).isFalse();
            assertThat(version.path("files").size()).isZero();
        }
        JsonNode verify = ok(server.nativeGet("/api/v1/models/fraud/verify"));
        assertThat(verify.get("ok").asBoolean()).as("unverifiable is not a failure").isTrue();
        assertThat(verify.get("versions")).allSatisfy(v -> {
            assertThat(v.get("unverifiable").asBoolean()).isTrue();
            assertThat(v.get("ok").asBoolean()).as("nor is it verified").isFalse();
        });
        assertThat(ok(server.get("model-versions/get-download-uri", "name=fraud&version=1")).get("artifact_uri").asText())
                .isEqualTo("s3://bucket/fraud/model");
    }

    @Test
    void aNativeVersionIsDownloadableThroughMlflowArtifacts() {
        Reply draft = server.call("POST", "/api/v1/models/native/versions", "{\"create_model\": true}");
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        putFile("/api/v1/models/native/versions/1/files/weights/model.bin", PICKLE);
        assertThat(server.call("POST", "/api/v1/models/native/versions/1/commit", null).status()).isEqualTo(200);

        String uri = ok(server.get("model-versions/get-download-uri", "name=native&version=1")).get("artifact_uri").asText();
        assertThat(uri).isEqualTo("mlflow-artifacts:/_cairn/models/native/1");
        assertThat(download("_cairn/models/native/1/weights/model.bin")).isEqualTo(PICKLE);
        JsonNode listing = ok(server.call("GET", "/api/2.0/mlflow-artifacts/artifacts?path="
                + q("_cairn/models/native/1/weights"), null));
        assertThat(listing.at("/files/0/path").asText()).isEqualTo("model.bin");
    }

    private void putFile(String path, byte[] bytes) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url + path))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            int status = HttpClient.newHttpClient().send(request, BodyHandlers.discarding()).statusCode();
            assertThat(status).isEqualTo(201);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private byte[] download(String artifactPath) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url
                    + "/api/2.0/mlflow-artifacts/artifacts/" + artifactPath)).GET().build();
            var response = HttpClient.newHttpClient().send(request, BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static java.util.List<String> versionsIn(JsonNode list) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        list.get("versions").forEach(v -> keys.add(v.get("name").asText() + ":" + v.get("version").asInt()));
        return keys;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
