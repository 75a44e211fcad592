package dev.cairn.storage.migrate;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Streams every blob the source's metadata references into the target blob store, each through the target's own
 * {@code put} with the expected sha256, so a blob that arrives different is refused by the store that keeps it.
 */
final class BlobCopy {
    /**
     * Every blob a manifest or the artifact index points to. A purged version's files were deleted on purpose, so
     * its blobs are copied only when some other reference still needs them ({@code required} = 1 somewhere).
     */
    private static final String REFERENCED = "SELECT sha256, MAX(required) FROM ("
            + " SELECT f.sha256 AS sha256, CASE WHEN v.status = 'ARTIFACTS_PURGED' THEN 0 ELSE 1 END AS required"
            + " FROM version_files f JOIN versions v ON v.model_id = f.model_id AND v.version = f.version"
            + " UNION ALL SELECT sha256, 1 FROM artifacts) GROUP BY sha256 ORDER BY sha256";

    record Copied(long blobs, long bytes) {}

    private BlobCopy() {}

    static Copied copy(Connection source, BlobStore from, BlobStore to, Consumer<String> progress) throws SQLException {
        long blobs = 0;
        long bytes = 0;
        try (Statement statement = source.createStatement(); ResultSet rs = statement.executeQuery(REFERENCED)) {
            while (rs.next()) {
                String sha256 = rs.getString(1);
                boolean required = rs.getInt(2) == 1;
                Optional<Long> size = from.size(sha256);
                if (size.isEmpty()) {
                    if (required) {
                        throw RegistryException.precondition("the source blob store has no blob sha256:" + sha256
                                + ", which the registry references; run 'cairn verify' on the source, nothing was "
                                + "written to the target database");
                    }
                    continue;
                }
                BlobStore.BlobInfo stored;
                try (InputStream content = from.open(sha256, 0, -1)) {
                    stored = to.put(content, Optional.of(sha256));
                } catch (IOException e) {
                    throw new UncheckedIOException("reading the source blob sha256:" + sha256, e);
                } catch (RegistryException e) {
                    // The source's bytes no longer hash to their name: corrupt, and the copy must not hide it.
                    throw e.code() == ErrorCode.INVALID_ARGUMENT ? new RegistryException(ErrorCode.INTERNAL,
                            "blob sha256:" + sha256 + " did not arrive intact: " + e.getMessage(), Map.of(), e) : e;
                }
                if (stored.size() != size.get()) {
                    throw RegistryException.precondition("the target stored blob sha256:" + sha256 + " with "
                            + stored.size() + " bytes, the source has " + size.get());
                }
                blobs++;
                bytes += stored.size();
                if (blobs % 100 == 0) {
                    progress.accept("copied " + blobs + " blobs (" + bytes + " bytes)");
                }
            }
        }
        return new Copied(blobs, bytes);
    }
}
