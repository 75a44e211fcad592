package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A real Cairn server on a free port over a temporary directory, and raw HTTP calls to its MLflow API. */
final class TrackingTestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final CairnServer server;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TrackingTestServer(CairnServer server) {
        this.server = server;
        this.url = "http://127.0.0.1:" + server.port();
    }

    static TrackingTestServer start(Path dataDir) {
        return new TrackingTestServer(CairnServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build()));
    }

    /** A status, the response headers and the body; {@link #json()} parses it. */
    record Reply(int status, HttpResponse<byte[]> response) {
        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String errorCode() {
            return json().path("error_code").asText();
        }

        String message() {
            return json().path("message").asText();
        }
    }

    /** GET {@code /api/2.0/mlflow/<rpc>?<query>}; the query is sent as written. */
    Reply get(String rpc, String query) {
        return send(HttpRequest.newBuilder(URI.create(url + "/api/2.0/mlflow/" + rpc + (query == null ? "" : "?" + query)))
                .GET());
    }

    /** POST a JSON body to {@code /api/2.0/mlflow/<rpc>}. */
    Reply post(String rpc, String json) {
        return send(HttpRequest.newBuilder(URI.create(url + "/api/2.0/mlflow/" + rpc))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
    }

    /** Any method on any path below the server's URL, with a body and headers given as name, value pairs. */
    Reply send(String method, String path, BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).method(method, body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    <T> HttpResponse<T> raw(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Exception {
        return http.send(request, handler);
    }

    @Override
    public void close() {
        server.close();
    }
}
