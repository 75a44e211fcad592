package dev.cairn.server;

import static dev.cairn.server.TestApi.basic;
import static dev.cairn.server.TestApi.bearer;
import static dev.cairn.server.TestApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.TestApi.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on a server that authenticates: missing, malformed, forged, expired and revoked tokens; what a viewer may do
 * through MLflow's artifact proxy; injection and traversal strings; and secrets kept out of answers and logs. Also
 * the server without authentication, whose single local user is named by a header.
 */
class AuthenticationIT {
    private static final String ADMIN_TOKEN = "auth-bootstrap-admin-token-7f3a9c";
    private static final String[] ADMIN = bearer(ADMIN_TOKEN);
    private static final byte[] BYTES = "weights".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path shared;
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.startWithAuth(shared, ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer  ", "Basic !!notbase64", "Basic", "Token abc",
            "Basic bm9jb2xvbg==", "Basic dXNlcjo="})
    void malformedOrMissingCredentialsAre401WithAChallenge(String authorization) {
        String[] headers = authorization.isEmpty() ? new String[0] : new String[] {"Authorization", authorization};
        Reply nativeReply = api.unchangedBy(() -> api.post("/api/v1/models", "{\"name\":\"m\"}", headers));
        assertThat(nativeReply.status()).isEqualTo(401);
        assertThat(nativeReply.errorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(nativeReply.errorMessage()).contains("Authorization: Bearer");
        assertThat(nativeReply.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"cairn\"");

        Reply mlflow = api.unchangedBy(() -> api.post("/api/2.0/mlflow/registered-models/create", "{\"name\":\"m\"}",
                headers));
        assertThat(mlflow.status()).isEqualTo(401);
        assertThat(mlflow.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(mlflow.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer realm=\"cairn\"", "Basic realm=\"cairn\"");
        // Public routes answer without credentials.
        assertThat(api.get("/healthz", headers).status()).isEqualTo(200);
        assertThat(api.get("/readyz", headers).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/openapi.json", headers).status()).isEqualTo(200);
    }

    @Test
    void forgedExpiredAndRevokedTokensAre401AndValidOnesWork() throws Exception {
        String token = api.createUser("ed", "editor");
        assertThat(api.get("/api/v1/whoami", bearer(token)).json().get("user").asText()).isEqualTo("ed");
        // The scheme is case-insensitive; MLflow's Basic credentials carry the token as the password.
        assertThat(api.get("/api/v1/whoami", "Authorization", "bearer " + token).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/whoami", basic("ed", token)).json().get("user").asText()).isEqualTo("ed");
        assertThat(api.get("/api/v1/whoami", basic("someone-else", token)).json().get("user").asText())
                .as("the token, not the user name, decides who calls").isEqualTo("ed");

        // Tokens differing from real ones only in case, sent on the connection that just sent the real ones: Jetty's
        // header cache must not read them as the real ones.
        List<String[]> forged = List.of(bearer("cairn_" + "A".repeat(43)), bearer(token + "x"),
                bearer(token.substring(0, token.length() - 1)), bearer(ADMIN_TOKEN.toUpperCase()),
                bearer("CAIRN_" + token.substring("cairn_".length())), basic("ed", "not-the-token"),
                basic("bootstrap-admin", "guess"), bearer("' OR '1'='1"));
        for (String[] headers : forged) {
            Reply reply = api.unchangedBy(() -> api.post("/api/v1/models", "{\"name\":\"forged\"}", headers));
            assertThat(reply.status()).as(headers[1] + " -> " + reply).isEqualTo(401);
            assertThat(reply.errorMessage()).isEqualTo("the token is not valid");
        }

        JsonNode shortLived = api.post("/api/v1/tokens", "{\"expires\":\"1s\"}", bearer(token)).json();
        String expiring = shortLived.get("token").asText();
        assertThat(api.get("/api/v1/whoami", bearer(expiring)).status()).isEqualTo(200);
        Instant expiresAt = Instant.parse(shortLived.get("expires_at").asText());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 50);
        Reply expired = api.get("/api/v1/whoami", bearer(expiring));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorMessage()).contains(shortLived.get("id").asText()).contains("expired")
                .doesNotContain(expiring);

        JsonNode second = api.post("/api/v1/tokens", "{}", bearer(token)).json();
        String revokable = second.get("token").asText();
        assertThat(api.get("/api/v1/whoami", bearer(revokable)).status()).isEqualTo(200);
        JsonNode revoked = api.delete("/api/v1/tokens/" + second.get("id").asText(), bearer(token)).json();
        assertThat(revoked.get("active").asBoolean()).isFalse();
        assertThat(revoked.has("token")).as("a listed token never shows its secret").isFalse();
        Reply afterRevocation = api.get("/api/v1/whoami", bearer(revokable));
        assertThat(afterRevocation.status()).isEqualTo(401);
        assertThat(afterRevocation.errorMessage()).contains("revoked");
        assertThat(api.get("/api/v1/whoami", bearer(token)).status()).as("other tokens still work").isEqualTo(200);

        JsonNode listed = api.get("/api/v1/tokens", bearer(token)).json();
        assertThat(listed.get("tokens")).hasSize(3).allSatisfy(t -> assertThat(t.has("token")).isFalse());
        assertThat(api.get("/api/v1/tokens?user=vic", bearer(token)).status()).isEqualTo(403);
    }

    @Test
    void aRoleChangeTakesEffectAtOnce() {
        String[] vic = bearer(api.createUser("vic", "viewer"));
        assertThat(api.post("/api/v1/models", "{\"name\":\"promoted\"}", vic).status()).isEqualTo(403);
        JsonNode changed = api.patch("/api/v1/users/vic", "{\"role\":\"editor\"}", ADMIN).json();
        assertThat(changed.get("role").asText()).isEqualTo("editor");
        assertThat(api.post("/api/v1/models", "{\"name\":\"promoted\"}", vic).status()).isEqualTo(201);
        assertThat(api.patch("/api/v1/users/vic", "{\"role\":\"overlord\"}", ADMIN).status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/users/nobody", "{\"role\":\"viewer\"}", ADMIN).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/users", "{\"name\":\"vic\",\"role\":\"viewer\"}", ADMIN).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/users", "{\"name\":\"bootstrap-admin\",\"role\":\"admin\"}", ADMIN).status())
                .isEqualTo(400);
    }

    @Test
    void aViewerDownloadsThroughTheMlflowArtifactProxyButCannotUploadOrDelete() {
        String[] viewer = bearer(api.createUser("val", "viewer"));
        String[] editor = bearer(api.createUser("eli", "editor"));
        assertThat(api.upload("/api/2.0/mlflow-artifacts/artifacts/runs/1/model.pkl", BYTES, editor).status())
                .isEqualTo(200);

        Reply download = api.get("/api/2.0/mlflow-artifacts/artifacts/runs/1/model.pkl", viewer);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.bytes()).isEqualTo(BYTES);
        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts?path=runs/1", viewer).json().get("files")).hasSize(1);

        Reply upload = api.unchangedBy(() -> api.upload("/api/2.0/mlflow-artifacts/artifacts/runs/1/model.pkl",
                "replaced".getBytes(StandardCharsets.UTF_8), viewer));
        assertThat(upload.status()).isEqualTo(403);
        assertThat(upload.json().get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(upload.json().get("message").asText()).contains("'val' is viewer").contains("the editor role");
        Reply delete = api.unchangedBy(() -> api.delete("/api/2.0/mlflow-artifacts/artifacts/runs/1/model.pkl",
                editor));
        assertThat(delete.status()).isEqualTo(403);
        assertThat(api.get("/api/2.0/mlflow-artifacts/artifacts/runs/1/model.pkl", viewer).bytes()).isEqualTo(BYTES);
    }

    @Test
    void injectionAndTraversalStringsAreRefusedOrStoredLiterally() {
        String[] editor = bearer(api.createUser("eddy", "editor"));
        String sql = "x'; DROP TABLE models; --";
        Reply created = api.post("/api/v1/models", "{\"name\":\"" + sql + "\"}", editor);
        assertThat(created.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/models/" + enc(sql), editor).json().get("name").asText()).isEqualTo(sql);
        assertThat(api.get("/api/v1/models?q=" + enc("' OR '1'='1"), editor).json().get("models")).isEmpty();
        assertThat(api.get("/api/v1/models?q=" + enc("DROP TABLE"), editor).json().get("models")).hasSize(1);
        assertThat(api.get("/api/2.0/mlflow/registered-models/get?name=" + enc(sql), editor).json()
                .path("registered_model").path("name").asText()).isEqualTo(sql);
        api.registerAs(editor, sql, "model.bin", BYTES);
        assertThat(api.post("/api/v1/models/" + enc(sql) + "/versions", "{}", editor).status()).isEqualTo(201);

        List<Reply> refused = new ArrayList<>();
        refused.add(api.unchangedBy(() -> api.put("/api/v1/models/" + enc(sql) + "/aliases/" + enc("a' OR 1=1 --"),
                "{\"version\":1}", editor)));
        refused.add(api.unchangedBy(() -> api.post("/api/v1/users", "{\"name\":\"bob'; --\",\"role\":\"admin\"}",
                ADMIN)));
        refused.add(api.unchangedBy(() -> api.put("/api/v1/models/" + enc(sql) + "/grants/" + enc("../ed"),
                "{\"role\":\"admin\"}", ADMIN)));
        refused.add(api.unchangedBy(() -> api.post("/api/v1/models", "{\"name\":\"../../etc\"}", editor)));
        refused.add(api.unchangedBy(() -> api.get("/api/2.0/mlflow/registered-models/search?filter="
                + enc("name = 'x' OR 1=1 --"), editor)));
        refused.add(api.unchangedBy(() -> api.get("/api/2.0/mlflow/model-versions/search?filter="
                + enc("name='x'; DELETE FROM model_versions"), editor)));
        for (String path : List.of("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2E%2E/secret", "a/../../b")) {
            refused.add(api.unchangedBy(() -> api.upload("/api/2.0/mlflow-artifacts/artifacts/" + path, BYTES,
                    editor)));
            refused.add(api.unchangedBy(() -> api.upload("/api/v1/models/" + enc(sql) + "/versions/2/files/" + path,
                    BYTES, editor)));
        }
        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.toString()).isBetween(400, 499).isNotIn(401, 403);
            assertThat(reply.text()).doesNotContain("SQLException").doesNotContain("\tat ");
        }
        assertThat(api.get("/api/v1/models/" + enc(sql) + "/versions/1", editor).json().get("status").asText())
                .isEqualTo("READY");
        assertThat(api.get("/api/v1/models/" + enc(sql) + "/versions/2/files", editor).json().get("files")).isEmpty();
    }

    @Test
    void secretsNeverAppearInAnswersOrLogs(@TempDir Path data) {
        List<String> secrets = new ArrayList<>(List.of(ADMIN_TOKEN));
        List<Reply> replies = new ArrayList<>();
        String log = logOf(() -> {
            try (TestApi api = TestApi.startWithAuth(data, ADMIN_TOKEN)) {
                String token = api.createUser("ed", "editor");
                secrets.add(token);
                String forged = "cairn_forgedForgedForgedForgedForgedForged12";
                secrets.add(forged);
                secrets.add(basic("ed", forged)[1].substring("Basic ".length()));
                secrets.add(basic("ed", token)[1].substring("Basic ".length()));
                replies.add(api.get("/api/v1/whoami", bearer(forged)));
                replies.add(api.get("/api/v1/whoami", basic("ed", forged)));
                replies.add(api.get("/api/v1/whoami", basic("ed", token)));
                replies.add(api.get("/api/2.0/mlflow/experiments/search", bearer(forged)));
                replies.add(api.get("/api/v1/users", bearer(token)));
                replies.add(api.post("/api/v1/models", "{\"name\":\"" + "n".repeat(300) + "\"}", bearer(token)));
                JsonNode issued = api.post("/api/v1/tokens", "{\"expires\":\"never\"}", bearer(token)).json();
                secrets.add(issued.get("token").asText());
                api.delete("/api/v1/tokens/" + issued.get("id").asText(), bearer(token));
                replies.add(api.get("/api/v1/whoami", bearer(issued.get("token").asText())));
                replies.add(api.get("/api/v1/tokens", ADMIN));
                replies.add(api.get("/api/v1/audit?limit=1000", ADMIN));
            }
        });
        assertThat(log).as("the server logged its refusals").contains("refused").contains("authentication on");
        for (String secret : secrets) {
            assertThat(log).as("log").doesNotContain(secret);
            for (Reply reply : replies) {
                assertThat(reply.text()).as("answer").doesNotContain(secret);
            }
        }
    }

    @Test
    void aServerNobodyCanSignInToSaysHowToFixIt(@TempDir Path data) {
        String warning = logOf(() -> CairnServer.start(ServerConfig.builder().port(0).dataDir(data.resolve("a"))
                .auth(true).build()).close());
        assertThat(warning).contains("nobody can sign in").contains("CAIRN_ADMIN_TOKEN").contains("cairn users create");
        String quiet = logOf(() -> CairnServer.start(ServerConfig.builder().port(0).dataDir(data.resolve("b"))
                .adminToken(ADMIN_TOKEN).build()).close());
        assertThat(quiet).contains("authentication on").doesNotContain("nobody can sign in");
    }

    @Test
    void withoutAuthenticationTheLocalUserIsNamedByAHeader(@TempDir Path data) {
        try (TestApi api = TestApi.start(data)) {
            JsonNode anonymous = api.get("/api/v1/whoami").json();
            assertThat(anonymous.get("user").asText()).isEqualTo("anonymous");
            assertThat(anonymous.get("role").asText()).isEqualTo("admin");
            assertThat(anonymous.get("authenticated").asBoolean()).isFalse();
            assertThat(api.get("/api/v1/whoami", "X-Cairn-User", "alice").json().get("user").asText()).isEqualTo("alice");
            // A token means nothing here: the header still names the user.
            assertThat(api.get("/api/v1/whoami", "Authorization", "Bearer whatever", "X-Cairn-User", "bob").json()
                    .get("user").asText()).isEqualTo("bob");
            api.post("/api/v1/models", "{\"name\":\"local\"}", "X-Cairn-User", "alice");
            api.registerAs(new String[] {"X-Cairn-User", "carol"}, "local", "model.bin", BYTES);
            // Approvals cannot mean anything with one user; policies still apply.
            api.put("/api/v1/models/local/policy", "{\"approvals\":2,\"min_metrics\":{\"auc\":0.9}}", "X-Cairn-User", "x");
            Reply blocked = api.post("/api/v1/models/local/versions/1/stage", "{\"stage\":\"Production\"}");
            assertThat(blocked.status()).isEqualTo(409);
            assertThat(blocked.errorMessage()).contains("metric auc").doesNotContain("approvals");
            api.put("/api/v1/models/local/policy", "{\"approvals\":2}");
            assertThat(api.post("/api/v1/models/local/versions/1/stage", "{\"stage\":\"Production\"}").status())
                    .isEqualTo(200);
            assertThat(api.get("/api/v1/models/local/history?kind=MODEL_CREATED").json().get("events").get(0).get("actor")
                    .asText()).isEqualTo("alice");
            assertThat(api.get("/api/v1/whoami", "X-Cairn-User", "x".repeat(5000)).status()).isEqualTo(413);
        }
    }


    /** What the server logs (slf4j-simple writes to standard error) while {@code work} runs; echoed for the reader. */
    private static String logOf(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }
}
