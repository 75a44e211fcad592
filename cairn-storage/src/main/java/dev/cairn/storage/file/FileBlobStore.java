package dev.cairn.storage.file;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Blobs as files under {@code root/sha256/ab/cd/<hex>}. An upload streams through fixed 1 MiB buffers into a temp
 * file under {@code root/tmp}, is hashed on the way, synced to disk, and only then renamed into place atomically, so a
 * blob that is visible is always complete and durable; a failed upload leaves nothing behind.
 */
public final class FileBlobStore implements BlobStore {
    /** Temp files older than this at start-up belong to uploads that died with their process. */
    private static final Duration STALE_UPLOAD = Duration.ofDays(1);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path blobs;
    private final Path tmp;
    private final Upload upload = new Upload(Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "cairn-blob-writer");
        thread.setDaemon(true); // idle writers end after a minute; none may keep the JVM alive
        return thread;
    }));

    public FileBlobStore(Path root) {
        Path base = root.toAbsolutePath();
        this.blobs = base.resolve("sha256");
        this.tmp = base.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw failure("cannot create the blob store at " + base, e);
        }
        removeStaleUploads();
    }

    /** Ready while uploads can create their temp files: the temp directory exists and is writable. */
    @Override
    public void checkReady() {
        if (!Files.isDirectory(tmp) || !Files.isWritable(tmp)) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "the blob directory " + tmp.getParent()
                    + " is not a writable directory");
        }
    }

    @Override
    public BlobInfo put(InputStream content, Optional<String> expectedSha256) {
        Path temp = createTemp();
        try {
            BlobInfo blob = upload.copy(content, temp);
            Optional<String> expected = expectedSha256.map(e -> e.startsWith("sha256:") ? e.substring(7) : e);
            if (expected.isPresent() && !expected.get().equalsIgnoreCase(blob.sha256())) {
                throw RegistryException.invalid("the content's sha256 is " + blob.sha256()
                        + " but the declared sha256 is " + expectedSha256.get() + "; nothing was stored");
            }
            Path target = pathOf(blob.sha256());
            if (Files.exists(target) && Files.size(target) == blob.size()) {
                Files.delete(temp); // stored already: identical contents are kept once
                return blob;
            }
            // Otherwise a new blob, or a stored one whose size shows it was damaged: the upload replaces it.
            Path directory = target.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                syncDirectory(directory.getParent());
                syncDirectory(directory.getParent().getParent());
            }
            moveAtomically(temp, target);
            syncDirectory(directory);
            return blob;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("cannot store the upload", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    @Override
    public Optional<Long> size(String sha256) {
        try {
            return Optional.of(Files.size(pathOf(checked(sha256))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("cannot read the size of blob " + sha256, e);
        }
    }

    @Override
    public InputStream open(String sha256, long offset, long length) {
        if (offset < 0 || length < -1) {
            throw RegistryException.invalid("invalid range: offset " + offset + ", length " + length);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(pathOf(checked(sha256)), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw RegistryException.notFound("blob " + sha256 + " is not stored");
        } catch (IOException e) {
            throw failure("cannot open blob " + sha256, e);
        }
        try {
            long size = channel.size();
            if (offset > size) {
                throw RegistryException.invalid("offset " + offset + " is beyond the end of blob " + sha256
                        + " (" + size + " bytes)");
            }
            long end = length == -1 || length > size - offset ? size : offset + length;
            return new RangeInputStream(channel, offset, end);
        } catch (IOException e) {
            closeQuietly(channel);
            throw failure("cannot open blob " + sha256, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public BlobCheck check(String sha256) {
        Path path = pathOf(checked(sha256));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MessageDigest digest = Upload.sha256();
            ByteBuffer buffer = ByteBuffer.allocateDirect(Upload.BUFFER_SIZE);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return HexFormat.of().formatHex(digest.digest()).equals(sha256) ? BlobCheck.OK : BlobCheck.CORRUPT;
        } catch (NoSuchFileException e) {
            return BlobCheck.MISSING;
        } catch (IOException e) {
            // A blob whose bytes cannot be read back is as lost as one whose bytes changed.
            return BlobCheck.CORRUPT;
        }
    }

    private Path createTemp() {
        try {
            return Files.createTempFile(tmp, "upload-", ".part");
        } catch (IOException e) {
            throw failure("cannot create a temp file in " + tmp, e);
        }
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            // On POSIX a concurrent upload of the same content may win the race; replacing it with identical bytes
            // is harmless.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the blob store's tmp and sha256 directories must be on one file system", e);
        }
    }

    /** Makes a rename or a new directory entry durable; file systems that cannot sync a directory skip it. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a channel; its file systems journal renames themselves.
        }
    }

    private void removeStaleUploads() {
        Instant cutoff = Instant.now().minus(STALE_UPLOAD);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                FileTime modified = Files.getLastModifiedTime(entry);
                if (modified.toInstant().isBefore(cutoff)) {
                    deleteQuietly(entry);
                }
            }
        } catch (IOException e) {
            // Stale temp files only waste space; they never become visible blobs.
        }
    }

    Path pathOf(String sha256) {
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    /** Also keeps a caller's digest from naming a path outside the store. */
    private static String checked(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw RegistryException.invalid("'" + sha256 + "' is not a sha256: expected 64 lower-case hex digits");
        }
        return sha256;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left for removeStaleUploads at the next start.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was read through it.
        }
    }

    private static RegistryException failure(String message, IOException e) {
        return new RegistryException(ErrorCode.INTERNAL, message + ": " + e.getMessage(), Map.of(), e);
    }
}
