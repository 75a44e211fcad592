import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Web-UI page render times: every page of every model already in the registry (the demo data), then the pages of one
 * model with VERSIONS versions, registered here through the native API (draft, 1 KiB upload, commit; 16 workers) with
 * metrics, every 500th version promoted to Production. Each page is fetched REQUESTS times one after another over one
 * keep-alive connection from the same machine, after a warm-up; the figures are the client's, which on loopback is
 * the server's time plus well under a millisecond.
 *
 * Run: java bench/UiBench.java BASE_URL [VERSIONS=10000] [REQUESTS=100]   (CAIRN_TOKEN: the API token, when needed)
 */
public class UiBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = System.getenv("CAIRN_TOKEN");
    private static String base;

    public static void main(String[] args) throws Exception {
        base = args[0].replaceAll("/+$", "");
        int versions = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 100;

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("models", "/");
        pages.put("requests", "/ui/requests");
        pages.put("audit", "/ui/audit");
        Matcher names = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(call("GET", "/api/v1/models?limit=100", null, 200));
        while (names.find()) {
            String model = names.group(1);
            pages.putAll(modelPages(model, latest(model)));
        }
        System.out.printf("%-44s %9s %9s %9s%n", "page (demo data)", "p50 ms", "p99 ms", "max ms");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            measure(page.getKey(), page.getValue(), requests);
        }

        String model = "ui-bench-" + System.currentTimeMillis();
        long start = System.nanoTime();
        register(model, versions);
        System.out.printf("registered %d versions of %s in %.1f s%n", versions, model, (System.nanoTime() - start) / 1e9);
        System.out.printf("%-44s %9s %9s %9s%n", "page (" + versions + " versions)", "p50 ms", "p99 ms", "max ms");
        for (Map.Entry<String, String> page : modelPages(model, versions).entrySet()) {
            measure(page.getKey(), page.getValue(), requests);
        }
        measure("models (with it)", "/", requests);
        measure("audit, chain verified (on request)", "/ui/audit?verify=1", Math.max(10, requests / 10));
    }

    private static Map<String, String> modelPages(String model, int latest) {
        String m = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put(model, "/ui/models/" + m);
        pages.put(model + " v" + latest, "/ui/models/" + m + "/versions/" + latest);
        pages.put(model + " compare", "/ui/models/" + m + "/compare?versions=" + Math.max(1, latest - 1) + "," + latest
                + "&metric=auc");
        pages.put(model + " audit", "/ui/audit?model=" + m);
        return pages;
    }

    private static int latest(String model) throws Exception {
        String body = call("GET", "/api/v1/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20"), null, 200);
        Matcher m = Pattern.compile("\"latest_version\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    private static void measure(String name, String path, int requests) throws Exception {
        for (int i = 0; i < Math.max(10, requests / 5); i++) {
            call("GET", path, null, 200);
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            call("GET", path, null, 200);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("%-44s %9.2f %9.2f %9.2f%n", name, nanos[requests / 2] / 1e6,
                nanos[(int) Math.min(requests - 1, Math.ceil(requests * 0.99) - 1)] / 1e6, nanos[requests - 1] / 1e6);
    }

    private static void register(String model, int versions) throws Exception {
        String m = URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    for (int i = worker; i < versions; i += 16) {
                        byte[] content = ("weights " + model + " " + i + " ").repeat(40).getBytes(StandardCharsets.UTF_8);
                        double auc = 0.80 + 0.15 * i / versions + (i % 7) * 0.001;
                        String created = call("POST", "/api/v1/models/" + m + "/versions", "{\"create_model\":true,"
                                + "\"metrics\":{\"auc\":" + auc + ",\"latency_ms\":" + (20 - 5.0 * i / versions) + "}}", 201);
                        Matcher n = Pattern.compile("\"version\"\\s*:\\s*(\\d+)").matcher(created);
                        n.find();
                        String v = n.group(1);
                        upload("/api/v1/models/" + m + "/versions/" + v + "/files/model.bin", content);
                        call("POST", "/api/v1/models/" + m + "/versions/" + v + "/commit", null, 200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int v = 500; v <= versions; v += 500) {
            call("POST", "/api/v1/models/" + m + "/versions/" + v + "/stage", "{\"stage\":\"Production\"}", 200);
        }
    }

    private static void upload(String path, byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        send(request(path).header("X-Content-Sha256", sha).PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201);
    }

    private static String call(String method, String path, String json, int expected) throws Exception {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return send(request, expected);
    }

    private static HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (TOKEN != null && !TOKEN.isEmpty()) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return request;
    }

    private static String send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " -> "
                    + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
