package dev.cairn.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.mlflow.tracking.MlflowClient;

/**
 * A real Cairn server on a free port over a temporary directory, raw HTTP calls to its MLflow registry API (DELETE
 * with a JSON body, which the MLflow Java client cannot send) and to its native API, and the MLflow Java client.
 */
final class RegistryTestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final CairnServer server;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RegistryTestServer(CairnServer server) {
        this.server = server;
        this.url = "http://127.0.0.1:" + server.port();
    }

    static RegistryTestServer start(Path dataDir) {
        return new RegistryTestServer(CairnServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build()));
    }

    MlflowClient client() {
        return new MlflowClient(url);
    }

    record Reply(int status, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text, e);
            }
        }

        String errorCode() {
            return json().path("error_code").asText();
        }

        String message() {
            return json().path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** GET {@code /api/2.0/mlflow/<rpc>?<query>}, the query sent as written. */
    Reply get(String rpc, String query) {
        return call("GET", "/api/2.0/mlflow/" + rpc + (query == null ? "" : "?" + query), null);
    }

    Reply post(String rpc, String json) {
        return call("POST", "/api/2.0/mlflow/" + rpc, json);
    }

    Reply patch(String rpc, String json) {
        return call("PATCH", "/api/2.0/mlflow/" + rpc, json);
    }

    /** DELETE with a JSON body, as MLflow's Python client sends it. */
    Reply delete(String rpc, String json) {
        return call("DELETE", "/api/2.0/mlflow/" + rpc, json);
    }

    /** A native API call, {@code /api/v1/...}. */
    Reply nativeGet(String path) {
        return call("GET", path, null);
    }

    /** PUT raw bytes to the proxied-artifact store under {@code mlflow-artifacts:/<path>}. */
    Reply uploadArtifact(String path, byte[] bytes) {
        return send(HttpRequest.newBuilder(URI.create(url + "/api/2.0/mlflow-artifacts/artifacts/" + path))
                .PUT(BodyPublishers.ofByteArray(bytes)));
    }

    Reply call(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The number of events in the audit log: every change appends one, so an unchanged count means nothing changed. */
    long eventCount() {
        long count = 0;
        String token = null;
        do {
            Reply page = nativeGet("/api/v1/events?limit=1000" + (token == null ? "" : "&page_token=" + token));
            assertThat(page.status()).isEqualTo(200);
            count += page.json().get("events").size();
            token = page.json().hasNonNull("next_page_token") ? page.json().get("next_page_token").asText() : null;
        } while (token != null);
        return count;
    }

    /** Runs a request that must be refused with this status and code, and checks that it changed nothing. */
    Reply refused(int status, String errorCode, Supplier<Reply> request) {
        long events = eventCount();
        Reply reply = request.get();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.errorCode()).as(reply.toString()).isEqualTo(errorCode);
        assertThat(eventCount()).as("events after " + reply).isEqualTo(events);
        return reply;
    }

    @Override
    public void close() {
        server.close();
    }
}
