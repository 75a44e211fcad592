package dev.cairn.storage.migrate;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * Moves a whole embedded registry (the SQLite file and the blob directory of a data directory) into another metadata
 * database and blob store, such as PostgreSQL and S3 for a scale-out deployment.
 *
 * <p>Order, so that a failure at any point leaves the target as empty as it was: both schemas are brought up to this
 * build's migrations; the target is checked to be empty; every referenced blob is copied and verified (blobs are
 * content-addressed, so copied blobs without metadata are harmless and a second run reuses them); then every row of
 * every table is copied, ids and sequences included, in one target transaction that re-checks emptiness. The source is
 * read in one transaction too, so blobs and rows come from the same snapshot.
 */
public final class StorageMigration {

    /** What was copied: the headline counts and the rows of every table, in copy order. */
    public record Summary(long models, long versions, long events, long blobs, long bytes, Map<String, Long> rows) {
        public Summary {
            rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        }
    }

    private final Path sourceData;
    private final String targetUrl;
    private final String targetShown;
    private final BlobStore targetBlobs;
    private final Consumer<String> progress;

    /**
     * @param sourceData a data directory of the embedded default: {@code cairn.db} and {@code blobs/}
     * @param targetUrl the JDBC URL of the target metadata database ({@code jdbc:sqlite:} or {@code jdbc:postgresql:})
     * @param targetShown the target as it may be printed (the URL without its password)
     * @param targetBlobs the target blob store
     * @param progress receives a line now and then during long copies
     */
    public StorageMigration(Path sourceData, String targetUrl, String targetShown, BlobStore targetBlobs,
            Consumer<String> progress) {
        this.sourceData = sourceData.toAbsolutePath().normalize();
        this.targetUrl = Objects.requireNonNull(targetUrl, "targetUrl");
        this.targetShown = Objects.requireNonNull(targetShown, "targetShown");
        this.targetBlobs = Objects.requireNonNull(targetBlobs, "targetBlobs");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Copies everything, or nothing of the metadata.
     *
     * @throws RegistryException {@code FAILED_PRECONDITION} when the target already holds a registry or the source
     *     misses a referenced blob; {@code NOT_FOUND} when there is no registry at the source; {@code INTERNAL} when a
     *     blob arrives different or the schemas disagree
     */
    public Summary run() {
        Path database = sourceData.resolve("cairn.db");
        if (!Files.isRegularFile(database)) {
            throw RegistryException.notFound("no embedded registry at " + sourceData + ": " + database
                    + " does not exist");
        }
        TargetDatabase target = TargetDatabase.of(targetUrl);
        // Opening each store applies its migrations, so both sides have this build's tables and columns.
        JdbcMetadataStore.sqlite(database).close();
        JdbcMetadataStore.open(targetUrl).close();
        FileBlobStore sourceBlobs = new FileBlobStore(sourceData.resolve("blobs"));
        try (Connection source = readSnapshot(database); Connection into = target.connect()) {
            TableCopy.requireEmpty(into, targetShown);
            into.rollback();
            SourceSchema schema = SourceSchema.read(source);
            progress.accept("copying blobs to the target blob store");
            BlobCopy.Copied blobs = BlobCopy.copy(source, sourceBlobs, targetBlobs, progress);
            progress.accept("copied " + blobs.blobs() + " blobs (" + blobs.bytes() + " bytes); copying "
                    + schema.tables().size() + " tables");
            Map<String, Long> rows;
            try {
                TableCopy.requireEmpty(into, targetShown);
                rows = new TableCopy(schema).copy(source, into, target);
                into.commit();
            } catch (SQLException | RuntimeException e) {
                into.rollback();
                throw e;
            }
            return new Summary(rows.getOrDefault("models", 0L), rows.getOrDefault("versions", 0L),
                    rows.getOrDefault("events", 0L), blobs.blobs(), blobs.bytes(), rows);
        } catch (SQLException e) {
            throw new RegistryException(ErrorCode.INTERNAL, "copying the registry to " + targetShown + " failed: "
                    + e.getMessage(), Map.of(), e);
        }
    }

    /** A read-only connection inside one read transaction, pinned to a snapshot by its first read. */
    private static Connection readSnapshot(Path database) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection connection = config.createConnection("jdbc:sqlite:" + database);
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN DEFERRED");
            statement.executeQuery("SELECT COUNT(*) FROM sqlite_master").close();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
