package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return JdbcMetadataStore.sqlite(dir.resolve("registry.db"));
    }

    @Test
    void createsMissingDirectoriesAndKeepsDataAcrossRestarts() {
        Path file = dir.resolve("a/b/registry.db");
        try (JdbcMetadataStore first = JdbcMetadataStore.sqlite(file)) {
            first.write(tx -> tx.insertModel("m", "kept", Map.of(), "alice", T0));
        }
        assertThat(file).isRegularFile();
        try (JdbcMetadataStore second = JdbcMetadataStore.sqlite(file)) {
            assertThat(second.read(tx -> tx.findModel("m")).orElseThrow().description()).isEqualTo("kept");
        }
    }

    @Test
    void databaseIsInWalMode() throws Exception {
        assertThat(pragma("journal_mode")).isEqualTo("wal");
    }

    @Test
    void refusesToStartOnADatabaseFromANewerCairn() throws Exception {
        store.close();
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                + " installed_by, installed_on, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
                + " 'V99__future.sql', 0, 'x', CURRENT_TIMESTAMP, 1, 1)");

        assertThatThrownBy(this::newStore).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            assertThat(e.getMessage()).contains("schema version 99");
        });
        store = newStoreAfterRepair();
    }

    @Test
    void refusesToStartOnADamagedSchema() throws Exception {
        store.close();
        execute("DROP TABLE pointer_changes");

        assertThatThrownBy(this::newStore).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(e.getMessage()).contains("does not have the expected schema").contains("pointer_changes");
        });
        store = newStoreAfterRepair();
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsReported() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        assertThatThrownBy(() -> JdbcMetadataStore.sqlite(notADirectory.resolve("registry.db")))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void aWriteThatCannotGetTheLockIsUnavailableWhileReadsGoOn() throws Exception {
        store.close();
        store = JdbcMetadataStore.sqlite(dir.resolve("registry.db"), java.time.Duration.ofMillis(200));
        store.write((Tx tx) -> tx.insertModel("m", "", Map.of(), "alice", T0));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
             Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE"); // another process is writing

            assertThatThrownBy(() -> store.write((Tx tx) -> tx.insertModel("n", "", Map.of(), "alice", T0)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
                    });
            assertThat(store.read((Tx tx) -> tx.findModel("m"))).isPresent();
            lock.execute("ROLLBACK");
        }
        store.write((Tx tx) -> tx.insertModel("n", "", Map.of(), "alice", T0));
        assertThat(store.read((Tx tx) -> tx.listModels(null, null, 10))).hasSize(2);
    }

    /** A store on a fresh file, so the contract's {@code close()} has something to close. */
    private MetadataStore newStoreAfterRepair() {
        return JdbcMetadataStore.sqlite(dir.resolve("fresh.db"));
    }

    private String pragma(String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
