package dev.cairn.server;

import static dev.cairn.server.TestApi.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.TestApi.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment records over HTTP: serving instances report with a viewer's token, the model's deployments list who serves
 * what, bad heartbeats are 400 or 404 and store nothing, and instances that stopped reporting drop out of the default
 * list but stay in {@code ?all=true}.
 */
class DeploymentsIT {
    private static final String ADMIN_TOKEN = "deployments-bootstrap-admin-token-0123456789";
    private static final String HEARTBEAT = "/api/v1/deployments/heartbeat";

    @TempDir
    static Path data;
    static TestApi api;
    static String[] viewer;

    @BeforeAll
    static void start() {
        api = TestApi.startWithAuth(data, ADMIN_TOKEN);
        viewer = bearer(api.createUser("serving", "viewer"));
        String[] admin = bearer(ADMIN_TOKEN);
        for (String model : List.of("fraud", "churn", "quiet", "stale")) {
            assertThat(api.post("/api/v1/models", "{\"name\":\"" + model + "\"}", admin).status()).isEqualTo(201);
        }
        for (String model : List.of("fraud", "fraud", "churn", "quiet", "stale")) {
            api.registerAs(admin, model, "model.bin", (model + "-weights").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(api.post("/api/v1/models/fraud/versions", "{}", admin).status()).isEqualTo(201); // v3: a draft
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void reportedInstancesAreListedByVersionThenInstance() {
        Instant since = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        Reply first = api.post(HEARTBEAT, heartbeat("pod-b", "fraud", 1, "\"since\":\"" + since + "\","
                + "\"reference\":\"models:/fraud@production\",\"host\":\"node-1\""), viewer);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().path("instance_id").asText()).isEqualTo("pod-b");
        assertThat(first.json().path("since").asText()).isEqualTo(since.toString());
        assertThat(first.json().path("live").asBoolean()).isTrue();
        assertThat(api.post(HEARTBEAT, heartbeat("pod-a", "fraud", 1, null), viewer).status()).isEqualTo(200);
        assertThat(api.post(HEARTBEAT, heartbeat("pod-c", "fraud", 2, null), viewer).status()).isEqualTo(200);

        Reply list = api.get("/api/v1/models/fraud/deployments", viewer);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(rows(list)).containsExactly("2/pod-c", "1/pod-a", "1/pod-b");
        JsonNode b = list.json().path("deployments").get(2);
        assertThat(b.path("reference").asText()).isEqualTo("models:/fraud@production");
        assertThat(b.path("host").asText()).isEqualTo("node-1");
        assertThat(b.path("model").asText()).isEqualTo("fraud");
        assertThat(b.path("reported_by").asText()).as("the user of the heartbeat's token").isEqualTo("serving");
        assertThat(Instant.parse(b.path("last_seen").asText())).isAfter(since);
    }

    @Test
    void heartbeatsAppendNoAuditEvent() {
        long events = api.eventCount();
        assertThat(api.post(HEARTBEAT, heartbeat("pod-q", "quiet", 1, null), viewer).status()).isEqualTo(200);
        assertThat(api.eventCount()).isEqualTo(events);
    }

    @Test
    void badHeartbeatsAreRefusedAndStoreNothing() {
        String future = "\"since\":\"" + Instant.now().plus(Duration.ofMinutes(5)) + "\"";
        List<Object[]> cases = List.of(
                new Object[] {400, heartbeat("", "churn", 1, null)},
                new Object[] {400, heartbeat("x".repeat(201), "churn", 1, null)},
                new Object[] {400, heartbeat("pod\\u0007a", "churn", 1, null)},
                new Object[] {400, heartbeat("pod-a", "churn", 1, future)},
                new Object[] {400, heartbeat("pod-a", "churn", 1, "\"since\":\"yesterday\"")},
                new Object[] {400, heartbeat("pod-a", "fraud", 3, null)},
                new Object[] {400, "{\"instance_id\":\"pod-a\",\"model\":\"churn\"}"},
                new Object[] {400, "{\"instance_id\":\"pod-a\",\"model\":\"churn\",\"version\":\"one\"}"},
                new Object[] {400, "not json"},
                new Object[] {404, heartbeat("pod-a", "churn", 7, null)},
                new Object[] {404, heartbeat("pod-a", "nope", 1, null)});
        for (Object[] c : cases) {
            Reply reply = api.post(HEARTBEAT, (String) c[1], viewer);
            assertThat(reply.status()).as(c[1] + " -> " + reply).isEqualTo(c[0]);
            assertThat(reply.errorMessage()).as(reply.toString()).isNotBlank();
        }
        assertThat(api.post(HEARTBEAT, heartbeat("pod-a", "churn", 1, future), viewer).errorMessage())
                .contains("in the future");
        assertThat(rows(api.get("/api/v1/models/churn/deployments?all=true", viewer))).isEmpty();
        assertThat(api.get("/api/v1/models/fraud/deployments?all=true", viewer).json().toString())
                .doesNotContain("\"version\":3");
        assertThat(api.get("/api/v1/models/nope/deployments", viewer).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/models/churn/deployments?all=maybe", viewer).status()).isEqualTo(400);
    }

    @Test
    void anInstanceThatStoppedReportingIsOnlyListedWithAll() throws Exception {
        assertThat(api.post(HEARTBEAT, heartbeat("pod-live", "stale", 1, null), viewer).status()).isEqualTo(200);
        // An instance last heard from ten minutes ago, as a server that has run that long would have stored it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("cairn.db"));
             PreparedStatement insert = c.prepareStatement("INSERT INTO deployments (model_id, instance_id, version,"
                     + " since, reported_by, last_seen) SELECT id, 'pod-gone', 1, ?, 'serving', ? FROM models"
                     + " WHERE name = 'stale'")) {
            long tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10)).toEpochMilli();
            insert.setLong(1, tenMinutesAgo);
            insert.setLong(2, tenMinutesAgo);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }

        assertThat(rows(api.get("/api/v1/models/stale/deployments", viewer))).containsExactly("1/pod-live");
        Reply all = api.get("/api/v1/models/stale/deployments?all=true", viewer);
        assertThat(rows(all)).containsExactly("1/pod-gone", "1/pod-live");
        assertThat(all.json().path("deployments").get(0).path("live").asBoolean()).isFalse();
        assertThat(all.json().path("deployments").get(1).path("live").asBoolean()).isTrue();
    }

    static String heartbeat(String instance, String model, int version, String more) {
        return "{\"instance_id\":\"" + instance + "\",\"model\":\"" + model + "\",\"version\":" + version
                + (more == null ? "" : "," + more) + "}";
    }

    static List<String> rows(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        reply.json().path("deployments").forEach(d -> rows.add(d.path("version").asInt() + "/"
                + d.path("instance_id").asText()));
        return rows;
    }
}
