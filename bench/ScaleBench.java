import dev.cairn.core.RegistryService;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The registry at scale on PostgreSQL: generates MODELS models and VERSIONS versions through the metadata store's
 * transactions (one model, "scale-big", gets BIG versions; the rest are spread evenly), then measures what a user
 * feels at that size: registrations through RegistryService, resolve (in process and over HTTP), the first and a deep
 * page of the big model's versions, and version searches by tag (native and MLflow) and by metric.
 *
 * <p>Run with bench/scale.sh, which builds the classpath. Arguments: the shaded cairn.jar (for the HTTP figures;
 * "-" to skip them). Environment: SCALE_DB_URL (a PostgreSQL JDBC URL to use instead of an embedded server; it must
 * point to an empty database), SCALE_MODELS (10000), SCALE_VERSIONS (1000000), SCALE_BIG (10000), SCALE_WRITERS (3).
 */
public class ScaleBench {
    static final int MODELS = intEnv("SCALE_MODELS", 10_000);
    static final int VERSIONS = intEnv("SCALE_VERSIONS", 1_000_000);
    static final int BIG = intEnv("SCALE_BIG", 10_000);
    static final int WRITERS = intEnv("SCALE_WRITERS", 3);
    /** Versions per generating transaction: large enough that commits do not dominate, small enough to retry. */
    static final int BATCH = 1_000;
    static final int TEAMS = 50;
    /** Distinct release tags; each value lands on VERSIONS / RELEASES versions, so a search by one is selective. */
    static final int RELEASES = 10_000;

    public static void main(String[] args) throws Exception {
        Path jar = args.length > 0 && !args[0].equals("-") ? Path.of(args[0]) : null;
        Path work = Files.createTempDirectory("cairn-scale");
        String external = System.getenv("SCALE_DB_URL");
        // zonky turns durability off by default; a registration rate is only meaningful with it on.
        EmbeddedPostgres embedded = external == null ? EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start() : null;
        String url = external != null ? external : embedded.getJdbcUrl("postgres", "postgres");
        try (MetadataStore store = JdbcMetadataStore.postgres(url)) {
            System.out.printf("## machine%n%d cores, load average %s, %s, %s; PostgreSQL %s%n",
                    Runtime.getRuntime().availableProcessors(), loadAverage(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    "Java " + System.getProperty("java.version"), serverSettings(url));
            Layout layout = new Layout(MODELS, VERSIONS, BIG);
            new Generator(store, layout).run();
            analyze(url);
            RegistryService service = new RegistryService(store, new FileBlobStore(work.resolve("blobs")),
                    Clock.systemUTC());
            Measures measures = new Measures(service, layout);
            measures.registrations(2_000, 16);
            measures.resolve(20_000);
            measures.listVersions();
            measures.searchByTag();
            // The same reads with the driver never preparing statements on the server: PostgreSQL then plans every
            // execution with its actual parameters instead of switching to a cached generic plan (see explain).
            try (MetadataStore unprepared = JdbcMetadataStore.postgres(withOption(url, "prepareThreshold=0"))) {
                System.out.println("## the same, with prepareThreshold=0 on the JDBC URL");
                Measures custom = new Measures(new RegistryService(unprepared, new FileBlobStore(work.resolve("blobs")),
                        Clock.systemUTC()), layout);
                custom.listVersions();
                custom.searchByTag();
            }
            if (jar != null) {
                try (Replica server = Replica.start(jar, url, work)) {
                    new HttpMeasures(server.url(), layout).run();
                }
            }
            explain(url, layout);
            System.out.println("load average at the end: " + loadAverage());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Which model gets how many versions: model 0 gets {@code big}, the rest share the remainder evenly. */
    record Layout(int models, int versions, int big) {
        String name(int model) {
            return model == 0 ? "scale-big" : String.format("scale-m%05d", model);
        }

        int versionsOf(int model) {
            if (model == 0) {
                return big;
            }
            int rest = versions - big;
            int others = models - 1;
            return rest / others + (model <= rest % others ? 1 : 0);
        }

        /** A release tag value shared by about versions / RELEASES versions across many models. */
        static String release(int model, int version) {
            return "r-" + Math.floorMod(model * 7_919 + version, RELEASES);
        }
    }

    /** A contiguous run of one model's versions, written in one transaction together with other runs. */
    record Chunk(int model, int from, int to) {}

    /** Fills the store through {@link MetadataStore#write}, BATCH versions per transaction, on WRITERS threads. */
    static final class Generator {
        private final MetadataStore store;
        private final Layout layout;
        private final long[] ids;
        private final Instant now = Instant.now();

        Generator(MetadataStore store, Layout layout) {
            this.store = store;
            this.layout = layout;
            this.ids = new long[layout.models()];
        }

        void run() throws Exception {
            long start = System.nanoTime();
            for (int from = 0; from < layout.models(); from += BATCH) {
                int first = from;
                int last = Math.min(layout.models(), from + BATCH);
                store.write(tx -> {
                    for (int m = first; m < last; m++) {
                        ids[m] = tx.insertModel(layout.name(m), "", Map.of("team", team(m)), "bench", now).id();
                    }
                    return null;
                });
            }
            List<List<Chunk>> batches = batches();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            ExecutorService pool = pool(WRITERS);
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                work.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                        write(batches.get(b));
                        int size = batches.get(b).stream().mapToInt(c -> c.to() - c.from() + 1).sum();
                        int written = done.addAndGet(size);
                        if (written / 100_000 != (written - BATCH) / 100_000) {
                            System.out.printf("  %,d versions after %.0f s%n", written, seconds(start));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            double seconds = seconds(start);
            System.out.printf("## generation%n%,d models, %,d versions (scale-big: %,d) in %.0f s = %,.0f versions/s"
                    + " (%d writers, %d versions a transaction)%n", layout.models(), done.get(), layout.big(), seconds,
                    done.get() / seconds, WRITERS, BATCH);
        }

        private List<List<Chunk>> batches() {
            List<List<Chunk>> batches = new ArrayList<>();
            List<Chunk> current = new ArrayList<>();
            int size = 0;
            for (int m = 0; m < layout.models(); m++) {
                int remaining = layout.versionsOf(m);
                int from = 1;
                while (remaining > 0) {
                    int take = Math.min(remaining, BATCH - size);
                    current.add(new Chunk(m, from, from + take - 1));
                    from += take;
                    remaining -= take;
                    size += take;
                    if (size == BATCH) {
                        batches.add(current);
                        current = new ArrayList<>();
                        size = 0;
                    }
                }
            }
            if (!current.isEmpty()) {
                batches.add(current);
            }
            return batches;
        }

        /**
         * One transaction. Versions are inserted READY with their manifest, as an import would: the counter is
         * allocated as RegistryService does, so later registrations continue the numbering. The last version of each
         * model is in Production and the one before holds the alias champion.
         */
        private void write(List<Chunk> chunks) {
            store.write(tx -> {
                for (Chunk chunk : chunks) {
                    long id = ids[chunk.model()];
                    int total = layout.versionsOf(chunk.model());
                    for (int v = chunk.from(); v <= chunk.to(); v++) {
                        int number = tx.allocateVersion(id);
                        tx.insertVersion(version(chunk.model(), id, number));
                        if (number == total) {
                            tx.setStage(id, number, Stage.PRODUCTION, now);
                        } else if (number == total - 1) {
                            tx.setAlias(id, "champion", number);
                        }
                    }
                }
                return null;
            });
        }

        private ModelVersion version(int model, long id, int number) {
            String sha = String.format("%064x", (long) model << 32 | number);
            Manifest manifest = Manifest.of(List.of(new FileEntry("model.bin", 1024, sha)));
            // Metrics vary per version so that ordering or filtering on them is selective too.
            double auc = 0.5 + ((model * 31L + number * 17L) % 5_000) / 10_000.0;
            return new ModelVersion(id, layout.name(model), number, VersionStatus.READY, Stage.NONE, List.of(), "",
                    Map.of("team", team(model), "release", Layout.release(model, number)),
                    Map.of("auc", auc, "loss", 1 - auc), Map.of("lr", number % 2 == 0 ? "0.01" : "0.1"), null, "onnx",
                    "s3://bench/" + model + "/" + number, "run-" + model + "-" + number, null, manifest, "bench", now,
                    now, true, null, null);
        }

        private static String team(int model) {
            return "team-" + (model % TEAMS);
        }
    }

    /** In-process figures: RegistryService on the same store, as a server replica would call it. */
    static final class Measures {
        private final RegistryService service;
        private final Layout layout;

        Measures(RegistryService service, Layout layout) {
            this.service = service;
            this.layout = layout;
        }

        /** Draft, add a 1 KiB file, commit: three transactions and a durable file write, as over HTTP. */
        void registrations(int total, int threads) throws Exception {
            byte[] file = new byte[1024];
            ThreadLocalRandom.current().nextBytes(file);
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = pool(threads);
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        String model = layout.name(1 + i % Math.min(100, layout.models() - 1));
                        byte[] content = file.clone();
                        content[0] = (byte) i;
                        content[1] = (byte) (i >> 8);
                        int version = service.createVersion("bench", model, new NewVersion(null, Map.of("team", "new"),
                                Map.of("auc", 0.9), null, null, "onnx", null, null, null, null), false).version();
                        service.addFile("bench", model, version, "model.bin", new ByteArrayInputStream(content),
                                Optional.empty());
                        service.commit("bench", model, version);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            double seconds = seconds(start);
            System.out.printf("## registrations (RegistryService: createVersion + addFile + commit)%n"
                    + "%,d in %.1f s = %.0f registrations/s (%d threads)%n", total, seconds, total / seconds, threads);
        }

        /** Every reference form over random models; the first pass fills the resolve cache, the second hits it. */
        void resolve(int count) {
            String[] refs = refs(layout, count);
            System.out.println("## resolve (RegistryService.resolve, one thread)");
            report("resolve, first time per ref", timed(count, i -> service.resolve(refs[i])));
            report("resolve, repeated refs", timed(count, i -> service.resolve(refs[i])));
        }

        void listVersions() {
            String big = layout.name(0);
            System.out.println("## list versions of " + big + " (" + layout.big() + " versions, 100 a page)");
            report("first page", timed(300, i -> service.listVersions(big, null, null, 100, null)));
            String token = null;
            for (int p = 1; p < 90; p++) {
                token = service.listVersions(big, null, null, 100, token).nextPageToken();
            }
            String page90 = token;
            Page<ModelVersion> deep = service.listVersions(big, null, null, 100, page90);
            System.out.printf("page 90 starts at version %d%n", deep.items().get(0).version());
            report("page 90 (by page token)", timed(300, i -> service.listVersions(big, null, null, 100, page90)));
        }

        void searchByTag() {
            System.out.println("## version search (RegistryService.searchVersions, 100 a page)");
            int expected = layout.versions() / RELEASES;
            RegistryQuery release = new RegistryQuery(List.of(Condition.tag("release", Condition.Op.EQ, "r-4242")),
                    List.of());
            System.out.printf("tags.release = 'r-4242' matches about %d versions%n", expected);
            report("by tag (release, selective)", timed(50, i -> service.searchVersions(release, 0, 100)));
            RegistryQuery teamOfModel = new RegistryQuery(List.of(
                    Condition.text(Condition.Field.MODEL_NAME, Condition.Op.EQ, layout.name(4242)),
                    Condition.tag("team", Condition.Op.EQ, "team-42")), List.of());
            report("by model name and tag", timed(50, i -> service.searchVersions(teamOfModel, 0, 100)));
            RegistryQuery topAuc = new RegistryQuery(List.of(Condition.metric("auc", Condition.Op.GE, 0.9998)), List.of());
            System.out.println("metrics.auc >= 0.9998 matches " + service.searchVersions(topAuc, 0, 1000).items().size()
                    + " versions (first 1,000 counted)");
            report("by metric (auc, selective)", timed(50, i -> service.searchVersions(topAuc, 0, 100)));
        }
    }

    /** Figures through the server: the shaded jar's {@code serve --db} on the same database. */
    static final class HttpMeasures {
        private final String url;
        private final Layout layout;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpMeasures(String url, Layout layout) {
            this.url = url;
            this.layout = layout;
        }

        void run() throws Exception {
            // As many refs as bench/run.sh spreads its resolves over, so the two resolve figures compare.
            String[] refs = refs(layout, 2_000);
            System.out.println("## HTTP (cairn.jar serve --db, same database)");
            closedLoop("GET /api/v1/resolve over 2,000 refs, 8 connections, 10 s", 8, refs.length,
                    Duration.ofSeconds(10),
                    i -> "/api/v1/resolve?ref=" + URLEncoder.encode(refs[i % refs.length], StandardCharsets.UTF_8));
            String big = URLEncoder.encode(layout.name(0), StandardCharsets.UTF_8);
            report("GET versions of scale-big, first page", timedHttp(200, i -> "/api/v1/models/" + big + "/versions"));
            String filter = URLEncoder.encode("tags.release = 'r-4242'", StandardCharsets.UTF_8);
            report("MLflow model-versions/search tags.release", timedHttp(50,
                    i -> "/api/2.0/mlflow/model-versions/search?max_results=100&filter=" + filter));
        }

        private long[] timedHttp(int count, IntFunction<String> path) throws Exception {
            get(path.apply(0));
            return timed(count, i -> get(path.apply(i)));
        }

        /** Warms up with {@code warmupCalls} sequential calls (JIT, the server's resolve cache), then measures. */
        private void closedLoop(String name, int workers, int warmupCalls, Duration duration, IntFunction<String> path)
                throws Exception {
            AtomicInteger counter = new AtomicInteger();
            for (int i = 0; i < warmupCalls; i++) {
                get(path.apply(counter.getAndIncrement()));
            }
            ExecutorService pool = pool(workers);
            long end = System.nanoTime() + duration.toNanos();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 20];
                    int n = 0;
                    while (System.nanoTime() < end && n < latencies.length) {
                        long t = System.nanoTime();
                        get(path.apply(counter.incrementAndGet()));
                        latencies[n++] = System.nanoTime() - t;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
            pool.shutdown();
            long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
            System.out.printf("%s: %,.0f requests/s%n", name, merged.length / (duration.toNanos() / 1e9));
            report(name, merged);
        }

        private Object get(String path) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return response;
            } catch (Exception e) {
                throw new IllegalStateException("GET " + path, e);
            }
        }
    }

    /** A {@code cairn serve} process on the benchmark's database; blobs in a scratch directory. */
    record Replica(Process process, String url) implements AutoCloseable {
        static Replica start(Path jar, String jdbcUrl, Path work) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = work.resolve("server.log");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar.toString(), "serve", "--port", Integer.toString(port), "--db", jdbcUrl,
                    "--data", work.resolve("server-data").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Replica replica = new Replica(process, "http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(replica.url() + "/readyz")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return replica;
                    }
                } catch (java.io.IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            replica.close();
            throw new IllegalStateException("cairn serve did not get ready:\n" + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Reference strings over random models, in every form: a number, latest, Production and an alias. */
    static String[] refs(Layout layout, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] refs = new String[count];
        for (int i = 0; i < count; i++) {
            int model = random.nextInt(layout.models());
            String name = layout.name(model);
            refs[i] = switch (i % 4) {
                case 0 -> "models:/" + name + "/" + (1 + random.nextInt(layout.versionsOf(model)));
                case 1 -> "models:/" + name + "/latest";
                case 2 -> "models:/" + name + "/Production";
                default -> layout.versionsOf(model) > 1 ? "models:/" + name + "@champion"
                        : "models:/" + name + "/latest";
            };
        }
        return refs;
    }

    /**
     * What autovacuum would do after a bulk load (statistics, visibility map), done now so that it does not compete
     * with the measurements for the same two cores and the plans are the steady-state ones.
     */
    static void analyze(String url) throws Exception {
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("VACUUM ANALYZE");
        }
        System.out.printf("VACUUM ANALYZE after the load: %.0f s%n", seconds(start));
    }

    static String serverSettings(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            StringBuilder out = new StringBuilder();
            for (String setting : List.of("server_version", "fsync", "synchronous_commit", "shared_buffers")) {
                try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
                    rs.next();
                    out.append(setting.equals("server_version") ? "" : ", " + setting + "=").append(rs.getString(1));
                }
            }
            return out.toString();
        }
    }

    /** The plans behind the figures: where time goes when a target is missed. */
    static void explain(String url, Layout layout) throws Exception {
        System.out.println("## plans (EXPLAIN ANALYZE)");
        try (Connection c = DriverManager.getConnection(url)) {
            long big;
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM models WHERE name = ?")) {
                s.setString(1, layout.name(0));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    big = rs.getLong(1);
                }
            }
            int before = layout.big() - 8_899;
            String page = " WHERE model_id = " + big + " AND version IN (SELECT version FROM versions WHERE model_id = "
                    + big + " AND version < " + before + " ORDER BY version DESC LIMIT 101)";
            plan(c, "page 90 of scale-big's versions", "SELECT version FROM versions WHERE model_id = " + big
                    + " AND status <> 'DELETED' AND version < " + before + " ORDER BY version DESC LIMIT 101");
            plan(c, "tags of one page of versions", "SELECT version, key, value FROM version_tags" + page);
            plan(c, "versions with tag release = r-4242", "SELECT model_id, version FROM version_tags"
                    + " WHERE key = 'release' AND value = 'r-4242' LIMIT 101");
            // The store loads a page's tags (metrics, params, files) with "version IN (?, ?, ...)". After five
            // executions of one statement the driver prepares it on the server, and PostgreSQL may then use a generic
            // plan, which is what these show.
            StringBuilder types = new StringBuilder("bigint");
            StringBuilder params = new StringBuilder();
            StringBuilder values = new StringBuilder(Long.toString(big));
            for (int i = 0; i < 101; i++) {
                types.append(", int");
                params.append(i == 0 ? "" : ", ").append('$').append(i + 2);
                values.append(", ").append(before - 1 - i);
            }
            c.createStatement().execute("SET plan_cache_mode = force_generic_plan");
            c.createStatement().execute("PREPARE page_tags(" + types + ") AS SELECT version, key, value"
                    + " FROM version_tags WHERE model_id = $1 AND version IN (" + params + ")");
            plan(c, "tags of one page, IN list, generic plan", "EXECUTE page_tags(" + values + ")");
            c.createStatement().execute("PREPARE page_tags_array(bigint, int[]) AS SELECT version, key, value"
                    + " FROM version_tags WHERE model_id = $1 AND version = ANY($2)");
            plan(c, "tags of one page, = ANY(array), generic plan", "EXECUTE page_tags_array(" + big + ", '{"
                    + values.substring(values.indexOf(",") + 2).replace(" ", "") + "}')");
        }
    }

    /** Daemon threads, so that a failed measurement ends the run instead of leaving the JVM waiting on its pool. */
    static ExecutorService pool(int threads) {
        return Executors.newFixedThreadPool(threads, work -> {
            Thread thread = new Thread(work);
            thread.setDaemon(true);
            return thread;
        });
    }

    static String withOption(String jdbcUrl, String option) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + option;
    }

    private static void plan(Connection c, String title, String sql) throws Exception {
        System.out.println("-- " + title + ": " + sql);
        try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN ANALYZE " + sql)) {
            while (rs.next()) {
                System.out.println("   " + rs.getString(1));
            }
        }
    }

    /** Per-call latencies in nanoseconds, one thread, after two untimed warm-up calls. */
    static long[] timed(int count, IntFunction<Object> call) {
        call.apply(0);
        call.apply(1 % count);
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            call.apply(i);
            latencies[i] = System.nanoTime() - t;
        }
        return latencies;
    }

    static void report(String name, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf("%-50s n=%,7d  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", name, sorted.length,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Other work on the machine skews every figure here, so the run states how busy the machine was. */
    static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
