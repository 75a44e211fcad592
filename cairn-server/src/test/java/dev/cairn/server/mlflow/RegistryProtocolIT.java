package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.RegistryTestServer.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.mlflow.RegistryTestServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry RPCs over raw HTTP, as MLflow's Python client and REST tools call them: the JSON conventions of spec §1,
 * the DELETE calls (JSON bodies), every endpoint's errors (status, error_code, and nothing changed), and that MLflow
 * and the native API are one registry.
 */
class RegistryProtocolIT {
    @TempDir
    Path data;
    RegistryTestServer server;

    @BeforeEach
    void start() {
        server = RegistryTestServer.start(data);
        ok(server.post("registered-models/create", "{\"name\": \"m\", \"tags\": [{\"key\": \"team\", \"value\": \"ml\"}]}"));
        for (int i = 1; i <= 3; i++) {
            ok(server.post("model-versions/create", "{\"name\": \"m\", \"source\": \"s3://b/m/" + i + "\","
                    + " \"run_id\": \"run" + i + "\", \"tags\": [{\"key\": \"k\", \"value\": \"v" + i + "\"}]}"));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void jsonFollowsMlflowConventions() {
        JsonNode v = ok(server.get("model-versions/get", "name=m&version=2")).get("model_version");
        assertThat(v.get("version").isTextual()).as("version is a string").isTrue();
        assertThat(v.get("version").asText()).isEqualTo("2");
        assertThat(v.get("creation_timestamp").isIntegralNumber()).isTrue();
        assertThat(v.get("status").asText()).isEqualTo("READY");
        assertThat(v.get("current_stage").asText()).isEqualTo("None");
        assertThat(v.get("description").asText()).as("emitted even when empty").isEmpty();
        assertThat(v.get("run_link").asText()).isEmpty();
        assertThat(v.get("tags").get(0).get("key").asText()).isEqualTo("k");
        assertThat(v.has("aliases")).as("empty lists are left out").isFalse();

        JsonNode created = ok(server.post("registered-models/create", "{\"name\": \"bare\"}")).get("registered_model");
        assertThat(created.has("description")).isFalse();
        assertThat(created.has("tags")).isFalse();
        assertThat(created.has("latest_versions")).isFalse();

        // int64 as a string (the Java client) or a number; '+' is a space in a query; repeated parameters.
        ok(server.post("registered-models/create", "{\"name\": \"a b\"}"));
        assertThat(ok(server.get("registered-models/get", "name=a+b")).at("/registered_model/name").asText())
                .isEqualTo("a b");
        assertThat(ok(server.get("model-versions/search", "filter=" + q("name = 'm'") + "&max_results=1"))
                .get("model_versions")).hasSize(1);
        ok(server.post("model-versions/transition-stage",
                "{\"name\": \"m\", \"version\": \"1\", \"stage\": \"Staging\"}"));
        JsonNode latest = ok(server.get("registered-models/get-latest-versions", "name=m&stages=Staging&stages=none"));
        assertThat(latest.get("model_versions")).extracting(n -> n.get("version").asText()).containsExactly("1", "3");
        JsonNode viaPost = ok(server.post("registered-models/get-latest-versions",
                "{\"name\": \"m\", \"stages\": [\"Production\"]}"));
        assertThat(viaPost.has("model_versions")).as("no version in Production: {}").isFalse();
        assertThat(ok(server.call("GET", "/ajax-api/2.0/mlflow/registered-models/get?name=m", null))
                .at("/registered_model/name").asText()).isEqualTo("m");
        // A GET without a query string reads a JSON body, as MLflow does.
        assertThat(ok(server.call("GET", "/api/2.0/mlflow/registered-models/get", "{\"name\": \"m\"}"))
                .at("/registered_model/name").asText()).isEqualTo("m");
    }

    @Test
    void searchFiltersOrdersAndPages() {
        ok(server.post("registered-models/create", "{\"name\": \"other\", \"tags\": [{\"key\": \"team\", \"value\": \"ops\"}]}"));
        assertThat(names(ok(server.get("registered-models/search", "filter=" + q("name LIKE 'm%'")))))
                .containsExactly("m");
        assertThat(names(ok(server.get("registered-models/search", "filter=" + q("name ILIKE 'M%'")))))
                .containsExactly("m");
        assertThat(names(ok(server.get("registered-models/search", "filter=" + q("name LIKE 'M%'"))))).isEmpty();
        assertThat(names(ok(server.get("registered-models/search", "filter=" + q("tags.team != 'ml'")))))
                .containsExactly("other");
        assertThat(names(ok(server.get("registered-models/search", "order_by=" + q("name DESC")))))
                .containsExactly("other", "m");
        JsonNode page1 = ok(server.get("registered-models/search", "max_results=1"));
        assertThat(names(page1)).containsExactly("m");
        JsonNode page2 = ok(server.get("registered-models/search",
                "max_results=1&page_token=" + q(page1.get("next_page_token").asText())));
        assertThat(names(page2)).containsExactly("other");
        assertThat(page2.has("next_page_token")).isFalse();

        assertThat(versions(ok(server.get("model-versions/search", "filter=" + q("run_id IN ('run1', 'run3')")))))
                .containsExactlyInAnyOrder("1", "3");
        assertThat(versions(ok(server.get("model-versions/search",
                "filter=" + q("name = 'm' AND version_number >= 2") + "&order_by=" + q("version_number ASC")))))
                .containsExactly("2", "3");
        assertThat(versions(ok(server.get("model-versions/search", "filter=" + q("tags.k = 'v2'")))))
                .containsExactly("2");
        assertThat(versions(ok(server.get("model-versions/search", "filter=" + q("source_path LIKE 's3://b/m/%'")
                + "&order_by=" + q("version_number DESC"))))).containsExactly("3", "2", "1");
        JsonNode first = ok(server.get("model-versions/search", "max_results=2&order_by=" + q("creation_timestamp ASC")
                + "&order_by=" + q("version_number ASC")));
        assertThat(versions(first)).containsExactly("1", "2");
        assertThat(first.get("next_page_token").asText()).isEqualTo("eyJvZmZzZXQiOiAyfQ==");
    }

    @Test
    void badInputGetsMlflowErrorsAndChangesNothing() {
        String missingName = "Missing value for required parameter 'name'. See the API docs for more information about "
                + "request parameters.";
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/create", "{}"))
                .message()).isEqualTo(missingName);
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/create", "{\"name\": 123}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/create", "{\"name\":"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/create", "{\"name\": \"a/b\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/create",
                "{\"name\": \"t\", \"tags\": [{\"key\": \"bad#key\", \"value\": \"x\"}]}"));
        assertThat(server.refused(400, "RESOURCE_ALREADY_EXISTS", () -> server.post("registered-models/create",
                "{\"name\": \"m\"}")).message()).isEqualTo("Registered Model (name=m) already exists.");
        assertThat(server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.get("registered-models/get", "name=zz"))
                .message()).isEqualTo("Registered Model with name=zz not found");
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/get", "other=1"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/rename", "{\"name\": \"m\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("registered-models/rename",
                "{\"name\": \"zz\", \"new_name\": \"yy\"}"));
        ok(server.post("registered-models/create", "{\"name\": \"taken\"}"));
        server.refused(400, "RESOURCE_ALREADY_EXISTS", () -> server.post("registered-models/rename",
                "{\"name\": \"m\", \"new_name\": \"taken\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.patch("registered-models/update", "{\"name\": \"zz\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.delete("registered-models/delete", "{\"name\": \"zz\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/search", "filter=" + q("foo = 'bar'")));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/search",
                "filter=" + q("creation_timestamp > 5")));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/search", "max_results=1001"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/search", "page_token=%25%25"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/search",
                "order_by=" + q("creation_timestamp")));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("model-versions/search", "max_results=200001"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("model-versions/search",
                "filter=" + q("current_stage = 'None'")));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("model-versions/search",
                "filter=" + q("version_number = '2'")));
        server.refused(500, "INTERNAL_ERROR", () -> server.get("model-versions/search",
                "order_by=name&order_by=" + q("name DESC")));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/get-latest-versions",
                "{\"name\": \"m\", \"stages\": [\"Foo\"]}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("registered-models/get-latest-versions",
                "{\"name\": \"zz\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("registered-models/set-tag",
                "{\"name\": \"zz\", \"key\": \"a\", \"value\": \"b\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/set-tag",
                "{\"name\": \"m\", \"key\": \"../up\", \"value\": \"b\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.delete("registered-models/delete-tag",
                "{\"name\": \"zz\", \"key\": \"a\"}"));
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/alias",
                "{\"name\": \"m\", \"alias\": \"latest\", \"version\": \"1\"}")).message())
                .isEqualTo("'latest' alias name (case insensitive) is reserved.");
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/alias",
                "{\"name\": \"m\", \"alias\": \"v2\", \"version\": \"1\"}")).message())
                .isEqualTo("Version alias name 'v2' is reserved.");
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("registered-models/alias",
                "{\"name\": \"m\", \"alias\": \"Champion\", \"version\": \"1\"}"));
        assertThat(server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("registered-models/alias",
                "{\"name\": \"m\", \"alias\": \"x\", \"version\": \"99\"}")).message())
                .isEqualTo("Model Version (name=m, version=99) not found");
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.delete("registered-models/alias",
                "{\"name\": \"zz\", \"alias\": \"x\"}"));
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/alias",
                "name=m&alias=nope")).message()).isEqualTo("Registered model alias nope not found.");
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/alias", "name=zz&alias=nope"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/create", "{\"name\": \"m\"}"));
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/create",
                "{\"name\": \"m\", \"source\": \"/tmp/model\"}")).message()).startsWith("Invalid model version source: '/tmp/model'.");
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/create",
                "{\"name\": \"m\", \"source\": \"file:///tmp/model\", \"run_id\": \"run1\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/create",
                "{\"name\": \"m\", \"source\": \"s3://bucket/a/../../b\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/create",
                "{\"name\": \"m\", \"source\": \"s3://bucket/a/%252E%252E/b\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("model-versions/create",
                "{\"name\": \"zz\", \"source\": \"s3://b/x\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("model-versions/create",
                "{\"name\": \"m\", \"source\": \"models:/m/42\"}"));
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("model-versions/get",
                "name=m&version=abc")).message()).isEqualTo("Model version must be an integer, got 'abc'");
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.get("model-versions/get", "name=m&version=99"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.patch("model-versions/update",
                "{\"name\": \"m\", \"version\": \"99\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.delete("model-versions/delete",
                "{\"name\": \"m\", \"version\": \"99\"}"));
        assertThat(server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/transition-stage",
                "{\"name\": \"m\", \"version\": \"1\", \"stage\": \"Foo\"}")).message())
                .isEqualTo("Invalid Model Version stage: Foo. Value must be one of None, Staging, Production, Archived.");
        server.refused(500, "INTERNAL_ERROR", () -> server.post("model-versions/transition-stage",
                "{\"name\": \"m\", \"version\": \"1\", \"stage\": \"Archived\", \"archive_existing_versions\": true}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/transition-stage",
                "{\"name\": \"m\", \"version\": \"1\", \"stage\": \"Staging\", \"archive_existing_versions\": \"maybe\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("model-versions/get-download-uri", "version=1"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("model-versions/get-download-uri", "name=m"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.get("model-versions/get-download-uri",
                "name=m&version=99"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.post("model-versions/set-tag",
                "{\"name\": \"m\", \"version\": \"99\", \"key\": \"a\", \"value\": \"b\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.delete("model-versions/delete-tag",
                "{\"name\": \"m\", \"version\": \"99\", \"key\": \"a\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.call("POST",
                "/api/2.0/mlflow/registered-models/create", null));
    }

    @Test
    void deleteCallsReadJsonBodiesAndMissingTagsAndAliasesAreNoOps() {
        ok(server.post("registered-models/set-tag", "{\"name\": \"m\", \"key\": \"env\", \"value\": \"prod\"}"));
        assertThat(ok(server.delete("registered-models/delete-tag", "{\"name\": \"m\", \"key\": \"env\"}")).size()).isZero();
        assertThat(ok(server.get("registered-models/get", "name=m")).at("/registered_model/tags").size()).isEqualTo(1);
        long events = server.eventCount();
        ok(server.delete("registered-models/delete-tag", "{\"name\": \"m\", \"key\": \"env\"}"));
        ok(server.delete("model-versions/delete-tag", "{\"name\": \"m\", \"version\": \"1\", \"key\": \"nope\"}"));
        ok(server.delete("registered-models/alias", "{\"name\": \"m\", \"alias\": \"nope\"}"));
        assertThat(server.eventCount()).as("no-ops record nothing").isEqualTo(events);

        ok(server.delete("model-versions/delete-tag", "{\"name\": \"m\", \"version\": \"1\", \"key\": \"k\"}"));
        assertThat(ok(server.get("model-versions/get", "name=m&version=1")).at("/model_version").has("tags")).isFalse();
        ok(server.post("registered-models/alias", "{\"name\": \"m\", \"alias\": \"champion\", \"version\": \"2\"}"));
        ok(server.delete("registered-models/alias", "{\"name\": \"m\", \"alias\": \"champion\"}"));
        server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.get("registered-models/alias", "name=m&alias=champion"));
    }

    @Test
    void deletionFollowsMlflowExceptWhileAVersionServes() {
        ok(server.post("model-versions/transition-stage", "{\"name\": \"m\", \"version\": \"2\", \"stage\": \"Production\"}"));
        ok(server.post("registered-models/alias", "{\"name\": \"m\", \"alias\": \"champion\", \"version\": \"3\"}"));
        server.refused(409, "RESOURCE_CONFLICT", () -> server.delete("model-versions/delete", "{\"name\": \"m\", \"version\": \"2\"}"));
        server.refused(409, "RESOURCE_CONFLICT", () -> server.delete("model-versions/delete", "{\"name\": \"m\", \"version\": \"3\"}"));
        server.refused(409, "RESOURCE_CONFLICT", () -> server.delete("registered-models/delete", "{\"name\": \"m\"}"));

        ok(server.delete("model-versions/delete", "{\"name\": \"m\", \"version\": \"1\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.get("model-versions/get", "name=m&version=1"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.delete("model-versions/delete", "{\"name\": \"m\", \"version\": \"1\"}"));
        assertThat(versions(ok(server.get("model-versions/search", "filter=" + q("name = 'm'"))))).doesNotContain("1");
        JsonNode next = ok(server.post("model-versions/create", "{\"name\": \"m\", \"source\": \"s3://b/m/4\"}"));
        assertThat(next.at("/model_version/version").asText()).as("numbers are never reused").isEqualTo("4");

        ok(server.post("model-versions/transition-stage", "{\"name\": \"m\", \"version\": \"2\", \"stage\": \"Archived\"}"));
        ok(server.delete("registered-models/alias", "{\"name\": \"m\", \"alias\": \"champion\"}"));
        ok(server.delete("registered-models/delete", "{\"name\": \"m\"}"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.get("registered-models/get", "name=m"));
        server.refused(404, "RESOURCE_DOES_NOT_EXIST", () -> server.get("model-versions/get", "name=m&version=2"));
        ok(server.post("registered-models/create", "{\"name\": \"m\"}"));
        assertThat(ok(server.post("model-versions/create", "{\"name\": \"m\", \"source\": \"s3://b/again\"}"))
                .at("/model_version/version").asText()).as("a deleted model frees its name").isEqualTo("1");
    }

    @Test
    void mlflowAndTheNativeApiAreOneRegistry() {
        ok(server.post("model-versions/transition-stage", "{\"name\": \"m\", \"version\": \"1\", \"stage\": \"Production\"}"));
        ok(server.post("model-versions/transition-stage",
                "{\"name\": \"m\", \"version\": \"2\", \"stage\": \"Production\", \"archive_existing_versions\": true}"));
        JsonNode history = ok(server.nativeGet("/api/v1/models/m/history?kind=STAGE_TRANSITION"));
        assertThat(history.get("events")).extracting(e -> e.get("version").asInt()).containsExactly(1, 2);

        ok(server.call("POST", "/api/v1/models/m/rollback", "{\"stage\": \"production\"}"));
        assertThat(ok(server.get("model-versions/get", "name=m&version=1")).at("/model_version/current_stage").asText())
                .isEqualTo("Production");
        assertThat(ok(server.get("model-versions/get", "name=m&version=2")).at("/model_version/current_stage").asText())
                .isEqualTo("Archived");

        JsonNode version = ok(server.nativeGet("/api/v1/models/m/versions/3"));
        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.get("source").asText()).isEqualTo("s3://b/m/3");
        assertThat(version.get("content_addressed").asBoolean()).isFalse();
        ok(server.post("registered-models/rename", "{\"name\": \"m\", \"new_name\": \"renamed\"}"));
        assertThat(ok(server.nativeGet("/api/v1/models/renamed")).get("latest_version").asInt()).isEqualTo(3);
        JsonNode renamed = ok(server.nativeGet("/api/v1/models/renamed/history?kind=MODEL_RENAMED"));
        assertThat(renamed.at("/events/0/payload/from").asText()).isEqualTo("m");
    }

    @Test
    void aRequestRepeatedAfterAnErrorCreatesNoDuplicate() {
        for (int attempt = 0; attempt < 3; attempt++) {
            server.refused(400, "INVALID_PARAMETER_VALUE", () -> server.post("model-versions/create",
                    "{\"name\": \"m\", \"source\": \"s3://b/x\", \"tags\": [{\"key\": \"\", \"value\": \"x\"}]}"));
        }
        JsonNode next = ok(server.post("model-versions/create", "{\"name\": \"m\", \"source\": \"s3://b/x\"}"));
        assertThat(next.at("/model_version/version").asText()).isEqualTo("4");
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("registered_models").forEach(m -> names.add(m.get("name").asText()));
        return names;
    }

    private static List<String> versions(JsonNode page) {
        List<String> versions = new ArrayList<>();
        page.path("model_versions").forEach(v -> versions.add(v.get("version").asText()));
        return versions;
    }
}
