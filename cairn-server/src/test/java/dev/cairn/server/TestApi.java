package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A real server on a free port over a temporary data directory, and a small HTTP client for it. A server with
 * authentication is probed ({@link #eventCount()}, {@link #unchangedBy}) with its admin token.
 */
final class TestApi implements AutoCloseable {
    final CairnServer server;
    final Path dataDir;
    /** Headers of the state probes: none without authentication, the admin token with it. */
    private final String[] probe;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestApi(CairnServer server, Path dataDir, String[] probe) {
        this.server = server;
        this.dataDir = dataDir;
        this.probe = probe;
    }

    static TestApi start(Path dataDir) {
        return new TestApi(CairnServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build()), dataDir,
                new String[0]);
    }

    /** A server that authenticates its callers, with {@code adminToken} as its CAIRN_ADMIN_TOKEN. */
    static TestApi startWithAuth(Path dataDir, String adminToken) {
        ServerConfig config = ServerConfig.builder().port(0).dataDir(dataDir).auth(true).adminToken(adminToken).build();
        return new TestApi(CairnServer.start(config), dataDir, bearer(adminToken));
    }

    /** As {@link #startWithAuth(Path, String)}, with more configuration from {@code more}. */
    static TestApi startWithAuth(Path dataDir, String adminToken,
                                 java.util.function.UnaryOperator<ServerConfig.Builder> more) {
        ServerConfig config = more.apply(ServerConfig.builder().port(0).dataDir(dataDir).auth(true).adminToken(adminToken))
                .build();
        return new TestApi(CairnServer.start(config), dataDir, bearer(adminToken));
    }

    /** The header of a Bearer token, to pass as the headers of a call. */
    static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** The header of MLflow's Basic credentials: any user name, the token as the password. */
    static String[] basic(String user, String token) {
        return new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8))};
    }

    /** Creates a user with a role through the API (as admin) and returns its first token. */
    String createUser(String name, String role) {
        Reply created = post("/api/v1/users", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", probe);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("token").path("token").asText();
    }

    /** URL-encodes one path segment (a space is %20, not +). */
    static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Reply get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    Reply delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    Reply post(String path, String json, String... headers) {
        return send("POST", path, json, headers);
    }

    Reply put(String path, String json, String... headers) {
        return send("PUT", path, json, headers);
    }

    Reply patch(String path, String json, String... headers) {
        return send("PATCH", path, json, headers);
    }

    Reply send(String method, String path, String json, String... headers) {
        BodyPublisher body = json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json);
        return exchange(request(method, path, headers).method(method, body));
    }

    Reply upload(String path, byte[] bytes, String... headers) {
        return exchange(request("PUT", path, headers).PUT(BodyPublishers.ofByteArray(bytes)));
    }

    Reply upload(String path, BodyPublisher body, String... headers) {
        return exchange(request("PUT", path, headers).PUT(body));
    }

    CompletableFuture<Reply> getAsync(String path, String... headers) {
        return http.sendAsync(request("GET", path, headers).GET().build(), BodyHandlers.ofByteArray())
                .thenApply(r -> new Reply(r.statusCode(), r.headers(), r.body()));
    }

    /** Opens a server-sent-events stream: the answer arrives with its headers, its body line by line after. */
    HttpResponse<Stream<String>> stream(String path, String... headers) {
        try {
            return http.send(request("GET", path, headers).header("Accept", "text/event-stream").GET().build(),
                    BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A stream's status and headers, closed at once; the whole body when it is an error. */
    Reply streamReply(String path, String... headers) {
        HttpResponse<Stream<String>> r = stream(path, headers);
        try (Stream<String> lines = r.body()) {
            String body = r.statusCode() == 200 ? "" : String.join("\n", lines.toList());
            return new Reply(r.statusCode(), r.headers(), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    HttpResponse<Path> download(String path, Path target, String... headers) {
        try {
            return http.send(request("GET", path, headers).GET().build(), BodyHandlers.ofFile(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String method, String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        if (method.equals("POST") || method.equals("PATCH") || (method.equals("PUT") && !path.contains("/files/"))) {
            builder.header("Content-Type", "application/json");
        }
        return builder;
    }

    private Reply exchange(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> r = http.send(builder.build(), BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers a READY version of {@code model} with one file and returns its number. */
    int register(String model, String versionJson, String file, byte[] content) {
        Reply draft = post("/api/v1/models/" + enc(model) + "/versions", versionJson, "X-Cairn-User", "alice");
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        int version = draft.json().get("version").asInt();
        String base = "/api/v1/models/" + enc(model) + "/versions/" + version;
        Reply upload = upload(base + "/files/" + file, content, "X-Content-Sha256", sha256(content));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        Reply commit = post(base + "/commit", null);
        assertThat(commit.status()).as(commit.toString()).isEqualTo(200);
        return version;
    }

    /** Registers a READY version as the caller of {@code headers}, every step with them, and returns its number. */
    int registerAs(String[] headers, String model, String file, byte[] content) {
        Reply draft = post("/api/v1/models/" + enc(model) + "/versions", "{}", headers);
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        int version = draft.json().get("version").asInt();
        String base = "/api/v1/models/" + enc(model) + "/versions/" + version;
        Reply upload = upload(base + "/files/" + file, content, headers);
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        Reply commit = post(base + "/commit", null, headers);
        assertThat(commit.status()).as(commit.toString()).isEqualTo(200);
        return version;
    }

    // --- state probes for "a rejected request changes nothing" ---------------------------------------------------

    /** Every event of the audit log: each change appends one, so an unchanged count means nothing changed. */
    long eventCount() {
        long count = 0;
        String token = null;
        do {
            Reply page = get("/api/v1/events?limit=1000" + (token == null ? "" : "&page_token=" + token), probe);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            count += page.json().get("events").size();
            token = page.json().hasNonNull("next_page_token") ? page.json().get("next_page_token").asText() : null;
        } while (token != null);
        return count;
    }

    /** The regular files under the blob directory. */
    Set<String> blobFiles() {
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            Set<String> names = new TreeSet<>();
            files.filter(Files::isRegularFile).forEach(p -> names.add(dataDir.relativize(p).toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code rejected} and checks the audit log and the blob directory are as they were. */
    Reply unchangedBy(java.util.function.Supplier<Reply> rejected) {
        long events = eventCount();
        Set<String> blobs = blobFiles();
        Reply reply = rejected.get();
        assertThat(eventCount()).as("events after a rejected request").isEqualTo(events);
        assertThat(blobFiles()).as("blob files after a rejected request").isEqualTo(blobs);
        return reply;
    }

    @Override
    public void close() {
        server.close();
    }

    record Reply(int status, java.net.http.HttpHeaders headers, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }

        String errorMessage() {
            return json().path("error").path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + (bytes.length < 2000 ? text() : bytes.length + " bytes");
        }
    }
}
