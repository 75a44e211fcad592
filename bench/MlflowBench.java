import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * MLflow-API load against any MLflow-compatible server, so the same load runs against Cairn and against MLflow on the
 * same machine. Sets up one registered model with VERSIONS versions (every other one tagged team=risk, the last in
 * Production, the one before it aliased champion) and one run, then runs each scenario for SECONDS with CONCURRENCY
 * closed-loop workers and prints requests/s and latency percentiles.
 *
 * Run: java bench/MlflowBench.java BASE_URL [SECONDS=10] [CONCURRENCY=16] [VERSIONS=200]
 */
public class MlflowBench {
    private static HttpClient http;
    private static String base;

    public static void main(String[] args) throws Exception {
        base = args[0].replaceAll("/+$", "");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int versions = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        String model = "mlflow-bench-" + System.currentTimeMillis();
        post("registered-models/create", "{\"name\":\"" + model + "\"}");
        for (int v = 1; v <= versions; v++) {
            String tags = v % 2 == 0 ? ",\"tags\":[{\"key\":\"team\",\"value\":\"risk\"}]" : "";
            post("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://bench/models/" + v + "\"" + tags + "}");
        }
        post("model-versions/transition-stage", "{\"name\":\"" + model + "\",\"version\":\"" + versions
                + "\",\"stage\":\"Production\",\"archive_existing_versions\":true}");
        post("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"" + (versions - 1) + "\"}");
        String experiment = post("experiments/create", "{\"name\":\"" + model + "\"}")
                .replaceAll("(?s).*\"experiment_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        String run = post("runs/create", "{\"experiment_id\":\"" + experiment + "\",\"start_time\":1}")
                .replaceAll("(?s).*\"run_id\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");

        String q = URLEncoder.encode(model, StandardCharsets.UTF_8);
        String tagFilter = URLEncoder.encode("tags.team = 'risk'", StandardCharsets.UTF_8);
        System.out.printf("%-28s %10s %9s %9s %9s%n", "scenario", "requests/s", "p50 ms", "p99 ms", "max ms");
        scenario("get-latest-versions", seconds, concurrency,
                i -> get("registered-models/get-latest-versions?name=" + q + "&stages=Production"));
        scenario("get-model-version-by-alias", seconds, concurrency,
                i -> get("registered-models/alias?name=" + q + "&alias=champion"));
        scenario("search-versions-tag-filter", seconds, concurrency,
                i -> get("model-versions/search?filter=" + tagFilter + "&max_results=100"));
        scenario("create-model-version", seconds, concurrency,
                i -> post("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"s3://bench/models/x" + i + "\"}"));
        scenario("log-batch", seconds, concurrency, i -> post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"loss\",\"value\":" + (1.0 / (i + 1)) + ",\"timestamp\":" + i + ",\"step\":" + i + "},"
                + "{\"key\":\"acc\",\"value\":0.5,\"timestamp\":" + i + ",\"step\":" + i + "}],"
                + "\"tags\":[{\"key\":\"last\",\"value\":\"" + i + "\"}]}"));
    }

    private static void scenario(String name, int seconds, int concurrency, LongFunction<String> call) throws Exception {
        AtomicLong counter = new AtomicLong();
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(Math.max(1, seconds / 5)).toNanos();
        while (System.nanoTime() < warmupEnd) {
            call.apply(counter.incrementAndGet());
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<long[]>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    call.apply(counter.incrementAndGet());
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        long started = System.nanoTime();
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : workers) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%-28s %10.0f %9.2f %9.2f %9.2f%n", name, merged.length / elapsed,
                merged[merged.length / 2] / 1e6, merged[(int) (merged.length * 0.99)] / 1e6, merged[merged.length - 1] / 1e6);
    }

    private static String get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path)).GET());
    }

    private static String post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String send(HttpRequest.Builder request) {
        String token = System.getenv("CAIRN_TOKEN"); // a server with authentication: the API token to send
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.build().uri() + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
