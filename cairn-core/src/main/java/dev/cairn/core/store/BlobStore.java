package dev.cairn.core.store;

import java.io.InputStream;
import java.util.Optional;

/**
 * The port for file contents, addressed by their sha256. A blob is written once and never changes; identical contents
 * are stored once.
 *
 * <p>Errors: {@link dev.cairn.core.RegistryException} — {@code INVALID_ARGUMENT} when an upload does not match its
 * declared digest, {@code PAYLOAD_TOO_LARGE} past the size limit, {@code NOT_FOUND} for a missing blob,
 * {@code UNAVAILABLE} or {@code INTERNAL} for storage failures.
 */
public interface BlobStore {

    /** The sha256 (lower-case hex) and size of a stored blob. */
    record BlobInfo(String sha256, long size) {}

    /**
     * Streams {@code content} into the store, hashing as it goes. The blob becomes visible under its sha256 only once
     * its bytes are durable; when {@code expectedSha256} is given and differs, nothing is kept.
     */
    BlobInfo put(InputStream content, Optional<String> expectedSha256);

    /** The blob's size, or empty when it is not stored. */
    Optional<Long> size(String sha256);

    /**
     * Opens {@code length} bytes of a blob from {@code offset}; {@code length} -1 reads to the end. The caller closes
     * the stream.
     */
    InputStream open(String sha256, long offset, long length);

    /**
     * Checks, cheaply, that the store can take uploads and reads now (readiness): throws UNAVAILABLE or INTERNAL
     * naming what is wrong, such as a directory that is not writable or a bucket that is gone.
     */
    void checkReady();

    /** Recomputes the blob's sha256 from its stored bytes: the state a verifier reports. */
    BlobCheck check(String sha256);

    enum BlobCheck { OK, MISSING, CORRUPT }
}
