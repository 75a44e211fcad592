package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Versions are numbered 1..N without gaps or duplicates however many registrations race, on every database:
 * {@link SqliteConcurrentRegistrationTest}, {@link PostgresConcurrentRegistrationTest}.
 */
abstract class ConcurrentRegistrationContract {

    /** A store over a fresh, empty database; {@code dir} is this try's temporary directory. */
    abstract JdbcMetadataStore newStore(Path dir);

    @Property(tries = 10)
    void concurrentRegistrationsOfOneModelGetVersionsOneToN(@ForAll @IntRange(min = 2, max = 30) int registrations)
            throws Exception {
        Path dir = Files.createTempDirectory("cairn-concurrent");
        ExecutorService threads = Executors.newFixedThreadPool(registrations);
        try (JdbcMetadataStore store = newStore(dir)) {
            RegistryService registry = new RegistryService(store, new FileBlobStore(dir.resolve("blobs")),
                    Clock.systemUTC());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < registrations; i++) {
                String content = "weights of registration " + i;
                results.add(threads.submit(() -> {
                    start.await();
                    // The first registrations race to create the model as well.
                    int version = registry.createVersion(Actor.local("racer"), "m", NewVersion.empty(), true).version();
                    registry.addFile(Actor.local("racer"), "m", version, "model.bin",
                            new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), Optional.empty());
                    return registry.commit(Actor.local("racer"), "m", version).version();
                }));
            }
            start.countDown();
            List<Integer> versions = new ArrayList<>();
            for (Future<Integer> result : results) {
                versions.add(result.get(60, TimeUnit.SECONDS));
            }

            versions.sort(Comparator.naturalOrder());
            List<Integer> oneToN = IntStream.rangeClosed(1, registrations).boxed().toList();
            assertThat(versions).isEqualTo(oneToN);
            assertThat(registry.getModel("m").lastVersion()).isEqualTo(registrations);
            assertThat(registry.listVersions("m", VersionStatus.READY, null, 1000, null).items())
                    .extracting(ModelVersion::version).containsExactlyElementsOf(IntStream.iterate(registrations, v -> v >= 1, v -> v - 1).boxed().toList());
            assertThat(registry.events(EventFilter.of("m", List.of(EventKind.MODEL_CREATED)), 1000, null).items()).hasSize(1);
            assertThat(registry.events(EventFilter.of("m", List.of(EventKind.VERSION_COMMITTED)), 1000, null).items())
                    .hasSize(registrations);
        } finally {
            threads.shutdownNow();
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
