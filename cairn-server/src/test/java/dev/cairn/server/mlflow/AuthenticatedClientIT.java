package dev.cairn.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The real MLflow Java client against a server that authenticates: with Basic credentials (MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD, the token as the password) and with a Bearer token (MLFLOW_TRACKING_TOKEN) it works and
 * acts as the token's user; without credentials, or below the role a call needs, it gets MLflow's errors.
 */
class AuthenticatedClientIT {
    private static final String ADMIN_TOKEN = "mlflow-client-bootstrap-admin-token-99";

    @TempDir
    static Path data;
    static CairnServer server;
    static String url;
    static String editorToken;
    static String viewerToken;

    @BeforeAll
    static void start() throws Exception {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).adminToken(ADMIN_TOKEN).build());
        url = "http://127.0.0.1:" + server.port();
        editorToken = createUser("mlops", "editor");
        viewerToken = createUser("reader", "viewer");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void basicCredentialsWithTheTokenAsPasswordWork() {
        MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(url, "mlops", editorToken));
        String experiment = client.createExperiment("basic-auth");
        RunInfo run = client.createRun(experiment);
        assertThat(run.getUserId()).as("the signed-in user, not the client's own user_id").isEqualTo("mlops");
        client.logMetric(run.getRunId(), "auc", 0.93);
        assertThat(client.getRun(run.getRunId()).getData().getMetricsList()).singleElement()
                .satisfies(m -> assertThat(m.getValue()).isEqualTo(0.93));

        client.sendPost("registered-models/create", "{\"name\": \"basic-model\"}");
        client.sendPost("model-versions/create", "{\"name\": \"basic-model\", \"source\": \"runs:/" + run.getRunId()
                + "/model\", \"run_id\": \"" + run.getRunId() + "\"}");
        assertThat(client.getModelVersion("basic-model", "1").getRunId()).isEqualTo(run.getRunId());
        assertThat(firstActor("basic-model")).isEqualTo("mlops");
    }

    @Test
    void aBearerTokenWorks() {
        MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(url, editorToken));
        client.sendPost("registered-models/create", "{\"name\": \"bearer-model\"}");
        assertThat(client.getRegisteredModel("bearer-model").getName()).isEqualTo("bearer-model");
        assertThat(client.getExperimentByName("Default")).isPresent();
        assertThat(firstActor("bearer-model")).isEqualTo("mlops");
    }

    @Test
    void withoutCredentialsOrWithABadTokenTheClientGetsAnAuthenticationError() {
        for (MlflowClient client : new MlflowClient[] {new MlflowClient(url),
                new MlflowClient(new BasicMlflowHostCreds(url, "mlops", "not-a-token")),
                new MlflowClient(new BasicMlflowHostCreds(url, editorToken + "x"))}) {
            assertThatThrownBy(() -> client.createExperiment("refused"))
                    .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(401);
                        assertThat(e.getBodyMessage()).contains("UNAUTHENTICATED").doesNotContain(editorToken);
                    });
        }
        MlflowClient admin = new MlflowClient(new BasicMlflowHostCreds(url, ADMIN_TOKEN));
        assertThat(admin.getExperimentByName("refused")).isEmpty();
    }

    @Test
    void aViewerReadsButCannotWrite() {
        MlflowClient writer = new MlflowClient(new BasicMlflowHostCreds(url, "mlops", editorToken));
        String experiment = writer.createExperiment("read-only");
        MlflowClient reader = new MlflowClient(new BasicMlflowHostCreds(url, "reader", viewerToken));
        assertThat(reader.getExperiment(experiment).getName()).isEqualTo("read-only");
        assertThatThrownBy(() -> reader.createRun(experiment))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    assertThat(e.getBodyMessage()).contains("PERMISSION_DENIED").contains("the editor role");
                });
        assertThatThrownBy(() -> reader.sendPost("registered-models/create", "{\"name\": \"not-mine\"}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403));
        assertThat(writer.searchRuns(java.util.List.of(experiment), "")).isEmpty();
    }

    private static String createUser(String name, String role) throws Exception {
        JsonNode created = RegistryTestServer.JSON.readTree(HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(url + "/api/v1/users"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")).build(),
                BodyHandlers.ofString()).body());
        return created.get("token").get("token").asText();
    }

    private static String firstActor(String model) {
        try {
            JsonNode history = RegistryTestServer.JSON.readTree(HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(url + "/api/v1/models/" + model + "/history"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), BodyHandlers.ofString()).body());
            return history.get("events").get(0).get("actor").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
