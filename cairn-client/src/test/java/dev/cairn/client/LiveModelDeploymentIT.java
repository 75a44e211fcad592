package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ApiModels.CreateUser;
import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.Deployment;
import dev.cairn.api.ApiModels.SetAlias;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LiveModel's deployment record against a real server that authenticates: a follower with a viewer's token appears in
 * the model's deployments with the version it serves, reports the new one after a promotion, and keeps serving when
 * its heartbeats cannot be stored.
 */
class LiveModelDeploymentIT {
    private static final String ADMIN_TOKEN = "live-deployments-admin-token-0123456789";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final LiveModel.Options FAST = new LiveModel.Options(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(1)).withHeartbeatEvery(Duration.ofMillis(500));

    @TempDir
    static Path data;

    @TempDir
    Path work;

    static CairnServer server;
    static CairnClient admin;
    static CairnClient viewer;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN)
                .build());
        admin = CairnClient.builder().baseUrl(server.url()).token(ADMIN_TOKEN).build();
        String token = admin.createUser(new CreateUser("serving", "viewer", null)).token().token();
        viewer = CairnClient.builder().baseUrl(server.url()).token(token).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFollowerReportsTheVersionItServesAndTheNextOneAfterAPromotion() throws IOException {
        register("dep-follow", 1);
        register("dep-follow", 2);
        admin.transition("dep-follow", 1, new Transition("production", null, null));
        Instant before = Instant.now();

        try (LiveModel<String> live = LiveModel.follow(viewer, "models:/dep-follow/Production", work.resolve("cache"),
                (dir, version) -> Files.readString(dir.resolve("model.bin")), FAST.withInstanceId("pod-7"))) {
            assertThat(live.instanceId()).isEqualTo("pod-7");
            Deployment first = only(await(() -> viewer.deployments("dep-follow", true).deployments(),
                    list -> list.size() == 1 && list.get(0).version() == 1));
            assertThat(first.instanceId()).isEqualTo("pod-7");
            assertThat(first.reference()).isEqualTo("models:/dep-follow/Production");
            assertThat(first.live()).isTrue();
            assertThat(first.host()).isNotBlank();
            assertThat(Instant.parse(first.since())).isAfterOrEqualTo(before.minusSeconds(1));

            admin.transition("dep-follow", 2, new Transition("production", null, null));
            Deployment second = only(await(() -> viewer.deployments("dep-follow", true).deployments(),
                    list -> list.size() == 1 && list.get(0).version() == 2));
            assertThat(second.instanceId()).isEqualTo("pod-7");
            assertThat(Instant.parse(second.since())).isAfterOrEqualTo(Instant.parse(first.since()));
            assertThat(live.current().version().version()).isEqualTo(2);
        }
    }

    @Test
    void generatedInstanceIdsAreDistinctPerFollower() throws IOException {
        register("dep-ids", 1);
        admin.setAlias("dep-ids", "live", new SetAlias(1, null));
        try (LiveModel<String> a = follow("models:/dep-ids@live", "a");
             LiveModel<String> b = follow("models:/dep-ids@live", "b")) {
            assertThat(a.instanceId()).isNotEqualTo(b.instanceId()).matches(".+-[0-9a-f]{8}");
            List<String> ids = await(() -> viewer.deployments("dep-ids", false).deployments().stream()
                    .map(Deployment::instanceId).sorted().toList(), list -> list.size() == 2);
            assertThat(ids).containsExactlyInAnyOrder(a.instanceId(), b.instanceId());
        }
    }

    @Test
    void aFollowerWhoseHeartbeatsAreRefusedKeepsServing() throws IOException {
        register("dep-refused", 1);
        admin.transition("dep-refused", 1, new Transition("production", null, null));
        // An id with an invisible format character, which the registry refuses: every heartbeat fails, and serving
        // must not notice.
        String refused = "pod\u200e8";
        try (LiveModel<String> live = LiveModel.follow(viewer, "models:/dep-refused/Production",
                work.resolve("cache-refused"), (dir, version) -> Files.readString(dir.resolve("model.bin")),
                FAST.withInstanceId(refused).withHeartbeatEvery(Duration.ofMillis(200)))) {
            Instant until = Instant.now().plusSeconds(1);
            while (Instant.now().isBefore(until)) {
                assertThat(live.current().model()).isEqualTo(content("dep-refused", 1));
            }
            assertThat(live.lastError()).isEmpty();
            assertThat(viewer.deployments("dep-refused", true).deployments()).isEmpty();
        }
    }

    private LiveModel<String> follow(String reference, String cache) {
        return LiveModel.follow(viewer, reference, work.resolve(cache),
                (dir, version) -> Files.readString(dir.resolve("model.bin")), FAST);
    }

    private void register(String model, int expectedVersion) throws IOException {
        var draft = admin.createVersion(model, new CreateVersion(null, null, null, null, null, null, null, null, null,
                true));
        assertThat(draft.version()).isEqualTo(expectedVersion);
        Path file = work.resolve("src").resolve(model + "-" + expectedVersion + ".bin");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content(model, expectedVersion), StandardCharsets.UTF_8);
        admin.uploadFile(model, draft.version(), "model.bin", file, null);
        admin.commit(model, draft.version());
    }

    private static String content(String model, int version) {
        return "v" + version + "|" + model;
    }

    private static Deployment only(List<Deployment> deployments) {
        return deployments.size() == 1 ? deployments.get(0) : null;
    }

    private static <T> T await(Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + DEADLINE + "; last seen: " + value);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            value = probe.get();
        }
        return value;
    }
}
