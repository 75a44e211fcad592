package dev.cairn.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.MetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The metadata store on a relational database through JDBC. Reads run concurrently, each in a transaction over one
 * consistent snapshot; writes queue in this process (fairly, so none starves) and then take the database's write lock
 * at BEGIN, so a write transaction never fails halfway for want of it.
 */
public final class JdbcMetadataStore implements MetadataStore {
    /** Writers wait this long for their turn in this process before the store reports itself unavailable. */
    private static final long WRITE_QUEUE_SECONDS = 30;
    private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);
    private static final int SQLITE_CONNECTIONS = 8;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final StoreErrors errors;
    private final JsonText json = new JsonText();
    private final ReentrantLock writers = new ReentrantLock(true);

    private JdbcMetadataStore(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
        this.errors = new StoreErrors(dialect);
    }

    /**
     * Opens (creating it and its directories when missing) the SQLite database at {@code databaseFile}, brings its
     * schema up to date and checks it. Connections use WAL (readers never block the writer), enforce foreign keys,
     * wait up to 10 s for a lock held by another process, and sync every commit to disk.
     */
    public static JdbcMetadataStore sqlite(Path databaseFile) {
        return sqlite(databaseFile, SQLITE_BUSY_TIMEOUT);
    }

    /** As {@link #sqlite(Path)}, waiting {@code busyTimeout} for another process's lock. */
    static JdbcMetadataStore sqlite(Path databaseFile, Duration busyTimeout) {
        Path file = databaseFile.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "cannot create the directory of the metadata database "
                    + file + ": " + e.getMessage(), Map.of(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("cairn-sqlite");
        hikari.setMaximumPoolSize(SQLITE_CONNECTIONS);
        hikari.setConnectionTimeout(TimeUnit.SECONDS.toMillis(WRITE_QUEUE_SECONDS));
        // SQLite connections do not go stale, and recycling them would throw away their page cache.
        hikari.setMaxLifetime(0);
        HikariDataSource pool = open(hikari, file);
        try {
            SchemaCheck.migrateAndCheck(pool, Dialect.SQLITE, file.toString());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new JdbcMetadataStore(pool, Dialect.SQLITE);
    }

    private static HikariDataSource open(HikariConfig config, Path file) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "cannot open the metadata database " + file + ": "
                    + e.getMessage(), Map.of(), e);
        }
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return inTransaction(false, work);
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        if (!dialect.singleWriter()) {
            return inTransaction(true, work);
        }
        if (writers.isHeldByCurrentThread()) {
            // The inner transaction would wait for the outer one's database lock until it timed out.
            throw new IllegalStateException("write called inside a write on the same thread");
        }
        try {
            if (!writers.tryLock(WRITE_QUEUE_SECONDS, TimeUnit.SECONDS)) {
                throw new RegistryException(ErrorCode.UNAVAILABLE, "the metadata database is busy: a write waited "
                        + WRITE_QUEUE_SECONDS + " s for its turn; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(ErrorCode.UNAVAILABLE, "interrupted while waiting to write", Map.of(), e);
        }
        try {
            return inTransaction(true, work);
        } finally {
            writers.unlock();
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private <T> T inTransaction(boolean write, Function<Tx, T> work) {
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException e) {
            throw errors.translate(e, "connecting");
        }
        try {
            try {
                if (write) {
                    dialect.beginWrite(connection);
                } else {
                    dialect.beginRead(connection);
                }
            } catch (SQLException e) {
                throw errors.translate(e, write ? "starting a write transaction" : "starting a read transaction");
            }
            T result;
            try {
                result = work.apply(new JdbcTx(new Sql(connection, errors), dialect, json));
                dialect.commit(connection);
            } catch (SQLException e) {
                rollback(connection, e);
                throw errors.translate(e, "committing");
            } catch (RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            }
            return result;
        } finally {
            close(connection);
        }
    }

    /** Rolls back; a connection that cannot is left in an unknown state, so the pool replaces it. */
    private void rollback(Connection connection, Throwable cause) {
        try {
            dialect.rollback(connection);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            pool.evictConnection(connection);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Returning a connection to the pool only fails when it is already broken; the pool discards it.
        }
    }
}
