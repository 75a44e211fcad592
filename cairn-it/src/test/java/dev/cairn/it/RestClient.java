package dev.cairn.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The few native-API calls these tests make, on java.net.http and plain JSON trees: the tests check the wire contract
 * of docs/api.md, not the SDK.
 */
final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A resolve answer: the version it names and the ETag to poll with. */
    record Resolved(int version, String etag) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String token;

    /** A client that sends {@code token} as its API token on every call. */
    RestClient(String token) {
        this.token = token;
    }

    /** Any call: the answer's JSON when the status is {@code expected}, an AssertionError otherwise. */
    JsonNode call(String method, String url, String body, int expected) throws Exception {
        return call(to(url).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : json(body)), expected);
    }

    /** The status of a GET, whatever it is. */
    int status(String url) throws Exception {
        return http.send(to(url).GET().timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Draft, upload with the declared sha256, commit: what {@code cairn register} does. Returns the version. */
    int register(String url, String model, byte[] content) throws Exception {
        return register(url, url, model, content);
    }

    /**
     * A registration whose upload goes to another replica than its draft and commit, as it may behind a load
     * balancer without sticky sessions.
     */
    int register(String url, String uploadUrl, String model, byte[] content) throws Exception {
        String path = "/api/v1/models/" + encode(model) + "/versions";
        String base = url + path;
        int version = call(to(base).POST(json("{\"create_model\":true}")), 201)
                .get("version").asInt();
        call(to(uploadUrl + path + "/" + version + "/files/model.bin")
                .header("X-Content-Sha256", sha256(content))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201);
        JsonNode committed = call(to(base + "/" + version + "/commit")
                .POST(HttpRequest.BodyPublishers.noBody()), 200);
        if (!"READY".equals(committed.get("status").asText())) {
            throw new AssertionError("commit of " + model + " " + version + " answered " + committed);
        }
        return version;
    }

    void promote(String url, String model, int version, String stage) throws Exception {
        call(to(url + "/api/v1/models/" + encode(model) + "/versions/" + version
                + "/stage").POST(json("{\"stage\":\"" + stage + "\",\"comment\":\"it\"}")), 200);
    }

    /** Every version of a model, following page tokens. */
    List<JsonNode> versions(String url, String model) throws Exception {
        return pages(url + "/api/v1/models/" + encode(model) + "/versions?limit=1000", "versions");
    }

    /** The model's events in the feed, oldest first, following page tokens. */
    List<JsonNode> events(String url, String model) throws Exception {
        return pages(url + "/api/v1/events?model=" + encode(model) + "&limit=1000", "events");
    }

    /** The model's events of one kind, oldest first, following page tokens. */
    List<JsonNode> history(String url, String model, String kind) throws Exception {
        return pages(url + "/api/v1/models/" + encode(model) + "/history?kind=" + kind + "&limit=1000", "events");
    }

    Resolved resolve(String url, String ref) throws Exception {
        return resolved(http.send(resolveRequest(url, ref).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** A long poll: answers when the reference's ETag differs from {@code etag}, or after {@code waitSeconds}. */
    CompletableFuture<Resolved> awaitChange(String url, String ref, String etag, int waitSeconds) {
        HttpRequest request = to(url + "/api/v1/resolve?ref=" + encode(ref)
                        + "&wait=" + waitSeconds)
                .header("If-None-Match", etag)
                .timeout(Duration.ofSeconds(waitSeconds + 10L))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(RestClient::resolved);
    }

    /**
     * Opens {@code GET /api/v1/events/stream} of one model, resuming after {@code lastEventId} when given, and puts the
     * {@code id:} of every event it sends into {@code ids}; cancel the future to close the stream.
     */
    CompletableFuture<HttpResponse<Void>> stream(String url, String model, Long lastEventId, BlockingQueue<Long> ids) {
        HttpRequest.Builder request = to(url + "/api/v1/events/stream?model=" + encode(model))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).trim()));
                }
            }

            @Override
            public void onError(Throwable error) {}

            @Override
            public void onComplete() {}
        }));
    }

    private HttpRequest.Builder to(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token);
    }

    private HttpRequest.Builder resolveRequest(String url, String ref) {
        return to(url + "/api/v1/resolve?ref=" + encode(ref));
    }

    private static Resolved resolved(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("resolve answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return new Resolved(JSON.readTree(response.body()).get("version").asInt(),
                    response.headers().firstValue("ETag").orElseThrow());
        } catch (IOException e) {
            throw new AssertionError("resolve answered no JSON: " + response.body(), e);
        }
    }

    private List<JsonNode> pages(String first, String field) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String token = null;
        do {
            String uri = token == null ? first : first + "&page_token=" + encode(token);
            JsonNode page = call(to(uri).GET(), 200);
            page.get(field).forEach(all::add);
            token = page.hasNonNull("next_page_token") ? page.get("next_page_token").asText() : null;
        } while (token != null);
        return all;
    }

    private JsonNode call(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + " (expected " + expected + "): " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
