package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.Rollback;
import dev.cairn.api.ApiModels.SetAlias;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.client.LiveModel.Failure;
import dev.cairn.client.LiveModel.Loaded;
import dev.cairn.client.internal.Sha256;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LiveModel against a real server: real downloads into a real cache, real pointer moves. */
class LiveModelIT {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final LiveModel.Options FAST = new LiveModel.Options(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(1));

    @TempDir
    static Path data;

    @TempDir
    Path work;

    static CairnServer server;
    static CairnClient client;

    /** What the test loader builds: the version it was loaded for and the file it read. */
    record Weights(int version, String content) {}

    static final LiveModel.Loader<Weights> LOADER = (dir, version) ->
            new Weights(version.version(), Files.readString(dir.resolve("model.bin"), StandardCharsets.UTF_8));

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
        client = CairnClient.builder().baseUrl(server.url()).user("alice").build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void followsPromotionsAndRollsBackFromTheCache() throws IOException {
        register(client, "lm-follow", 1);
        register(client, "lm-follow", 2);
        client.transition("lm-follow", 1, new Transition("production", null, null));

        try (LiveModel<Weights> live = LiveModel.follow(client, "models:/lm-follow/Production", work.resolve("cache"),
                LOADER, FAST)) {
            assertConsistent(live.current());
            assertThat(live.current().version().version()).isEqualTo(1);
            assertThat(live.downloadedBytes()).isEqualTo(content("lm-follow", 1).length());

            client.transition("lm-follow", 2, new Transition("production", null, null));
            await(() -> live.current().version().version() == 2);
            assertConsistent(live.current());
            long afterTwo = live.downloadedBytes();
            assertThat(afterTwo).isEqualTo(content("lm-follow", 1).length() + content("lm-follow", 2).length());

            client.rollback("lm-follow", new Rollback("production", null, null, "v2 is worse"));
            await(() -> live.current().version().version() == 1);
            assertConsistent(live.current());
            assertThat(live.downloadedBytes()).as("v1 comes from the cache").isEqualTo(afterTwo);
            try (Stream<Path> blobs = Files.list(work.resolve("cache/blobs"))) {
                assertThat(blobs.count()).isEqualTo(2);
            }

            long closing = System.nanoTime();
            live.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("close interrupts the long poll")
                    .isLessThan(FAST.pollWait().dividedBy(2));
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .doesNotContain("cairn-live-model models:/lm-follow/Production");
        }
    }

    @Test
    void aFailingLoadKeepsThePreviousVersionAndIsReported() throws IOException {
        register(client, "lm-fail", 1);
        register(client, "lm-fail", 2);
        register(client, "lm-fail", 3);
        client.transition("lm-fail", 1, new Transition("production", null, null));
        LiveModel.Loader<Weights> refusesTwo = (dir, version) -> {
            if (version.version() == 2) {
                throw new IOException("weights of v2 are not loadable");
            }
            return LOADER.load(dir, version);
        };
        List<Failure> failures = new CopyOnWriteArrayList<>();
        List<Integer> swaps = new CopyOnWriteArrayList<>();

        try (LiveModel<Weights> live = LiveModel.follow(client, "models:/lm-fail/Production",
                work.resolve("cache"), refusesTwo, FAST)) {
            live.addListener(new LiveModel.Listener<>() {
                @Override
                public void swapped(Loaded<Weights> previous, Loaded<Weights> current) {
                    swaps.add(current.version().version());
                }

                @Override
                public void failed(Failure failure) {
                    failures.add(failure);
                }
            });

            client.transition("lm-fail", 2, new Transition("production", null, null));
            await(() -> !failures.isEmpty());
            assertThat(failures.get(0).version().version()).isEqualTo(2);
            assertThat(failures.get(0).error()).hasMessageContaining("not loadable");
            assertThat(live.current().version().version()).isEqualTo(1);
            assertConsistent(live.current());
            assertThat(live.lastError()).hasValueSatisfying(f -> assertThat(f.version().version()).isEqualTo(2));

            client.transition("lm-fail", 3, new Transition("production", null, null));
            await(() -> live.current().version().version() == 3);
            assertThat(swaps).containsExactly(3);
            assertThat(live.lastError()).isEmpty();
        }
    }

    @Test
    void concurrentReadersNeverSeeAHalfLoadedVersion() throws Exception {
        register(client, "lm-race", 1);
        register(client, "lm-race", 2);
        client.transition("lm-race", 1, new Transition("production", null, null));
        LiveModel.Loader<Weights> slow = (dir, version) -> {
            Thread.sleep(20);
            return LOADER.load(dir, version);
        };

        try (LiveModel<Weights> live = LiveModel.follow(client, "models:/lm-race/Production", work.resolve("cache"),
                slow, FAST)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            AtomicReference<Throwable> problem = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (running.get()) {
                            assertConsistent(live.current());
                            reads.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        problem.compareAndSet(null, t);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int swap = 0; swap < 6; swap++) {
                int target = swap % 2 == 0 ? 2 : 1;
                client.transition("lm-race", target, new Transition("production", null, null));
                await(() -> live.current().version().version() == target);
            }
            running.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(problem.get()).isNull();
            assertThat(reads.get()).isPositive();
        }
    }

    @Test
    void aTamperedBlobIsDetectedAndDownloadedAgain() throws IOException {
        register(client, "lm-tamper", 1);
        register(client, "lm-tamper", 2);
        client.transition("lm-tamper", 1, new Transition("production", null, null));
        Path cache = work.resolve("cache");
        String v1 = content("lm-tamper", 1);

        try (LiveModel<Weights> live = LiveModel.follow(client, "models:/lm-tamper/Production", cache, LOADER, FAST)) {
            Path blob = cache.resolve("blobs").resolve(sha256(v1));
            Files.writeString(blob, "X".repeat(v1.length()), StandardCharsets.UTF_8);

            client.transition("lm-tamper", 2, new Transition("production", null, null));
            await(() -> live.current().version().version() == 2);
            long before = live.downloadedBytes();
            client.rollback("lm-tamper", new Rollback("production", null, null, null));
            await(() -> live.current().version().version() == 1);

            assertConsistent(live.current());
            assertThat(live.downloadedBytes() - before).as("the damaged blob is fetched again").isEqualTo(v1.length());
            assertThat(Sha256.of(blob)).isEqualTo(sha256(v1));
        }
    }

    @Test
    void anInterruptedDownloadIsResumedWithARangeRequest() throws IOException {
        register(client, "lm-resume", 1);
        client.setAlias("lm-resume", "champion", new SetAlias(1, null));
        Path cache = work.resolve("cache");
        String v1 = content("lm-resume", 1);
        int half = v1.length() / 2;
        Path partial = cache.resolve("partial").resolve(sha256(v1));
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, v1.substring(0, half), StandardCharsets.UTF_8);

        try (LiveModel<Weights> live = LiveModel.follow(client, "models:/lm-resume@champion", cache, LOADER, FAST)) {
            assertConsistent(live.current());
            assertThat(live.downloadedBytes()).as("only the missing rest").isEqualTo(v1.length() - half);
            assertThat(partial).doesNotExist();
        }
    }

    @Test
    void aRestartedServerIsFollowedAfterBackoff(@TempDir Path ownData) throws IOException {
        CairnServer first = CairnServer.start(ServerConfig.builder().port(0).dataDir(ownData).build());
        int port = first.port();
        CairnClient own = CairnClient.builder().baseUrl(first.url()).user("alice").build();
        register(own, "lm-restart", 1);
        register(own, "lm-restart", 2);
        own.transition("lm-restart", 1, new Transition("production", null, null));
        List<Failure> failures = new CopyOnWriteArrayList<>();

        try (LiveModel<Weights> live = LiveModel.follow(own, "models:/lm-restart/Production", work.resolve("cache"),
                LOADER, FAST)) {
            live.addListener(new LiveModel.Listener<>() {
                @Override
                public void failed(Failure failure) {
                    failures.add(failure);
                }
            });
            first.close();
            await(() -> !failures.isEmpty());
            assertThat(live.current().version().version()).as("still serving while the server is down").isEqualTo(1);

            try (CairnServer second = CairnServer.start(ServerConfig.builder().port(port).dataDir(ownData).build())) {
                own.transition("lm-restart", 2, new Transition("production", null, null));
                await(() -> live.current().version().version() == 2);
                assertConsistent(live.current());
                await(() -> live.lastError().isEmpty());
            }
        } finally {
            first.close();
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The file of version {@code version}: large enough that a download is more than one read. */
    private static String content(String model, int version) {
        return ("v" + version + "|" + model + "|").repeat(20_000);
    }

    private static void assertConsistent(Loaded<Weights> loaded) {
        assertThat(loaded).isNotNull();
        int version = loaded.version().version();
        assertThat(loaded.model().version()).isEqualTo(version);
        assertThat(loaded.model().content()).isEqualTo(content(loaded.version().name(), version));
    }

    private Version register(CairnClient on, String model, int expectedVersion) throws IOException {
        Version draft = on.createVersion(model, new CreateVersion(null, null, null, null, null, null, null, null, null,
                true));
        assertThat(draft.version()).isEqualTo(expectedVersion);
        Path file = work.resolve("src").resolve(model + "-" + expectedVersion + ".bin");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content(model, expectedVersion), StandardCharsets.UTF_8);
        on.uploadFile(model, draft.version(), "model.bin", file, null);
        return on.commit(model, draft.version());
    }

    private static String sha256(String content) {
        var digest = Sha256.newDigest();
        digest.update(content.getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(digest);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
