package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresMetadataStoreTest extends MetadataStoreContract {
    private String url;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @Override
    protected MetadataStore newStore() {
        url = TestPostgres.newDatabase();
        return JdbcMetadataStore.postgres(url);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void migratesAnEmptyDatabaseAndReopensItWithItsData() {
        String empty = TestPostgres.newEmptyDatabase();
        try (JdbcMetadataStore first = JdbcMetadataStore.open(empty)) {
            first.write(tx -> tx.insertModel("m", "kept", Map.of(), "alice", T0));
            assertThat(first.read((Tx tx) -> tx.findExperiment("0")).isPresent()).isTrue();
        }
        try (JdbcMetadataStore second = JdbcMetadataStore.open(empty)) {
            assertThat(second.read(tx -> tx.findModel("m")).orElseThrow().description()).isEqualTo("kept");
        }
    }

    @Test
    void openChoosesTheDatabaseByItsUrl(@TempDir Path dir) {
        try (JdbcMetadataStore sqlite = JdbcMetadataStore.open("jdbc:sqlite:" + dir.resolve("registry.db"))) {
            sqlite.write(tx -> tx.insertModel("m", "", Map.of(), "alice", T0));
        }
        assertThat(dir.resolve("registry.db")).isRegularFile();
        assertThatThrownBy(() -> JdbcMetadataStore.open("jdbc:mysql://localhost/cairn"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> JdbcMetadataStore.open("jdbc:sqlite::memory:"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void anUnreachableServerIsUnavailableAndItsPasswordStaysOutOfTheMessage() {
        assertThatThrownBy(() -> JdbcMetadataStore.open("jdbc:postgresql://127.0.0.1:1/cairn?user=u&password=s3cret"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:1/cairn").doesNotContain("s3cret");
                });
    }

    @Test
    void refusesToStartOnADatabaseFromANewerCairn() throws Exception {
        store.close();
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                + " installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0,"
                + " 'x', 1, true)");

        assertThatThrownBy(() -> JdbcMetadataStore.postgres(url)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            assertThat(e.getMessage()).contains("schema version 99");
        });
        store = newStore();
    }

    @Test
    void refusesToStartOnADamagedSchema() throws Exception {
        store.close();
        execute("DROP TABLE pointer_changes");

        assertThatThrownBy(() -> JdbcMetadataStore.postgres(url)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(e.getMessage()).contains("does not have the expected schema").contains("pointer_changes");
        });
        store = newStore();
    }

    @Test
    void aWriteThatCannotGetItsModelIsUnavailableWhileReadsGoOn() throws Exception {
        store.close();
        store = JdbcMetadataStore.postgres(url, java.time.Duration.ofMillis(200));
        model("m");
        try (Connection other = DriverManager.getConnection(url); Statement lock = other.createStatement()) {
            other.setAutoCommit(false);
            lock.execute("SELECT * FROM models WHERE name = 'm' FOR UPDATE"); // another process is changing m

            assertThatThrownBy(() -> store.write((Tx tx) -> tx.lockModel("m")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
                    });
            assertThat(store.read((Tx tx) -> tx.findModel("m"))).isPresent();
            other.rollback();
        }
        assertThat(store.write((Tx tx) -> tx.lockModel("m"))).isPresent();
    }

    @Test
    void textPostgresqlCannotStoreIsAnInvalidArgumentAndChangesNothing() {
        long id = model("m").id();
        assertThatThrownBy(() -> store.write((Tx tx) -> {
            tx.setModelTag(id, "ok", "fine");
            tx.setModelTag(id, "nul", "a\u0000b");
            return null;
        })).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(store.read((Tx tx) -> tx.findModel("m")).orElseThrow().tags()).isEmpty();
    }

    @Test
    void aWriterOfAModelWaitsForAnotherProcessHoldingItWhileOtherModelsGoOn() throws Exception {
        model("a");
        model("b");
        try (JdbcMetadataStore other = JdbcMetadataStore.postgres(url)) {
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = threads.submit(() -> store.write((Tx tx) -> {
                tx.lockModel("a").orElseThrow();
                locked.countDown();
                await(release);
                return null;
            }));
            await(locked);
            Future<Integer> sameModel = threads.submit(() -> other.write((Tx tx) ->
                    tx.allocateVersion(tx.lockModel("a").orElseThrow().id())));

            assertThat(other.write((Tx tx) -> tx.allocateVersion(tx.lockModel("b").orElseThrow().id()))).isEqualTo(1);
            assertThatThrownBy(() -> sameModel.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            assertThat(sameModel.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void twoProcessesCreatingTheSameMissingModelBothSucceedOnOneModel() throws Exception {
        try (JdbcMetadataStore other = JdbcMetadataStore.postgres(url)) {
            CountDownLatch looked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Long> first = threads.submit(() -> store.write((Tx tx) -> {
                long id = tx.lockModel("m").orElseGet(() -> tx.insertModel("m", "", Map.of(), "a", T0)).id();
                looked.countDown();
                await(release);
                return id;
            }));
            await(looked);
            Future<Long> second = threads.submit(() -> other.write((Tx tx) ->
                    tx.lockModel("m").orElseGet(() -> tx.insertModel("m", "", Map.of(), "b", T0)).id()));
            Thread.sleep(200); // the second has looked for the model by now, and must wait rather than miss it
            release.countDown();

            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(first.get(10, TimeUnit.SECONDS));
            assertThat(store.read((Tx tx) -> tx.listModels(null, null, 10))).extracting(RegisteredModel::owner)
                    .containsExactly("a");
        }
    }

    @Test
    void anEventNumberBecomesVisibleOnlyAfterEveryLowerOne() throws Exception {
        try (JdbcMetadataStore other = JdbcMetadataStore.postgres(url)) {
            CountDownLatch appended = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Long> first = threads.submit(() -> store.write((Tx tx) -> {
                long seq = tx.appendEvent(event("a", null, EventKind.MODEL_CREATED, Map.of()));
                appended.countDown();
                await(release);
                return seq;
            }));
            await(appended);
            Future<Long> second = threads.submit(() -> other.write((Tx tx) ->
                    tx.appendEvent(event("b", null, EventKind.MODEL_CREATED, Map.of()))));

            assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(store.read((Tx tx) -> tx.events(EventFilter.ALL, null, 10))).isEmpty();
            release.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS)).isGreaterThan(first.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWriteChosenAsADeadlockVictimRunsAgainAndBothCommit() throws Exception {
        model("a");
        model("b");
        try (JdbcMetadataStore other = JdbcMetadataStore.postgres(url)) {
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            AtomicInteger runs = new AtomicInteger();
            Future<?> ab = threads.submit(() -> lockBoth(store, "a", "b", bothHoldOne, runs));
            Future<?> ba = threads.submit(() -> lockBoth(other, "b", "a", bothHoldOne, runs));
            ab.get(20, TimeUnit.SECONDS);
            ba.get(20, TimeUnit.SECONDS);

            assertThat(runs.get()).isEqualTo(3); // the victim ran twice
            assertThat(store.read((Tx tx) -> tx.findModel("a")).orElseThrow().lastVersion()).isEqualTo(2);
            assertThat(store.read((Tx tx) -> tx.findModel("b")).orElseThrow().lastVersion()).isEqualTo(2);
        }
    }

    private static Object lockBoth(MetadataStore on, String first, String second, CountDownLatch bothHoldOne,
                                   AtomicInteger runs) {
        return on.write((Tx tx) -> {
            boolean firstRun = runs.incrementAndGet() <= 2;
            tx.allocateVersion(tx.lockModel(first).orElseThrow().id());
            if (firstRun) {
                bothHoldOne.countDown();
                await(bothHoldOne);
            }
            return tx.allocateVersion(tx.lockModel(second).orElseThrow().id());
        });
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
