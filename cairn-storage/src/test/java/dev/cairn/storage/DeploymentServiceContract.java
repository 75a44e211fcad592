package dev.cairn.storage;

import static dev.cairn.storage.RegistryServiceContract.assertRefused;
import static dev.cairn.storage.RegistryServiceContract.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryService;
import dev.cairn.core.deploy.Deployment;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Role;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.store.MetadataStore.Tx;
import dev.cairn.storage.GovernanceServiceContract.MovableClock;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment records over the real stores ({@link SqliteDeploymentServiceTest}, {@link PostgresDeploymentServiceTest}):
 * the {@code deployments} section of the store, heartbeats as the service validates them, and the live window, moved
 * through a clock the test controls.
 */
abstract class DeploymentServiceContract {
    static final Actor LOCAL = Actor.local("laptop");

    @TempDir
    Path dir;

    JdbcMetadataStore store;
    RegistryService registry;
    DeploymentService deployments;
    final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T09:00:00Z"));

    /** The JDBC URL of a fresh, empty database; {@code dir} is this test's temporary directory. */
    abstract String newDatabase(Path dir);

    @BeforeEach
    void start() {
        store = JdbcMetadataStore.open(newDatabase(dir));
        registry = new RegistryService(store, new FileBlobStore(dir.resolve("blobs")), clock);
        deployments = new DeploymentService(store, clock);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    // --- the store ----------------------------------------------------------------------------------------------

    @Test
    void aLaterHeartbeatOfTheSameInstanceReplacesItsRow() {
        register("fraud");
        long id = registry.getModel("fraud").id();
        Instant t0 = clock.instant();
        put(id, new Deployment("fraud", "pod-a", 1, "models:/fraud@production", t0, "node-1", "ci", t0));
        put(id, new Deployment("fraud", "pod-a", 1, null, t0, null, "serving", t0.plusSeconds(30)));

        List<Deployment> rows = store.read((Tx tx) -> tx.deployments(id));
        assertThat(rows).containsExactly(
                new Deployment("fraud", "pod-a", 1, null, t0, null, "serving", t0.plusSeconds(30)));
    }

    @Test
    void rowsAreListedByVersionDescendingThenInstanceAndPerModel() {
        register("fraud");
        register("fraud");
        register("churn");
        long fraud = registry.getModel("fraud").id();
        long churn = registry.getModel("churn").id();
        Instant t0 = clock.instant();
        put(fraud, new Deployment("fraud", "pod-b", 1, null, t0, null, "ci", t0));
        put(fraud, new Deployment("fraud", "pod-c", 2, null, t0, null, "ci", t0));
        put(fraud, new Deployment("fraud", "pod-a", 1, null, t0, null, "ci", t0));
        put(churn, new Deployment("churn", "pod-a", 1, null, t0, null, "ci", t0));

        assertThat(store.read((Tx tx) -> tx.deployments(fraud)))
                .extracting(d -> d.version() + "/" + d.instanceId()).containsExactly("2/pod-c", "1/pod-a", "1/pod-b");
        assertThat(store.read((Tx tx) -> tx.deployments(churn))).extracting(Deployment::model).containsExactly("churn");
    }

    @Test
    void pruningForgetsOnlyRowsLastSeenBeforeTheCutOff() {
        register("fraud");
        long id = registry.getModel("fraud").id();
        Instant t0 = clock.instant();
        put(id, new Deployment("fraud", "old", 1, null, t0, null, "ci", t0));
        put(id, new Deployment("fraud", "new", 1, null, t0, null, "ci", t0.plusSeconds(60)));

        int pruned = store.write((Tx tx) -> tx.pruneDeployments(t0.plusSeconds(60)));

        assertThat(pruned).isEqualTo(1);
        assertThat(store.read((Tx tx) -> tx.deployments(id))).extracting(Deployment::instanceId).containsExactly("new");
    }

    // --- the service --------------------------------------------------------------------------------------------

    @Test
    void aHeartbeatIsListedAsLiveUntilThreeHeartbeatsAreMissed() {
        register("fraud");
        Instant since = clock.instant().minusSeconds(5);
        deployments.heartbeat(LOCAL, "pod-a", "fraud", 1, "models:/fraud@production", since, "node-1");

        assertThat(deployments.deployments(LOCAL, "fraud", false)).singleElement().satisfies(instance -> {
            assertThat(instance.live()).isTrue();
            assertThat(instance.deployment()).isEqualTo(new Deployment("fraud", "pod-a", 1, "models:/fraud@production",
                    since, "node-1", "laptop", clock.instant()));
        });

        clock.advance(DeploymentService.LIVE_WINDOW);
        assertThat(deployments.deployments(LOCAL, "fraud", false)).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(deployments.deployments(LOCAL, "fraud", false)).isEmpty();
        assertThat(deployments.deployments(LOCAL, "fraud", true)).singleElement()
                .satisfies(instance -> assertThat(instance.live()).isFalse());
    }

    @Test
    void eachHeartbeatRecordsWhoReportedIt() {
        register("fraud");
        deployments.heartbeat(Actor.user("serving-bot", Role.VIEWER), "pod-a", "fraud", 1, null, null, null);
        assertThat(deployments.deployments(LOCAL, "fraud", false)).singleElement()
                .satisfies(instance -> assertThat(instance.deployment().reportedBy()).isEqualTo("serving-bot"));

        deployments.heartbeat(Actor.user("someone-else", Role.VIEWER), "pod-a", "fraud", 1, null, null, null);
        assertThat(deployments.deployments(LOCAL, "fraud", false)).singleElement()
                .satisfies(instance -> assertThat(instance.deployment().reportedBy()).isEqualTo("someone-else"));
    }

    @Test
    void aSwapIsReportedAsTheNewVersionSinceTheSwap() {
        register("fraud");
        register("fraud");
        deployments.heartbeat(LOCAL, "pod-a", "fraud", 1, null, clock.instant(), null);
        clock.advance(Duration.ofSeconds(10));
        Instant swapped = clock.instant();
        deployments.heartbeat(LOCAL, "pod-a", "fraud", 2, null, swapped, null);

        assertThat(deployments.deployments(LOCAL, "fraud", true)).singleElement().satisfies(instance -> {
            assertThat(instance.deployment().version()).isEqualTo(2);
            assertThat(instance.deployment().since()).isEqualTo(swapped);
        });
    }

    @Test
    void heartbeatsRecordNoEventAndLeaveTheModelGenerationAlone() {
        register("fraud");
        long generation = store.modelStamp("fraud").orElseThrow().generation();
        int events = registry.events(EventFilter.of("fraud", List.of()), 1000, null).items().size();

        deployments.heartbeat(LOCAL, "pod-a", "fraud", 1, null, null, null);
        deployments.heartbeat(LOCAL, "pod-a", "fraud", 1, null, null, null);

        assertThat(store.modelStamp("fraud").orElseThrow().generation()).isEqualTo(generation);
        assertThat(registry.events(EventFilter.of("fraud", List.of()), 1000, null).items()).hasSize(events);
    }

    @Test
    void badHeartbeatsAreRefusedAndStoreNothing() {
        register("fraud");
        int draft = registry.createVersion(LOCAL, "fraud", newVersion(), false).version();
        Instant now = clock.instant();

        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> deployments.heartbeat(LOCAL, "", "fraud", 1, null, now, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT,
                () -> deployments.heartbeat(LOCAL, "x".repeat(201), "fraud", 1, null, now, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT,
                () -> deployments.heartbeat(LOCAL, "pod\na", "fraud", 1, null, now, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> deployments.heartbeat(LOCAL, "pod-a", "fraud", 1, null,
                now.plus(Duration.ofMinutes(2)), null));
        assertRefused(ErrorCode.INVALID_ARGUMENT,
                () -> deployments.heartbeat(LOCAL, "pod-a", "fraud", draft, null, now, null));
        assertRefused(ErrorCode.NOT_FOUND, () -> deployments.heartbeat(LOCAL, "pod-a", "fraud", 9, null, now, null));
        assertRefused(ErrorCode.NOT_FOUND, () -> deployments.heartbeat(LOCAL, "pod-a", "nope", 1, null, now, null));
        assertRefused(ErrorCode.NOT_FOUND, () -> deployments.deployments(LOCAL, "nope", true));

        assertThat(deployments.deployments(LOCAL, "fraud", true)).isEmpty();
        // Within the allowed clock skew, a 200-character id is fine.
        deployments.heartbeat(LOCAL, "x".repeat(200), "fraud", 1, null, now.plusSeconds(30), null);
        assertThat(deployments.deployments(LOCAL, "fraud", true)).hasSize(1);
    }

    @Test
    void instancesNotSeenForAWeekAreForgottenByALaterHeartbeat() {
        register("fraud");
        deployments.heartbeat(LOCAL, "gone", "fraud", 1, null, null, null);
        clock.advance(DeploymentService.KEEP.plusMinutes(11));
        deployments.heartbeat(LOCAL, "pod-a", "fraud", 1, null, null, null);

        assertThat(deployments.deployments(LOCAL, "fraud", true)).extracting(i -> i.deployment().instanceId())
                .containsExactly("pod-a");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    void put(long modelId, Deployment deployment) {
        store.write((Tx tx) -> {
            tx.putDeployment(modelId, deployment);
            return null;
        });
    }

    int register(String model) {
        int version = registry.createVersion(LOCAL, model, newVersion(), true).version();
        registry.addFile(LOCAL, model, version, "model.bin", bytes(model + version), Optional.empty());
        return registry.commit(LOCAL, model, version).version();
    }

    static NewVersion newVersion() {
        return new NewVersion(null, null, Map.of(), null, null, "onnx", null, null, Lineage.EMPTY, null);
    }
}
