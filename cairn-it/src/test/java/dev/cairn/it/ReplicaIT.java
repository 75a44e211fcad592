package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stateless replicas of the shaded {@code cairn.jar} on one PostgreSQL database and one S3 bucket, driven at
 * the same time: correctness across replicas must come from the database (DESIGN.md §2), never from one process's
 * locks or caches.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReplicaIT {
    private static final Path JAR = Path.of(System.getProperty("cairn.jar", "../cairn-cli/target/cairn.jar"))
            .toAbsolutePath().normalize();
    private static final int THREADS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static Deployment deployment;
    private static String a;
    private static String b;
    private final RestClient api = new RestClient(Deployment.ADMIN_TOKEN);

    @BeforeAll
    static void startDeployment() throws Exception {
        assertThat(JAR).as("the shaded jar is built by cairn-cli's 'package' before this module's tests").exists();
        deployment = Deployment.start(JAR, work, 2);
        a = deployment.replicas().get(0).url();
        b = deployment.replicas().get(1).url();
    }

    @AfterAll
    static void stopDeployment() throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void concurrentRegistrationsThroughBothReplicasNumberEachModelWithoutGapsOrDuplicates() throws Exception {
        int models = 20;
        int total = 1_000;
        long blobsBefore = deployment.storedBlobs();
        List<Integer> numbers = concurrently(total, i -> api.register(replica(i), replica(i + 1),
                "reg-" + (i % models), ("weights " + i).getBytes(StandardCharsets.UTF_8)));

        assertThat(numbers).hasSize(total);
        for (int m = 0; m < models; m++) {
            String model = "reg-" + m;
            List<JsonNode> listed = api.versions(replica(m + 1), model);
            assertThat(listed).as(model).allSatisfy(v -> assertThat(v.get("status").asText()).isEqualTo("READY"));
            assertThat(listed.stream().map(v -> v.get("version").asInt()).sorted().toList()).as(model)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, total / models).boxed().toList());
        }
        assertThat(deployment.storedBlobs() - blobsBefore).as("distinct files stored in the shared bucket")
                .isEqualTo(total);
        JsonNode audit = api.call("GET", b + "/api/v1/audit/verify", null, 200);
        assertThat(audit.get("intact").asBoolean()).as("audit chain after concurrent writes through both replicas: "
                + audit).isTrue();
        assertThat(audit.get("checked").asLong()).isGreaterThanOrEqualTo(3L * total);
    }

    @Test
    void aTokenMadeOnOneReplicaWorksOnTheOtherUntilRevoked() throws Exception {
        JsonNode created = api.call("POST", a + "/api/v1/users", "{\"name\":\"replica-viewer\",\"role\":\"viewer\"}", 201);
        RestClient viewer = new RestClient(created.get("token").get("token").asText());
        assertThat(viewer.call("GET", b + "/api/v1/whoami", null, 200).get("user").asText()).isEqualTo("replica-viewer");
        assertThat(viewer.status(b + "/api/v1/models")).isEqualTo(200);
        assertThat(viewer.call("POST", b + "/api/v1/models", "{\"name\":\"viewer-made\"}", 403)
                .get("error").get("code").asText()).isEqualTo("PERMISSION_DENIED");

        api.call("DELETE", a + "/api/v1/tokens/" + created.get("token").get("id").asText(), null, 200);
        assertThat(viewer.status(a + "/api/v1/whoami")).as("the replica that revoked it").isEqualTo(401);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int status;
        do {
            status = viewer.status(b + "/api/v1/whoami");
        } while (status == 200 && System.nanoTime() < deadline && sleep(200));
        assertThat(status).as("the other replica, within its 5 s token cache").isEqualTo(401);
        assertThat(new RestClient("cairn_forged").status(b + "/api/v1/models")).isEqualTo(401);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    @Test
    void concurrentPromotionsThroughBothReplicasLeaveOneProductionVersionAndAConsistentHistory() throws Exception {
        String model = "promo";
        int versions = 200;
        for (int v = 1; v <= versions; v++) {
            api.register(replica(v), model, ("promo " + v).getBytes(StandardCharsets.UTF_8));
        }

        concurrently(versions, i -> {
            api.promote(replica(i), model, i + 1, "Production");
            return i;
        });

        List<Integer> inProduction = api.versions(b, model).stream()
                .filter(v -> "Production".equals(v.get("stage").asText()))
                .map(v -> v.get("version").asInt()).toList();
        assertThat(inProduction).as("versions in Production").hasSize(1);
        int holder = inProduction.get(0);

        List<JsonNode> transitions = api.history(a, model, "STAGE_TRANSITION");
        assertThat(transitions).as("one transition per promotion").hasSize(versions);
        Integer previous = null;
        long lastSeq = Long.MIN_VALUE;
        for (JsonNode event : transitions) {
            long seq = event.get("seq").asLong();
            assertThat(seq).as("seqs strictly increase").isGreaterThan(lastSeq);
            lastSeq = seq;
            JsonNode payload = event.get("payload");
            assertThat(payload.get("to").asText()).isEqualTo("Production");
            String archived = payload.hasNonNull("archived") ? payload.get("archived").asText() : null;
            assertThat(archived).as("transition %s archived the previous holder", seq)
                    .isEqualTo(previous == null ? null : previous.toString());
            previous = event.get("version").asInt();
        }
        assertThat(previous).as("the last transition's target holds Production").isEqualTo(holder);
        assertThat(api.resolve(a, "models:/" + model + "/Production").version()).isEqualTo(holder);
        assertThat(api.resolve(b, "models:/" + model + "/Production").version()).isEqualTo(holder);
    }

    @Test
    void aTransitionOnOneReplicaIsSeenOnTheOtherWithinOneSecond() throws Exception {
        String model = "watched";
        String ref = "models:/" + model + "/Production";
        for (int v = 1; v <= 3; v++) {
            api.register(a, model, ("watched " + v).getBytes(StandardCharsets.UTF_8));
        }
        api.promote(a, model, 1, "Production");
        RestClient.Resolved before = api.resolve(b, ref);
        assertThat(before.version()).isEqualTo(1);

        CompletableFuture<RestClient.Resolved> longPoll = api.awaitChange(b, ref, before.etag(), 30);
        Thread.sleep(500);
        assertThat(longPoll).as("the long poll waits while nothing changes").isNotDone();
        api.promote(a, model, 2, "Production");
        long promoted = System.nanoTime();
        RestClient.Resolved woken = longPoll.get(5, TimeUnit.SECONDS);
        long wokenAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promoted);
        assertThat(woken.version()).isEqualTo(2);
        assertThat(woken.etag()).isNotEqualTo(before.etag());
        assertThat(wokenAfter).as("ms from the transition on A to the long poll's answer on B")
                .isLessThanOrEqualTo(1_000);

        api.promote(a, model, 3, "Production");
        promoted = System.nanoTime();
        int seen;
        do {
            seen = api.resolve(b, ref).version();
        } while (seen != 3 && System.nanoTime() - promoted < TimeUnit.SECONDS.toNanos(2));
        long seenAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promoted);
        assertThat(seen).isEqualTo(3);
        assertThat(seenAfter).as("ms from the transition on A to a poll on B seeing it").isLessThanOrEqualTo(1_000);
    }

    @Test
    void anEventStreamOnOneReplicaCarriesTheOthersWritesAndResumesOnTheOtherWithoutGapsOrDuplicates() throws Exception {
        String model = "streamed";
        BlockingQueue<Long> onB = new LinkedBlockingQueue<>();
        CompletableFuture<?> streamB = api.stream(b, model, null, onB);
        try {
            for (int v = 1; v <= 3; v++) {
                api.register(a, model, ("streamed " + v).getBytes(StandardCharsets.UTF_8));
            }
            api.promote(a, model, 2, "Production");
            List<Long> written = seqs(api.events(a, model));
            assertThat(written).hasSizeGreaterThanOrEqualTo(10);
            assertThat(take(onB, written.size())).as("B streams what A wrote, in order").isEqualTo(written);

            // A client that read up to the middle resumes on A and gets exactly the rest.
            long middle = written.get(written.size() / 2);
            BlockingQueue<Long> onA = new LinkedBlockingQueue<>();
            CompletableFuture<?> streamA = api.stream(a, model, middle, onA);
            try {
                api.promote(b, model, 3, "Production");
                List<Long> all = seqs(api.events(b, model));
                List<Long> rest = all.stream().filter(seq -> seq > middle).toList();
                assertThat(take(onA, rest.size())).isEqualTo(rest);
                assertThat(onA.poll(1, TimeUnit.SECONDS)).as("nothing more").isNull();
            } finally {
                streamA.cancel(true);
            }
        } finally {
            streamB.cancel(true);
        }
    }

    @Test
    void webhookDeliveriesFromBothReplicasCarryEveryEventOnce() throws Exception {
        String model = "hooked";
        List<Long> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            received.add(body.get("event").get("seq").asLong());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
        try {
            api.call("POST", a + "/api/v1/models", "{\"name\":\"" + model + "\"}", 201);
            api.call("POST", a + "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/hook\",\"model\":\"" + model + "\",\"events\":[\"version.registered\"]}", 201);
            int total = 60;
            concurrently(total, i -> api.register(replica(i), model, ("hooked " + i).getBytes(StandardCharsets.UTF_8)));

            List<Long> registered = new ArrayList<>();
            for (JsonNode event : api.history(b, model, "VERSION_COMMITTED")) {
                registered.add(event.get("seq").asLong());
            }
            assertThat(registered).hasSize(total);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < total && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000); // a duplicate would arrive by now
            assertThat(received).as("every registration delivered once, by whichever replica leased it")
                    .hasSize(total).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(registered);
        } finally {
            receiver.stop(0);
        }
    }

    private static List<Long> seqs(List<JsonNode> events) {
        return events.stream().map(e -> e.get("seq").asLong()).toList();
    }

    /** The next {@code count} ids of a stream, failing when they do not arrive within 10 s. */
    private static List<Long> take(BlockingQueue<Long> ids, int count) throws InterruptedException {
        List<Long> taken = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (taken.size() < count) {
            Long id = ids.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (id == null) {
                throw new AssertionError("the stream sent " + taken + ", expected " + count + " events");
            }
            taken.add(id);
        }
        return taken;
    }

    /** Alternates replicas, as a round-robin load balancer would. */
    private static String replica(int i) {
        return i % 2 == 0 ? a : b;
    }

    private interface Task {
        int run(int i) throws Exception;
    }

    /** Runs {@code count} tasks on {@link #THREADS} threads released together; fails with the first failure. */
    private static List<Integer> concurrently(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<Integer> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
