package dev.cairn.server;

import dev.cairn.core.store.BlobStore;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.s3.S3BlobStore;
import dev.cairn.storage.s3.S3Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The blob store a {@link ServerConfig.BlobLocation} names, opened, with what readiness means for it. Used by the
 * server and by the commands that write to a configured store ({@code cairn migrate-storage}).
 */
public final class BlobBackend implements AutoCloseable {
    private final ServerConfig.BlobLocation location;
    private final BlobStore store;

    private BlobBackend(ServerConfig.BlobLocation location, BlobStore store) {
        this.location = location;
        this.store = store;
    }

    /** Opens the store, creating a blob directory when missing; an S3 bucket must exist. */
    public static BlobBackend open(ServerConfig.BlobLocation location) {
        if (location instanceof ServerConfig.BlobLocation.Directory directory) {
            Path root = directory.path().toAbsolutePath().normalize();
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the blob directory " + root, e);
            }
            return new BlobBackend(new ServerConfig.BlobLocation.Directory(root), new FileBlobStore(root));
        }
        ServerConfig.BlobLocation.S3 s3 = (ServerConfig.BlobLocation.S3) location;
        return new BlobBackend(location, S3BlobStore.open(S3Location.parse(s3.uri(), s3.endpoint(), s3.pathStyle())));
    }

    public BlobStore store() {
        return store;
    }

    public ServerConfig.BlobLocation location() {
        return location;
    }

    /** Why the store cannot take requests now, or empty when it can. */
    public Optional<String> problem() {
        try {
            store.checkReady();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("the blob store " + location + " is not ready: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the blob store " + location + " failed: " + e.getMessage(), e);
            }
        }
    }
}
