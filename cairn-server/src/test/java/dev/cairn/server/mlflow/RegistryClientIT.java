package dev.cairn.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.Page;

/**
 * The registry through the real MLflow Java client (2.17.2): every registry method it has, and sendPost / sendPatch /
 * sendGet for the calls it only reaches that way, as its own test suite does.
 */
class RegistryClientIT {
    @TempDir
    static Path data;
    static RegistryTestServer server;
    static MlflowClient client;

    @BeforeAll
    static void start() throws Exception {
        server = RegistryTestServer.start(data);
        client = server.client();
        client.sendPost("registered-models/create", "{\"name\": \"clf\", \"description\": \"a classifier\","
                + " \"tags\": [{\"key\": \"team\", \"value\": \"ml\"}]}");
        // The client's own test registers a version of a run that does not exist; it must succeed.
        client.sendPost("model-versions/create", "{\"name\": \"clf\", \"source\": \"runs:/newVersionRunId/model\","
                + " \"run_id\": \"newVersionRunId\"}");
        Thread.sleep(2);
        client.sendPost("model-versions/create", "{\"name\": \"clf\", \"source\": \"s3://bucket/clf/2\","
                + " \"description\": \"second\", \"run_link\": \"http://runs.example/2\"}");
        Thread.sleep(2);
        client.sendPost("model-versions/create", "{\"name\": \"clf\", \"source\": \"s3://bucket/clf/3\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getRegisteredModelShowsTagsAndLatestVersionPerStage() {
        RegisteredModel model = client.getRegisteredModel("clf");
        assertThat(model.getName()).isEqualTo("clf");
        assertThat(model.getDescription()).isEqualTo("a classifier");
        assertThat(model.getTagsList()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("team");
            assertThat(t.getValue()).isEqualTo("ml");
        });
        assertThat(model.getCreationTimestamp()).isPositive();
        assertThat(model.getLatestVersionsList()).extracting(ModelVersion::getVersion).contains("3");
    }

    @Test
    void versionsAreReadyWithStringNumbersAndTheSourceAsDownloadUri() {
        ModelVersion v1 = client.getModelVersion("clf", "1");
        assertThat(v1.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(v1.getRunId()).isEqualTo("newVersionRunId");
        assertThat(v1.getSource()).isEqualTo("runs:/newVersionRunId/model");
        assertThat(v1.getCurrentStage()).isEqualTo("None");
        assertThat(client.getModelVersionDownloadUri("clf", "1")).isEqualTo("runs:/newVersionRunId/model");
        assertThat(client.getModelVersionDownloadUri("clf", "2")).isEqualTo("s3://bucket/clf/2");
        ModelVersion v2 = client.getModelVersion("clf", "2");
        assertThat(v2.getRunLink()).isEqualTo("http://runs.example/2");
        assertThat(v2.getDescription()).isEqualTo("second");

        assertThatThrownBy(() -> client.getModelVersion("clf", "99"))
                .isInstanceOf(MlflowHttpException.class).hasMessageContaining("RESOURCE_DOES_NOT_EXIST");
        assertThatThrownBy(() -> client.getRegisteredModel("nope"))
                .isInstanceOf(MlflowHttpException.class).hasMessageContaining("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void searchModelVersionsPagesInCreationOrder() {
        List<String> order = List.of("creation_timestamp ASC");
        ModelVersionsPage first = client.searchModelVersions("name = 'clf'", 1, order);
        assertThat(first.getItems()).extracting(ModelVersion::getVersion).containsExactly("1");
        assertThat(first.hasNextPage()).isTrue();
        Page<ModelVersion> second = first.getNextPage();
        assertThat(second.getItems()).extracting(ModelVersion::getVersion).containsExactly("2");
        Page<ModelVersion> third = second.getNextPage();
        assertThat(third.getItems()).extracting(ModelVersion::getVersion).containsExactly("3");
        assertThat(third.hasNextPage()).as("no token on the last page").isFalse();

        ModelVersionsPage pairs = client.searchModelVersions("name = 'clf'", 2, order);
        assertThat(pairs.getItems()).extracting(ModelVersion::getVersion).containsExactly("1", "2");
        ModelVersionsPage rest = client.searchModelVersions("name = 'clf'", 2, order, pairs.getNextPageToken().get());
        assertThat(rest.getItems()).extracting(ModelVersion::getVersion).containsExactly("3");
        assertThat(rest.hasNextPage()).isFalse();

        assertThat(client.searchModelVersions("run_id = 'newVersionRunId'").getItems())
                .extracting(ModelVersion::getVersion).containsExactly("1");
        assertThat(client.searchModelVersions().getItems()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(client.searchModelVersions("name = 'no such model'").getItems()).isEmpty();
    }

    @Test
    void stagesThroughTransitionAndGetLatestVersions() throws Exception {
        client.sendPost("registered-models/create", "{\"name\": \"staged\"}");
        for (int i = 0; i < 3; i++) {
            client.sendPost("model-versions/create", "{\"name\": \"staged\", \"source\": \"s3://b/staged/" + i + "\"}");
        }
        client.sendPost("model-versions/transition-stage",
                "{\"name\": \"staged\", \"version\": \"1\", \"stage\": \"Staging\"}");
        client.sendPost("model-versions/transition-stage",
                "{\"name\": \"staged\", \"version\": \"2\", \"stage\": \"production\", \"archive_existing_versions\": false}");

        assertThat(client.getLatestVersions("staged")).extracting(v -> v.getCurrentStage() + ":" + v.getVersion())
                .containsExactlyInAnyOrder("Staging:1", "Production:2", "None:3");
        assertThat(client.getLatestVersions("staged", List.of("Production")))
                .extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(client.getLatestVersions("staged", List.of("Archived"))).isEmpty();

        JsonNode moved = RegistryTestServer.JSON.readTree(client.sendPost("model-versions/transition-stage",
                "{\"name\": \"staged\", \"version\": \"3\", \"stage\": \"Production\", \"archive_existing_versions\": true}"));
        assertThat(moved.at("/model_version/current_stage").asText()).isEqualTo("Production");
        assertThat(client.getModelVersion("staged", "2").getCurrentStage()).isEqualTo("Archived");
    }

    @Test
    void updateTagsAliasesAndRenameThroughSendCalls() throws Exception {
        client.sendPost("registered-models/create", "{\"name\": \"edits\"}");
        client.sendPost("model-versions/create", "{\"name\": \"edits\", \"source\": \"s3://b/edits/1\"}");

        JsonNode updated = RegistryTestServer.JSON.readTree(client.sendPatch("model-versions/update",
                "{\"name\": \"edits\", \"version\": \"1\", \"description\": \"tuned\"}"));
        assertThat(updated.at("/model_version/description").asText()).isEqualTo("tuned");
        client.sendPatch("registered-models/update", "{\"name\": \"edits\", \"description\": \"about\"}");
        client.sendPost("registered-models/set-tag", "{\"name\": \"edits\", \"key\": \"env\", \"value\": \"prod\"}");
        client.sendPost("model-versions/set-tag",
                "{\"name\": \"edits\", \"version\": \"1\", \"key\": \"validated\", \"value\": \"true\"}");
        client.sendPost("registered-models/alias", "{\"name\": \"edits\", \"alias\": \"champion\", \"version\": \"1\"}");

        JsonNode byAlias = RegistryTestServer.JSON.readTree(
                client.sendGet("registered-models/alias?name=edits&alias=champion"));
        assertThat(byAlias.at("/model_version/version").asText()).isEqualTo("1");
        assertThat(byAlias.at("/model_version/aliases/0").asText()).isEqualTo("champion");
        assertThat(client.getModelVersion("edits", "1").getTagsList()).singleElement()
                .satisfies(t -> assertThat(t.getKey() + "=" + t.getValue()).isEqualTo("validated=true"));

        JsonNode renamed = RegistryTestServer.JSON.readTree(client.sendPost("registered-models/rename",
                "{\"name\": \"edits\", \"new_name\": \"edited\"}"));
        assertThat(renamed.at("/registered_model/name").asText()).isEqualTo("edited");
        RegisteredModel model = client.getRegisteredModel("edited");
        assertThat(model.getDescription()).isEqualTo("about");
        assertThat(model.getAliasesList()).singleElement().satisfies(a -> {
            assertThat(a.getAlias()).isEqualTo("champion");
            assertThat(a.getVersion()).isEqualTo("1");
        });
        assertThat(client.getModelVersion("edited", "1").getDescription()).isEqualTo("tuned");
        assertThatThrownBy(() -> client.getRegisteredModel("edits")).isInstanceOf(MlflowHttpException.class);

        JsonNode found = RegistryTestServer.JSON.readTree(client.sendGet(
                "registered-models/search?filter=" + RegistryTestServer.q("tags.env = 'prod'")));
        assertThat(found.get("registered_models")).extracting(m -> m.get("name").asText()).containsExactly("edited");
        assertThat(found.has("next_page_token")).isFalse();
    }

    @Test
    void errorsComeBackWithMlflowCodes() {
        assertThatThrownBy(() -> client.sendPost("registered-models/create", "{\"name\": \"clf\"}"))
                .isInstanceOf(MlflowHttpException.class)
                .satisfies(e -> assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(400))
                .hasMessageContaining("RESOURCE_ALREADY_EXISTS");
        assertThatThrownBy(() -> client.sendPost("model-versions/create",
                "{\"name\": \"missing\", \"source\": \"s3://b/x\"}"))
                .isInstanceOf(MlflowHttpException.class)
                .hasMessageContaining("Registered Model with name=missing not found");
    }
}
