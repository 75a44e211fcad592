import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers MODELS x VERSIONS versions, each with one 1 KiB file, through the native API from CONCURRENCY workers
 * (create draft, upload, commit: what `cairn register` does), then promotes and aliases a version of each model so
 * every reference form resolves. Prints registrations per second. Run: java bench/RegisterBench.java URL 100 20 16
 */
public class RegisterBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int models = Integer.parseInt(args[1]);
        int versions = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        byte[] file = new byte[1024];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) ('a' + i % 26);
        }
        AtomicInteger next = new AtomicInteger();
        int total = models * versions;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            work.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    String model = "bench-model-" + (i % models);
                    byte[] content = file.clone();
                    content[0] = (byte) i; // distinct files, so every upload is stored
                    content[1] = (byte) (i >> 8);
                    register(http, url, model, content);
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        for (int m = 0; m < models; m++) {
            String base = url + "/api/v1/models/bench-model-" + m;
            send(http, HttpRequest.newBuilder(URI.create(base + "/versions/" + versions + "/stage"))
                    .POST(json("{\"stage\":\"Production\"}")), 200);
            send(http, HttpRequest.newBuilder(URI.create(base + "/aliases/champion"))
                    .PUT(json("{\"version\":" + Math.max(1, versions - 1) + "}")), 200);
        }
        System.out.printf("registrations: %d versions of %d models in %.2f s = %.0f registrations/s (%d workers)%n",
                total, models, seconds, total / seconds, concurrency);
    }

    private static void register(HttpClient http, String url, String model, byte[] content) throws Exception {
        String base = url + "/api/v1/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        String created = send(http, HttpRequest.newBuilder(URI.create(base + "/versions"))
                .POST(json("{\"create_model\":true,\"metrics\":{\"auc\":0.9},\"params\":{\"lr\":\"0.1\"}}")), 201);
        int version = Integer.parseInt(created.replaceAll("(?s).*\"version\"\\s*:\\s*(\\d+).*", "$1"));
        send(http, HttpRequest.newBuilder(URI.create(base + "/versions/" + version + "/files/model.bin"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201);
        send(http, HttpRequest.newBuilder(URI.create(base + "/versions/" + version + "/commit"))
                .POST(HttpRequest.BodyPublishers.noBody()), 200);
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private static String send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
        String token = System.getenv("CAIRN_TOKEN"); // a server with authentication: the API token to send
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
