package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.ApiModels.Lineage;
import dev.cairn.api.ApiModels.VersionList;
import dev.cairn.api.Json;
import dev.cairn.cli.Cli.Result;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team that only uses MLflow clients: what it logs on a run and registers through the MLflow API shows up as the
 * version's lineage in {@code cairn lineage}, and {@code cairn verify} checks its files.
 */
class MlflowLineageIT {
    @TempDir
    static Path data;

    @TempDir
    static Path work;

    static CairnServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aVersionRegisteredThroughMlflowShowsItsLineage() throws Exception {
        String experiment = post("experiments/create", "{\"name\": \"fraud-training\"}").get("experiment_id").asText();
        String run = post("runs/create", "{\"experiment_id\": \"" + experiment + "\", \"tags\": ["
                + "{\"key\": \"mlflow.source.git.commit\", \"value\": \"7d1e0b2c\"},"
                + "{\"key\": \"mlflow.source.git.repoURL\", \"value\": \"https://git.example.com/risk/fraud.git\"},"
                + "{\"key\": \"mlflow.source.git.branch\", \"value\": \"main\"}]}")
                .get("run").get("info").get("run_id").asText();
        post("runs/log-batch", "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"auc\", \"value\": 0.93, "
                + "\"timestamp\": 1, \"step\": 1}], \"params\": [{\"key\": \"lr\", \"value\": \"0.03\"}]}");
        post("runs/log-inputs", "{\"run_id\": \"" + run + "\", \"datasets\": [{\"tags\": [{\"key\": "
                + "\"mlflow.data.context\", \"value\": \"train\"}], \"dataset\": {\"name\": \"transactions\", "
                + "\"digest\": \"60303ae2\", \"source_type\": \"s3\", \"source\": \"s3://data/transactions\"}}]}");
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/2.0/mlflow-artifacts/artifacts/" + experiment + "/" + run + "/artifacts/model/model.onnx"))
                .PUT(HttpRequest.BodyPublishers.ofString("weights")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(200);
        post("registered-models/create", "{\"name\": \"fraud\"}");
        post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"runs:/" + run + "/model\", \"run_id\": \"" + run + "\"}");

        Cli cairn = new Cli(server.url(), work);
        Result table = cairn.run("lineage", "fraud", "1");
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("https://git.example.com/risk/fraud.git", "7d1e0b2c", "main",
                "train", "s3://data/transactions", "60303ae2", run);
        Lineage lineage = cairn.run("-o", "json", "lineage", "fraud", "1").json(Lineage.class);
        assertThat(lineage.code().commit()).isEqualTo("7d1e0b2c");
        assertThat(lineage.datasets()).singleElement().satisfies(d -> assertThat(d.role()).isEqualTo("train"));
        assertThat(cairn.run("-o", "json", "lineage", "--commit", "7d1e0b2c").json(VersionList.class).versions())
                .singleElement().satisfies(v -> {
                    assertThat(v.metrics()).containsEntry("auc", 0.93);
                    assertThat(v.params()).containsEntry("lr", "0.03");
                    assertThat(v.files()).singleElement().satisfies(f -> assertThat(f.path()).isEqualTo("model.onnx"));
                });

        post("model-versions/create", "{\"name\": \"fraud\", \"source\": \"s3://bucket/fraud/model\"}");
        Result verify = cairn.run("verify", "fraud");
        assertThat(verify.code()).isZero();
        assertThat(verify.out()).containsPattern("fraud\\s+1\\s+1\\s+0\\s+0\\s+ok\\s+ok")
                .containsPattern("fraud\\s+2.*unverifiable");
    }

    private static JsonNode post(String rpc, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow/" + rpc))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(rpc + ": " + response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
