package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Stage;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import dev.cairn.storage.jdbc.TestPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stores with their own connection pools on one PostgreSQL database, as two {@code cairn serve} replicas behind a
 * load balancer: whatever keeps the registry consistent must hold in the database, not in one process.
 */
class PostgresReplicasTest {
    private static final int WRITERS = 24;

    @TempDir
    Path dir;
    private final ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
    private JdbcMetadataStore storeA;
    private JdbcMetadataStore storeB;
    private RegistryService replicaA;
    private RegistryService replicaB;

    @BeforeEach
    void start() {
        String url = TestPostgres.newDatabase();
        storeA = JdbcMetadataStore.postgres(url);
        storeB = JdbcMetadataStore.postgres(url);
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs")); // shared, as one bucket would be
        replicaA = new RegistryService(storeA, blobs, Clock.systemUTC());
        replicaB = new RegistryService(storeB, blobs, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        storeA.close();
        storeB.close();
    }

    @Test
    void registrationsThroughBothReplicasGetVersionsOneToNAndOneModel() throws Exception {
        List<Integer> versions = race(i -> () -> {
            RegistryService replica = replica(i);
            // Every registration may be the one that creates the model.
            int version = replica.createVersion(Actor.local("racer"), "m", NewVersion.empty(), true).version();
            replica.addFile(Actor.local("racer"), "m", version, "model.bin",
                    new ByteArrayInputStream(("weights " + i).getBytes(StandardCharsets.UTF_8)), Optional.empty());
            return replica.commit(Actor.local("racer"), "m", version).version();
        });

        assertThat(versions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, WRITERS).boxed().toList());
        assertThat(replicaB.getModel("m").lastVersion()).isEqualTo(WRITERS);
        assertThat(replicaA.events(EventFilter.of("m", List.of(EventKind.MODEL_CREATED)), 1000, null).items()).hasSize(1);
        List<Event> events = replicaB.events(EventFilter.of("m", List.of()), 1000, null).items();
        assertThat(events).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
        assertThat(events).filteredOn(e -> e.kind() == EventKind.VERSION_COMMITTED).hasSize(WRITERS);
    }

    @Test
    void concurrentPromotionsThroughBothReplicasLeaveExactlyOneInProduction() throws Exception {
        for (int i = 1; i <= WRITERS; i++) {
            int version = replicaA.createVersion(Actor.local("setup"), "m", NewVersion.empty(), true).version();
            replicaA.addFile(Actor.local("setup"), "m", version, "model.bin",
                    new ByteArrayInputStream(("weights " + i).getBytes(StandardCharsets.UTF_8)), Optional.empty());
            replicaA.commit(Actor.local("setup"), "m", version);
        }

        race(i -> () -> replica(i).transition(Actor.local("promoter"), "m", i + 1, Stage.PRODUCTION, "race", true).version());
        race(i -> () -> replica(i).setAlias(Actor.local("promoter"), "m", "champion", i + 1, "race").version());

        List<ModelVersion> production = replicaA.listVersions("m", null, Stage.PRODUCTION, 1000, null).items();
        assertThat(production).hasSize(1);
        assertThat(replicaB.resolve("m/production").version().version()).isEqualTo(production.get(0).version());
        // The last transition recorded is the one that stands; every other promoted version was archived by a later one.
        Event last = replicaB.events(EventFilter.of("m", List.of(EventKind.STAGE_TRANSITION)), 1000, null).items().get(WRITERS - 1);
        assertThat(last.version()).isEqualTo(production.get(0).version());
        assertThat(replicaA.listVersions("m", null, Stage.ARCHIVED, 1000, null).items()).hasSize(WRITERS - 1);
        Event lastAlias = replicaB.events(EventFilter.of("m", List.of(EventKind.ALIAS_SET)), 1000, null).items().get(WRITERS - 1);
        assertThat(replicaA.resolve("m@champion").version().version()).isEqualTo(lastAlias.version());
    }

    private RegistryService replica(int i) {
        return i % 2 == 0 ? replicaA : replicaB;
    }

    /** Runs {@code WRITERS} tasks at once, half through each replica, and returns their results. */
    private <T> List<T> race(java.util.function.IntFunction<Callable<T>> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Callable<T> work = task.apply(i);
            futures.add(threads.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }
}
