package dev.cairn.server;

import static dev.cairn.server.TestApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.TestApi.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of a model through the HTTP API, from registration to rollback, comparison, lineage and verification. */
class RegistryFlowIT {
    @TempDir
    static Path data;
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.start(data);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void registerPromoteResolveRollbackCompareAndTrace() throws Exception {
        String name = "fraud detector@eu ü";
        String m = "/api/v1/models/" + enc(name);

        Reply created = api.post("/api/v1/models", "{\"name\":\"" + name + "\",\"description\":\"scores payments\","
                + "\"tags\":{\"team\":\"risk\"}}", "X-Cairn-User", "alice");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo(name);
        assertThat(created.json().get("owner").asText()).isEqualTo("alice");
        assertThat(created.json().get("tags").get("team").asText()).isEqualTo("risk");
        assertThat(api.get(m).json().get("description").asText()).isEqualTo("scores payments");

        String dataset = "s3://data/payments-2026-10.parquet";
        String lineage = "\"lineage\":{\"datasets\":[{\"uri\":\"" + dataset + "\",\"role\":\"train\",\"digest\":\"sha256:"
                + "a".repeat(64) + "\"}],\"code\":{\"repository\":\"git@example.com:risk/fraud.git\",\"commit\":\"%s\"}%s}";
        Reply draft = api.post(m + "/versions", "{\"description\":\"first\",\"metrics\":{\"auc\":0.91},"
                + "\"params\":{\"depth\":\"6\"},\"format\":\"onnx\",\"signature\":{\"inputs\":[{\"name\":\"amount\","
                + "\"type\":\"double\"}],\"outputs\":[{\"name\":\"score\",\"type\":\"double\"}]},"
                + String.format(lineage, "abcdef1234567", "") + "}");
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        assertThat(draft.json().get("status").asText()).isEqualTo("PENDING_REGISTRATION");
        assertThat(draft.json().has("digest")).isFalse();
        String v1 = m + "/versions/1";

        byte[] weights = "weights-v1".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] config = "{\"threshold\":0.5}".getBytes(StandardCharsets.UTF_8);
        Reply upload = api.upload(v1 + "/files/model.onnx", weights, "X-Content-Sha256", TestApi.sha256(weights));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        assertThat(upload.json().get("sha256").asText()).isEqualTo(TestApi.sha256(weights));
        assertThat(upload.json().get("size").asLong()).isEqualTo(weights.length);
        assertThat(api.upload(v1 + "/files/conf/config.json", config).status()).isEqualTo(201);

        JsonNode files = api.get(v1 + "/files").json().get("files");
        assertThat(files).hasSize(2);
        assertThat(files.get(0).get("path").asText()).isEqualTo("conf/config.json");

        Reply committed = api.post(v1 + "/commit", null);
        assertThat(committed.status()).as(committed.toString()).isEqualTo(200);
        assertThat(committed.json().get("status").asText()).isEqualTo("READY");
        assertThat(committed.json().get("digest").asText()).startsWith("sha256:");
        assertThat(committed.json().get("size").asLong()).isEqualTo(weights.length + config.length);

        byte[] weights2 = "weights-v2".repeat(1000).getBytes(StandardCharsets.UTF_8);
        int second = api.register(name, "{\"metrics\":{\"auc\":0.95},\"params\":{\"depth\":\"8\"},"
                + String.format(lineage, "fedcba7654321", ",\"parents\":[{\"model\":\"" + name + "\",\"version\":1,"
                + "\"relation\":\"fine-tuned-from\"}]") + "}", "model.onnx", weights2);
        assertThat(second).isEqualTo(2);

        // Promote 1, then 2: the single occupant rule archives 1.
        assertThat(api.post(v1 + "/stage", "{\"stage\":\"production\",\"comment\":\"launch\"}").json()
                .get("stage").asText()).isEqualTo("Production");
        Reply promoted = api.post(m + "/versions/2/stage", "{\"stage\":\"Production\"}", "X-Cairn-User", "bob");
        assertThat(promoted.json().get("stage").asText()).isEqualTo("Production");
        assertThat(api.get(v1).json().get("stage").asText()).isEqualTo("Archived");

        Reply aliased = api.put(m + "/aliases/champion", "{\"version\":2,\"comment\":\"best auc\"}");
        assertThat(aliased.status()).as(aliased.toString()).isEqualTo(200);
        assertThat(aliased.json().get("aliases").toString()).contains("champion");
        JsonNode model = api.get(m).json();
        assertThat(model.get("stages").get("Production").asInt()).isEqualTo(2);
        assertThat(model.get("aliases").get("champion").asInt()).isEqualTo(2);
        assertThat(model.get("latest_version").asInt()).isEqualTo(2);

        // Resolve: ETag, conditional request, alias and URI forms.
        String ref = "/api/v1/resolve?ref=" + enc("models:/" + name + "/Production");
        Reply resolved = api.get(ref);
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().get("version").asInt()).isEqualTo(2);
        assertThat(resolved.json().get("files")).hasSize(1);
        String etag = resolved.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        Reply notModified = api.get(ref, "If-None-Match", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.bytes()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(api.get("/api/v1/resolve?ref=" + enc(name + "@champion")).json().get("version").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/resolve?ref=" + enc(name + "/latest")).json().get("version").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/resolve?ref=" + enc("models:/" + name + "/1")).json().get("stage").asText())
                .isEqualTo("Archived");

        // A long poll returns 304 when nothing changes before the wait ends.
        long started = System.nanoTime();
        assertThat(api.get(ref + "&wait=1", "If-None-Match", etag).status()).isEqualTo(304);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(900);

        // A long poll wakes when another thread rolls Production back.
        CompletableFuture<Reply> waiting = api.getAsync(ref + "&wait=30", "If-None-Match", etag);
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        long rolledBackAt = System.nanoTime();
        Reply rolledBack = api.post(m + "/rollback", "{\"stage\":\"Production\",\"comment\":\"v2 misbehaves\"}");
        assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
        assertThat(rolledBack.json().get("version").asInt()).isEqualTo(1);
        Reply woken = waiting.get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rolledBackAt)).isLessThan(1000);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.json().get("version").asInt()).isEqualTo(1);
        assertThat(woken.header("ETag")).isNotEqualTo(etag);
        assertThat(api.get(m).json().get("stages").get("Production").asInt()).isEqualTo(1);
        assertThat(api.get(m + "/versions/2").json().get("stage").asText()).isEqualTo("Archived");

        // Compare: metric deltas against the baseline, params and lineage differences.
        JsonNode comparison = api.get(m + "/compare?versions=1,2").json();
        assertThat(comparison.get("versions").toString()).isEqualTo("[1,2]");
        JsonNode auc = comparison.get("metrics").get(0);
        assertThat(auc.get("name").asText()).isEqualTo("auc");
        assertThat(auc.get("deltas").get(1).asDouble()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(comparison.get("params").get(0).get("differs").asBoolean()).isTrue();
        assertThat(comparison.get("lineage").get(0).get("commit_changed").asBoolean()).isTrue();
        assertThat(comparison.get("lineage").get(0).get("parents_changed").asBoolean()).isTrue();
        assertThat(comparison.get("files").get(0).get("changed")).hasSize(1);

        // History: oldest first, filtered by kind; the audit log names the actors.
        JsonNode history = api.get(m + "/history").json().get("events");
        assertThat(history.get(0).get("kind").asText()).isEqualTo("MODEL_CREATED");
        assertThat(history.get(0).get("actor").asText()).isEqualTo("alice");
        List<String> kinds = new ArrayList<>();
        history.forEach(e -> kinds.add(e.get("kind").asText()));
        assertThat(kinds).contains("VERSION_COMMITTED", "STAGE_TRANSITION", "ALIAS_SET", "ROLLBACK");
        JsonNode rollbacks = api.get(m + "/history?kind=rollback").json().get("events");
        assertThat(rollbacks).hasSize(1);
        assertThat(rollbacks.get(0).get("payload").get("comment").asText()).isEqualTo("v2 misbehaves");
        JsonNode firstPage = api.get(m + "/history?limit=2").json();
        assertThat(firstPage.get("events")).hasSize(2);
        JsonNode nextPage = api.get(m + "/history?limit=2&page_token=" + firstPage.get("next_page_token").asText()).json();
        assertThat(nextPage.get("events").get(0).get("seq").asLong())
                .isGreaterThan(firstPage.get("events").get(1).get("seq").asLong());
        JsonNode allEvents = api.get("/api/v1/events?model=" + enc(name) + "&kind=STAGE_TRANSITION").json().get("events");
        assertThat(allEvents).hasSize(2);
        assertThat(allEvents.get(1).get("actor").asText()).isEqualTo("bob");

        // Lineage: by dataset, by commit prefix, by parent.
        assertThat(versions(api.get("/api/v1/lineage?dataset=" + enc(dataset)))).containsExactlyInAnyOrder(1, 2);
        assertThat(versions(api.get("/api/v1/lineage?commit=abcdef12"))).containsExactly(1);
        assertThat(versions(api.get("/api/v1/lineage?parent=" + enc(name + ":1")))).containsExactly(2);

        // Verify: all good, then a corrupted blob on disk is reported.
        assertThat(api.get(v1 + "/verify").json().get("ok").asBoolean()).isTrue();
        assertThat(api.get(m + "/verify").json().get("versions")).hasSize(2);
        corrupt(TestApi.sha256(weights2));
        JsonNode report = api.get(m + "/verify").json();
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.toString()).contains("\"corrupt\":[\"model.onnx\"]");
        assertThat(api.get(v1 + "/verify").json().get("ok").asBoolean()).isTrue();
        assertThat(api.post("/api/v1/verify", null).json().get("ok").asBoolean()).isFalse();
    }

    @Test
    void editsTagsDeletionsAndListing() throws Exception {
        String name = "churn";
        String m = "/api/v1/models/" + name;
        assertThat(api.post("/api/v1/models", "{\"name\":\"churn\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/models", "{\"name\":\"churn-eu\"}").status()).isEqualTo(201);

        Reply tagged = api.put(m + "/tags/" + enc("data owner"), "{\"value\":\"crm team\"}");
        assertThat(tagged.json().get("tags").get("data owner").asText()).isEqualTo("crm team");
        assertThat(api.delete(m + "/tags/" + enc("data owner")).json().get("tags").has("data owner")).isFalse();
        assertThat(api.patch(m, "{\"description\":\"predicts churn\"}").json().get("description").asText())
                .isEqualTo("predicts churn");

        JsonNode list = api.get("/api/v1/models?q=CHURN&limit=1").json();
        assertThat(list.get("models")).hasSize(1);
        JsonNode rest = api.get("/api/v1/models?q=churn&page_token=" + list.get("next_page_token").asText()).json();
        assertThat(rest.get("models")).hasSize(1);
        assertThat(rest.has("next_page_token")).isFalse();

        int v1 = api.register(name, "{}", "model.bin", new byte[] {1, 2, 3});
        assertThat(api.put(m + "/versions/" + v1 + "/tags/stage-gate", "{\"value\":\"passed\"}").json()
                .get("tags").get("stage-gate").asText()).isEqualTo("passed");
        assertThat(api.delete(m + "/versions/" + v1 + "/tags/stage-gate").json().get("tags").size()).isZero();
        assertThat(api.patch(m + "/versions/" + v1, "{\"description\":\"baseline\"}").json().get("description").asText())
                .isEqualTo("baseline");
        Reply draft = api.post(m + "/versions", null);
        assertThat(draft.status()).isEqualTo(201);

        JsonNode ready = api.get(m + "/versions?status=ready").json().get("versions");
        assertThat(ready).hasSize(1);
        assertThat(api.get(m + "/versions").json().get("versions").get(0).get("version").asInt()).isEqualTo(2);
        assertThat(api.get(m + "/versions?stage=none").json().get("versions")).hasSize(2);

        Reply deleted = api.delete(m + "/versions/2");
        assertThat(deleted.json().get("status").asText()).isEqualTo("DELETED");
        assertThat(api.get(m + "/versions").json().get("versions")).hasSize(1);

        assertThat(api.put(m + "/aliases/canary", "{\"version\":1}").status()).isEqualTo(200);
        assertThat(api.delete(m + "/aliases/canary").status()).isEqualTo(204);
        assertThat(api.get(m).json().get("aliases").size()).isZero();

        Reply gone = api.delete(m);
        assertThat(gone.status()).as(gone.toString()).isEqualTo(204);
        assertThat(api.get(m).status()).isEqualTo(404);

        Reply autoCreated = api.post("/api/v1/models/" + enc("new one") + "/versions", "{\"create_model\":true}");
        assertThat(autoCreated.status()).as(autoCreated.toString()).isEqualTo(201);
        assertThat(api.get("/api/v1/models/" + enc("new one")).status()).isEqualTo(200);
    }

    @Test
    void longPollAnswersNotFoundWhenItsAliasIsDeleted() throws Exception {
        assertThat(api.post("/api/v1/models", "{\"name\":\"ranker\"}").status()).isEqualTo(201);
        api.register("ranker", "{}", "model.bin", new byte[] {7});
        assertThat(api.put("/api/v1/models/ranker/aliases/canary", "{\"version\":1}").status()).isEqualTo(200);
        String ref = "/api/v1/resolve?ref=" + enc("ranker@canary");
        String etag = api.get(ref).header("ETag");

        CompletableFuture<Reply> waiting = api.getAsync(ref + "&wait=30", "If-None-Match", etag);
        Thread.sleep(200);
        assertThat(api.delete("/api/v1/models/ranker/aliases/canary").status()).isEqualTo(204);
        Reply answer = waiting.get(5, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void healthReadinessAndOpenApi() {
        assertThat(api.get("/healthz").text()).isEqualTo("{\"status\":\"ok\"}");
        Reply ready = api.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ok");
        Reply doc = api.get("/api/v1/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.header("Content-Type")).startsWith("application/json");
        assertThat(doc.json().get("openapi").asText()).startsWith("3.0");
    }

    private static List<Integer> versions(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<Integer> versions = new ArrayList<>();
        reply.json().get("versions").forEach(v -> versions.add(v.get("version").asInt()));
        return versions;
    }

    /** Overwrites the stored blob of {@code sha256} with other bytes of the same length. */
    private static void corrupt(String sha256) throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            Path blob = files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains(sha256))
                    .findFirst().orElseThrow(() -> new AssertionError("no blob file named after " + sha256));
            byte[] bytes = Files.readAllBytes(blob);
            bytes[0] ^= 0x55;
            blob.toFile().setWritable(true);
            Files.write(blob, bytes);
        }
    }
}
