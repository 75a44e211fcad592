package dev.cairn.server;

import static dev.cairn.server.TestApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestApi.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejected request answers a 4xx with an error code and a message, and changes nothing. */
class BadInputIT {
    @TempDir
    static Path data;
    static TestApi api;
    static final String M = "/api/v1/models/serving";

    @BeforeAll
    static void start() throws Exception {
        api = TestApi.start(data);
        assertThat(api.post("/api/v1/models", "{\"name\":\"serving\"}").status()).isEqualTo(201);
        api.register("serving", "{}", "model.bin", new byte[] {1, 2, 3});
        assertThat(api.post(M + "/versions/1/stage", "{\"stage\":\"Production\"}").status()).isEqualTo(200);
        assertThat(api.post(M + "/versions", "{}").status()).isEqualTo(201); // version 2 stays a draft
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static Reply rejected(int status, String code, Supplier<Reply> request) {
        Reply reply = api.unchangedBy(request);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.errorCode()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.errorMessage()).isNotBlank();
        assertThat(reply.text()).doesNotContain("Exception").doesNotContain("\tat ");
        return reply;
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", " leading", "trailing ", "", "bell\\u0007"})
    void invalidModelNames(String name) {
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", "{\"name\":\"" + name + "\"}"));
    }

    @Test
    void tooLongModelNameAndDuplicates() {
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", "{\"name\":\"" + "n".repeat(257) + "\"}"));
        rejected(409, "ALREADY_EXISTS", () -> api.post("/api/v1/models", "{\"name\":\"serving\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Champion", "latest", "v2", "9lives", "has space"})
    void invalidAliases(String alias) {
        rejected(400, "INVALID_ARGUMENT", () -> api.put(M + "/aliases/" + enc(alias), "{\"version\":1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2Fx", "../x", "%2E%2E/x", "%2Fetc%2Fpasswd", "/etc/passwd", "a%5Cb", "a%00b", "nul%00", "."})
    void invalidFilePaths(String path) {
        Reply reply = api.unchangedBy(() -> api.upload(M + "/versions/2/files/" + path, new byte[] {9}));
        assertThat(reply.status()).as(path + " -> " + reply).isEqualTo(400);
        assertThat(reply.errorCode()).as(reply.toString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(api.get(M + "/versions/2/files").json().get("files")).isEmpty();
    }

    /**
     * A request refused before its body arrived must end the connection and say so: a client that reuses it would
     * have its late body (here a tab) read as the start of its next request, and get a 400 for a good request.
     */
    @Test
    void uploadRefusedBeforeItsBodyClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + M + "/versions/2/files/..%2Fx HTTP/1.1\r\nHost: cairn\r\nContent-Length: 1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line.toLowerCase(Locale.ROOT));
            }
            assertThat(headers).contains("connection: close");
            int length = headers.stream().filter(h -> h.startsWith("content-length:"))
                    .mapToInt(h -> Integer.parseInt(h.substring(15).strip())).findFirst().orElseThrow();
            assertThat(in.skip(length)).isEqualTo(length);
            try {
                out.write("\tGET /api/v1/events HTTP/1.1\r\nHost: cairn\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).as("an answer on a connection the server closed").isNull();
            } catch (SocketException closed) {
                // the server had already closed it: as good
            }
        }
        assertThat(api.get(M + "/versions/2/files").json().get("files")).isEmpty();
    }

    @Test
    void emptyFilePath() {
        rejected(400, "INVALID_ARGUMENT", () -> api.upload(M + "/versions/2/files/", new byte[] {9}));
        rejected(400, "INVALID_ARGUMENT", () -> api.upload(M + "/versions/2/files//", new byte[] {9}));
    }

    @Test
    void unknownStagesStatusesAndBadQueries() {
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions/1/stage", "{\"stage\":\"Prod\"}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions/1/stage", "{\"comment\":\"no stage\"}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/versions?stage=live"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/versions?status=done"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/versions?limit=ten"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/versions?limit=0"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/models?limit=1001"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/models?page_token=garbage"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/events?kind=EXPLODED"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/compare?versions=1"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/compare?versions=1,x"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/lineage"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/lineage?parent=serving"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/rollback", "{\"stage\":\"Production\",\"alias\":\"x\"}"));
    }

    @Test
    void resolveRejectsBadReferencesAndWaits() {
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/resolve"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/resolve?ref=serving"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/resolve?ref=serving/1&wait=61"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get("/api/v1/resolve?ref=serving/1&wait=soon"));
        rejected(404, "NOT_FOUND", () -> api.get("/api/v1/resolve?ref=" + enc("models:/nothing/Production")));
        rejected(404, "NOT_FOUND", () -> api.get("/api/v1/resolve?ref=" + enc("serving/staging")));
    }

    @Test
    void missingModelsVersionsAndRoutes() {
        rejected(404, "NOT_FOUND", () -> api.get("/api/v1/models/nothing"));
        rejected(404, "NOT_FOUND", () -> api.post("/api/v1/models/nothing/versions", "{}"));
        rejected(404, "NOT_FOUND", () -> api.get(M + "/versions/99"));
        rejected(404, "NOT_FOUND", () -> api.upload(M + "/versions/99/files/x.bin", new byte[] {1}));
        rejected(404, "NOT_FOUND", () -> api.get(M + "/versions/1/files/absent.bin"));
        rejected(404, "NOT_FOUND", () -> api.delete(M + "/tags/absent"));
        rejected(404, "NOT_FOUND", () -> api.delete(M + "/aliases/absent"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/versions/abc"));
        rejected(400, "INVALID_ARGUMENT", () -> api.get(M + "/versions/0"));
        rejected(404, "NOT_FOUND", () -> api.get("/api/v1/no-such-route"));
        rejected(404, "NOT_FOUND", () -> api.post("/api/v1/models/serving/explode", "{}"));
    }

    @Test
    void malformedBodies() {
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", "{\"name\":"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", "not json"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", ""));
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", "{\"name\":\"x\",\"tags\":[1,2]}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post("/api/v1/models", "{\"name\":\"x\"} trailing"));
        rejected(400, "INVALID_ARGUMENT", () -> api.put(M + "/aliases/best", "{\"version\":\"one\"}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.put(M + "/aliases/best", "{}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.put(M + "/tags/team", "{}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.patch(M, "{}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions",
                "{\"signature\":{\"inputs\":[{\"name\":\"x\"}]}}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions",
                "{\"lineage\":{\"datasets\":[{\"uri\":\"s3://x\",\"role\":\"training-ish\"}]}}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions",
                "{\"lineage\":{\"environment\":{\"dependencies\":[null]}}}"));
        rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions",
                "{\"lineage\":{\"parents\":[{\"model\":\"serving\"}]}}"));
        Reply typed = rejected(400, "INVALID_ARGUMENT", () -> api.post(M + "/versions", "{\"metrics\":{\"auc\":\"high\"}}"));
        assertThat(typed.errorMessage()).contains("metrics");
    }

    @Test
    void oversizedFields() {
        rejected(413, "PAYLOAD_TOO_LARGE", () -> api.patch(M, "{\"description\":\"" + "d".repeat(10_001) + "\"}"));
        rejected(413, "PAYLOAD_TOO_LARGE", () -> api.put(M + "/tags/team", "{\"value\":\"" + "v".repeat(5_001) + "\"}"));
        rejected(413, "PAYLOAD_TOO_LARGE", () -> api.post("/api/v1/models",
                "{\"name\":\"big\",\"tags\":{\"" + "k".repeat(251) + "\":\"v\"}}"));
        rejected(413, "PAYLOAD_TOO_LARGE", () -> api.post(M + "/versions",
                "{\"metrics\":{\"" + "m".repeat(251) + "\":1.0}}"));
        rejected(413, "PAYLOAD_TOO_LARGE", () -> api.post(M + "/versions",
                "{\"description\":\"" + "x".repeat(17 << 20) + "\"}"));
    }

    @Test
    void wrongDeclaredDigestKeepsNoBlob() {
        rejected(400, "INVALID_ARGUMENT", () -> api.upload(M + "/versions/2/files/w.bin", "payload".getBytes(),
                "X-Content-Sha256", "0".repeat(64)));
        rejected(400, "INVALID_ARGUMENT", () -> api.upload(M + "/versions/2/files/w.bin", "payload".getBytes(),
                "X-Content-Sha256", "not-a-digest"));
        assertThat(api.get(M + "/versions/2/files").json().get("files")).isEmpty();
    }

    @Test
    void stateRules() {
        rejected(409, "FAILED_PRECONDITION", () -> api.post(M + "/versions/2/commit", null));
        rejected(409, "FAILED_PRECONDITION", () -> api.post(M + "/versions/2/stage", "{\"stage\":\"Production\"}"));
        rejected(409, "FAILED_PRECONDITION", () -> api.put(M + "/aliases/next", "{\"version\":2}"));
        rejected(409, "FAILED_PRECONDITION", () -> api.upload(M + "/versions/1/files/late.bin", new byte[] {1}));
        rejected(409, "FAILED_PRECONDITION", () -> api.delete(M));
        rejected(409, "FAILED_PRECONDITION", () -> api.delete(M + "/versions/1"));
        rejected(409, "FAILED_PRECONDITION", () -> api.post(M + "/rollback", "{\"stage\":\"Production\"}"));
        assertThat(api.get(M).status()).isEqualTo(200);
        assertThat(api.get(M + "/versions/1").json().get("stage").asText()).isEqualTo("Production");
    }
}
