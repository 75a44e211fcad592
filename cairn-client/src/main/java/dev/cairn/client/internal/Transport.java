package dev.cairn.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.api.ApiModels.ErrorBody;
import dev.cairn.api.Json;
import dev.cairn.client.CairnConnectionException;
import dev.cairn.client.CairnException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Sends requests to one server as one user (with a bearer token when given) and turns every answer that is not a
 * success into a {@link CairnException}: the error body's code when there is one, otherwise a code derived from the
 * HTTP status.
 */
public final class Transport {
    private static final ObjectMapper JSON = Json.mapper();

    private final HttpClient http;
    private final String baseUrl;
    private final String user;
    /** Sent only in the Authorization header; never put into a message. */
    private final String token;
    private final Duration requestTimeout;

    public Transport(String baseUrl, String user, String token, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.user = user;
        this.token = token;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: no h2c upgrade dance on plain http, and uploads stream with a Content-Length.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A request to {@code pathAndQuery} (starting with '/') with the user and token headers and the default timeout. */
    public HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(requestTimeout)
                .header("Accept", "application/json");
        if (user != null && !user.isBlank()) {
            builder.header("X-Cairn-User", user);
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** Sends a JSON body (or none when {@code body} is null) and reads the answer as {@code type} (null: ignored). */
    public <T> T json(String method, String pathAndQuery, Object body, Class<T> type) {
        HttpRequest.Builder builder = request(pathAndQuery);
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        return read(send(builder.build(), HttpResponse.BodyHandlers.ofByteArray()), type);
    }

    /** Reads a successful answer as {@code type}, or throws the error it carries. */
    public <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body());
        }
        if (type == null || type == Void.class) {
            return null;
        }
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CairnException("INTERNAL", response.statusCode(), "unexpected answer from " + baseUrl
                    + response.request().uri().getRawPath() + ": " + e.getMessage(), Map.of(), e);
        }
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new CairnConnectionException("the Cairn server at " + baseUrl + " did not answer in time ("
                    + request.method() + " " + request.uri().getRawPath() + ")", e);
        } catch (IOException e) {
            throw new CairnConnectionException("cannot reach the Cairn server at " + baseUrl + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnConnectionException("interrupted while talking to " + baseUrl, e);
        }
    }

    /** The exception for a failed answer whose body has not been read yet (downloads stream their body). */
    public CairnException error(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return error(response.statusCode(), body.readNBytes(64 * 1024));
        } catch (IOException e) {
            return error(response.statusCode(), new byte[0]);
        }
    }

    public CairnException error(int status, byte[] body) {
        try {
            ErrorBody parsed = JSON.readValue(body, ErrorBody.class);
            if (parsed != null && parsed.error() != null && parsed.error().code() != null) {
                String message = parsed.error().message() == null ? parsed.error().code() : parsed.error().message();
                return CairnException.of(parsed.error().code(), status, message, parsed.error().details());
            }
        } catch (IOException notAnErrorBody) {
            // Not our error body (a proxy's page, an empty 404): fall back to the status below.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String message = "HTTP " + status + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text));
        return CairnException.of(codeFor(status), status, message, Map.of());
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "FAILED_PRECONDITION";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
    }

    private static byte[] write(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String reason(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return e instanceof java.net.ConnectException ? "connection refused" : root.getClass().getSimpleName();
    }
}
