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
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The metadata store on a relational database through JDBC: SQLite (embedded) or PostgreSQL (shared by several
 * processes). Reads run concurrently, each in a transaction over one consistent snapshot. On SQLite, writes queue in
 * this process (fairly, so none starves) and then take the database's write lock at BEGIN, so a write transaction
 * never fails halfway for want of it. On PostgreSQL, writes run in parallel and serialise per model on database locks
 * (see {@link PostgresDialect}), which hold across processes; a write the server rolls back to break a deadlock is
 * run again from the start, at most {@value #WRITE_ATTEMPTS} times in all, then reported UNAVAILABLE.
 */
public final class JdbcMetadataStore implements MetadataStore {
    /** Writers wait this long for their turn in this process before the store reports itself unavailable. */
    private static final long WRITE_QUEUE_SECONDS = 30;
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(10);
    private static final int SQLITE_CONNECTIONS = 8;
    private static final int POSTGRES_CONNECTIONS = 16;
    private static final int WRITE_ATTEMPTS = 3;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final StoreErrors errors;
    private final JsonText json = new JsonText();
    private final ReentrantLock writers = new ReentrantLock(true);
    /** Whether this thread is inside a write on a database without a process-wide write lock. */
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> Boolean.FALSE);

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
        return start(open(hikari, file), Dialect.SQLITE, file.toString());
    }

    /**
     * Connects to the PostgreSQL database at {@code jdbcUrl}
     * ({@code jdbc:postgresql://host:port/db?user=..&password=..}, read as the PostgreSQL driver reads it), brings its
     * schema up to date and checks it. Several processes may open the same database (Flyway takes a database lock
     * while it migrates, so they may also start together): each keeps a pool of up to 16 connections.
     */
    public static JdbcMetadataStore postgres(String jdbcUrl) {
        return postgres(jdbcUrl, Duration.ofSeconds(WRITE_QUEUE_SECONDS));
    }

    /** As {@link #postgres(String)}, waiting {@code lockTimeout} for a lock another transaction holds. */
    static JdbcMetadataStore postgres(String jdbcUrl, Duration lockTimeout) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(POSTGRES_PREFIX)) {
            throw RegistryException.invalid("a PostgreSQL database URL starts with " + POSTGRES_PREFIX);
        }
        String where = withoutQuery(jdbcUrl);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setPoolName("cairn-postgres");
        hikari.setMaximumPoolSize(POSTGRES_CONNECTIONS);
        // Connections open as load needs them; a replica that sits idle holds few of the server's connection slots.
        hikari.setMinimumIdle(2);
        hikari.setConnectionTimeout(TimeUnit.SECONDS.toMillis(WRITE_QUEUE_SECONDS));
        // A writer waits as long for a model another process holds as it would for its turn on SQLite, then the
        // store reports itself unavailable rather than hang behind a stuck replica.
        hikari.setConnectionInitSql("SET lock_timeout = " + lockTimeout.toMillis());
        return start(open(hikari, where), Dialect.POSTGRES, where);
    }

    /**
     * Brings the schema up to date and checks it, then links events written before the audit chain existed into it,
     * so an upgraded registry has a complete chain from its first event. Closes the pool when any of it fails.
     */
    private static JdbcMetadataStore start(HikariDataSource pool, Dialect dialect, String where) {
        try {
            SchemaCheck.migrateAndCheck(pool, dialect, where);
            JdbcMetadataStore store = new JdbcMetadataStore(pool, dialect);
            // Probed in a read first: opening a registry that needs nothing linked never waits for a writer.
            if (store.inTransaction(false, JdbcTx::hasUnhashedEvents)) {
                store.writeTransaction(JdbcTx::chainUnhashedEvents);
            }
            return store;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens the database a JDBC URL names: {@code jdbc:sqlite:PATH} as {@link #sqlite(Path)},
     * {@code jdbc:postgresql:...} as {@link #postgres(String)}. INVALID_ARGUMENT for any other URL.
     */
    public static JdbcMetadataStore open(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith(SQLITE_PREFIX)) {
            String path = jdbcUrl.substring(SQLITE_PREFIX.length());
            // An in-memory database would be a different, empty one on each pooled connection.
            if (path.isBlank() || path.startsWith(":memory:") || path.contains("mode=memory")) {
                throw RegistryException.invalid("a SQLite database URL names a file: jdbc:sqlite:/path/to/registry.db");
            }
            return sqlite(Path.of(path));
        }
        if (jdbcUrl != null && jdbcUrl.startsWith(POSTGRES_PREFIX)) {
            return postgres(jdbcUrl);
        }
        String shown = jdbcUrl == null ? "" : withoutQuery(jdbcUrl);
        throw RegistryException.invalid("unsupported metadata database URL '" + shown
                + "': use jdbc:sqlite:PATH or jdbc:postgresql://HOST/DATABASE");
    }

    /** The URL without its query, which may hold a password, for messages. */
    private static String withoutQuery(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static HikariDataSource open(HikariConfig config, Object where) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "cannot open the metadata database " + where + ": "
                    + e.getMessage(), Map.of(), e);
        }
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return inTransaction(false, work);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL {@code work} may run more than once: after the server rolled its transaction back to break a
     * deadlock. It must therefore change nothing but the database through its {@link Tx}.
     */
    @Override
    public <T> T write(Function<Tx, T> work) {
        return writeTransaction(work);
    }

    private <T> T writeTransaction(Function<? super JdbcTx, T> work) {
        if (writers.isHeldByCurrentThread() || writing.get()) {
            // The inner transaction would wait for the outer one's database locks until it timed out.
            throw new IllegalStateException("write called inside a write on the same thread");
        }
        if (!dialect.singleWriter()) {
            writing.set(Boolean.TRUE);
            try {
                return withRetries(work);
            } finally {
                writing.remove();
            }
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
    public Optional<ModelStamp> modelStamp(String name) {
        // One statement in autocommit: no BEGIN/COMMIT round trips on the resolve hot path.
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT id, generation FROM models WHERE name = ? AND deleted_at IS NULL")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new ModelStamp(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw errors.translate(e, "reading a model's generation");
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private <T> T withRetries(Function<? super JdbcTx, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(true, work);
            } catch (RegistryException e) {
                if (attempt == WRITE_ATTEMPTS || !retryable(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private boolean retryable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && dialect.isRetryable(sql)) {
                return true;
            }
        }
        return false;
    }

    /** A short random pause, longer after each attempt, so the transactions that collided do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(ErrorCode.UNAVAILABLE, "interrupted while retrying a write", Map.of(), e);
        }
    }

    private <T> T inTransaction(boolean write, Function<? super JdbcTx, T> work) {
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
