package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import dev.cairn.server.CairnServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain HTTP to a real server, as a browser without JavaScript talks to the UI: GET pages, POST forms (with the
 * server's own Origin unless told otherwise), no redirect followed, an optional sign-in cookie; and JSON calls to the
 * native API to set up and check state.
 */
final class Web {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final CairnServer server;
    /** Extra headers on every call: a cookie, or an Authorization header. */
    private final List<String> headers = new ArrayList<>();

    Web(CairnServer server) {
        this.server = server;
    }

    Web as(String name, String value) {
        Web other = new Web(server);
        other.headers.addAll(headers);
        other.headers.add(name);
        other.headers.add(value);
        return other;
    }

    Web bearer(String token) {
        return as("Authorization", "Bearer " + token);
    }

    Web cookie(String token) {
        return as("Cookie", "cairn_token=" + token);
    }

    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        List<String> cookies() {
            return headers.allValues("Set-Cookie");
        }

        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() < 3000 ? body : body.substring(0, 3000) + "…");
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    /** A form as the UI's own pages post it. */
    Reply form(String path, String body) {
        return formFrom(server.url(), path, body);
    }

    Reply formFrom(String origin, String path, String body) {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return send(builder);
    }

    Reply json(String method, String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A READY version through the MLflow API (files kept elsewhere): one call, so tests can make hundreds. */
    int version(String model, String source) {
        ensureModel(model);
        Reply r = json("POST", "/api/2.0/mlflow/model-versions/create",
                "{\"name\":\"" + model + "\",\"source\":\"" + source + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("model_version").path("version").asInt();
    }

    /** A READY content-addressed version with one file and {@code spec} (JSON fields) through the native API. */
    int register(String model, String spec) {
        ensureModel(model);
        String m = "/api/v1/models/" + seg(model);
        Reply draft = json("POST", m + "/versions", spec);
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        int v = draft.json().get("version").asInt();
        Reply upload = send(request(m + "/versions/" + v + "/files/model.bin")
                .PUT(HttpRequest.BodyPublishers.ofString("weights " + v)));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        Reply commit = json("POST", m + "/versions/" + v + "/commit", null);
        assertThat(commit.status()).as(commit.toString()).isEqualTo(200);
        return v;
    }

    /** Creates the model unless it exists (names without quotes or backslashes). */
    void ensureModel(String model) {
        Reply created = json("POST", "/api/v1/models", "{\"name\":\"" + model + "\"}");
        assertThat(created.status()).as(created.toString()).isIn(201, 409);
    }

    /** Every event of the audit log: an unchanged count means a refused request changed nothing. */
    long events() {
        long count = 0;
        String token = null;
        do {
            Reply page = get("/api/v1/events?limit=1000" + (token == null ? "" : "&page_token=" + token));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            count += page.json().get("events").size();
            token = page.json().hasNonNull("next_page_token") ? page.json().get("next_page_token").asText() : null;
        } while (token != null);
        return count;
    }

    static String seg(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
