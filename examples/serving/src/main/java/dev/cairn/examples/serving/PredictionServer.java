package dev.cairn.examples.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.client.LiveModel;
import dev.cairn.client.LiveModel.Loaded;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inference service, on the JDK's HTTP server:
 * <ul>
 *   <li>{@code POST /predict} with {@code {"features": [x0, x1, x2]}} answers
 *       {@code {"label": 0|1, "probability": p, "version": N}};</li>
 *   <li>{@code GET /healthz} answers the model and version serving, and the last failure to follow, if any.</li>
 * </ul>
 * Each request reads {@link LiveModel#current()} once and answers from that one version, so a swap in the middle of a
 * request cannot mix two versions, and requests never wait for a swap. Bad input is a 400 with {@code {"error": ...}}.
 */
public final class PredictionServer implements AutoCloseable {
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // The JDK's server writes a response's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK, about 40 ms per request. Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final LiveModel<LogisticRegression> model;
    private final HttpServer http;
    private final ExecutorService workers;

    private PredictionServer(LiveModel<LogisticRegression> model, HttpServer http, ExecutorService workers) {
        this.model = model;
        this.http = http;
        this.workers = workers;
    }

    /**
     * Starts serving {@code model} on {@code port} (0: any free port) of every interface, with {@code threads} workers.
     * The server owns {@code model} from then on: {@link #close()} closes it.
     */
    public static PredictionServer start(LiveModel<LogisticRegression> model, int port, int threads) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "prediction-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        PredictionServer server = new PredictionServer(model, http, workers);
        http.createContext("/predict", exchange -> server.handle(exchange, "POST", server::predict));
        http.createContext("/healthz", exchange -> server.handle(exchange, "GET", server::health));
        http.setExecutor(workers);
        http.start();
        return server;
    }

    /** The version serving now. */
    public int version() {
        return model.current().version().version();
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Stops accepting requests, lets running ones finish (up to a second), stops the workers, then stops following
     * the model.
     */
    @Override
    public void close() {
        http.stop(1);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
    }

    /** A request that cannot be answered: its status and message. */
    private static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @FunctionalInterface
    private interface Handler {
        ObjectNode answer(HttpExchange exchange) throws BadRequest, IOException;
    }

    private void handle(HttpExchange exchange, String method, Handler handler) throws IOException {
        try {
            int status = 200;
            ObjectNode body;
            try {
                if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                    throw new BadRequest(404, "no such path: " + exchange.getRequestURI().getPath());
                }
                if (!exchange.getRequestMethod().equals(method)) {
                    exchange.getResponseHeaders().set("Allow", method);
                    throw new BadRequest(405, exchange.getRequestMethod() + " is not allowed here; use " + method);
                }
                body = handler.answer(exchange);
            } catch (BadRequest e) {
                status = e.status;
                body = JSON.createObjectNode().put("error", e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                body = JSON.createObjectNode().put("error", "internal error");
                System.getLogger(PredictionServer.class.getName())
                        .log(System.Logger.Level.ERROR, "a request failed", e);
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }

    private ObjectNode predict(HttpExchange exchange) throws BadRequest, IOException {
        double[] features = features(readBody(exchange));
        Loaded<LogisticRegression> serving = model.current();
        LogisticRegression regression = serving.model();
        if (features.length != regression.features()) {
            throw new BadRequest(400, "features must hold " + regression.features() + " numbers, got "
                    + features.length);
        }
        double probability = regression.probability(features);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("label", probability >= 0.5 ? 1 : 0);
        answer.put("probability", probability);
        answer.put("version", serving.version().version());
        return answer;
    }

    private ObjectNode health(HttpExchange exchange) {
        Loaded<LogisticRegression> serving = model.current();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", "ok");
        answer.put("reference", model.reference());
        answer.put("model", serving.version().name());
        answer.put("version", serving.version().version());
        model.lastError().ifPresent(failure -> answer.put("last_error", failure.error().getMessage()));
        return answer;
    }

    private static byte[] readBody(HttpExchange exchange) throws BadRequest, IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new BadRequest(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static double[] features(byte[] body) throws BadRequest {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode array = root == null ? null : root.get("features");
        if (array == null || !array.isArray()) {
            throw new BadRequest(400, "the body must be {\"features\": [numbers]}; got "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
        }
        double[] features = new double[array.size()];
        for (int i = 0; i < features.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new BadRequest(400, "features[" + i + "] must be a finite number, got " + value);
            }
            features[i] = value.asDouble();
        }
        return features;
    }
}
