package dev.cairn.storage.file;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Copies one upload into a temp file and hashes it, in two fixed 1 MiB buffers: while one chunk is written to disk on
 * a writer thread, the next is read and hashed on the caller's. Hashing costs about as much as writing, so doing both
 * at once brings an upload close to the disk's own speed. Memory use does not depend on the upload's size.
 */
final class Upload {
    static final int BUFFER_SIZE = 1 << 20;

    private final ExecutorService writers;

    Upload(ExecutorService writers) {
        this.writers = writers;
    }

    /** Streams {@code content} into {@code temp} and syncs it to disk; returns its sha256 and size. */
    BlobInfo copy(InputStream content, Path temp) throws IOException {
        MessageDigest digest = sha256();
        byte[][] buffers = {new byte[BUFFER_SIZE], new byte[BUFFER_SIZE]};
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            Future<?> pending = null;
            try {
                for (int chunk = 0; ; chunk++) {
                    // This buffer's previous write finished before the write of the other buffer was started.
                    byte[] buffer = buffers[chunk % 2];
                    int n = readFully(content, buffer, size);
                    if (n == 0) {
                        break;
                    }
                    digest.update(buffer, 0, n);
                    await(pending);
                    if (n < BUFFER_SIZE && chunk == 0) {
                        write(out, buffer, n); // a small upload: not worth a hand-off
                    } else {
                        pending = writers.submit(() -> {
                            write(out, buffer, n);
                            return null;
                        });
                    }
                    size += n;
                }
                await(pending);
                pending = null;
            } finally {
                finish(pending);
            }
            out.force(true);
        }
        return new BlobInfo(HexFormat.of().formatHex(digest.digest()), size);
    }

    private static void write(FileChannel out, byte[] buffer, int n) throws IOException {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
            out.write(chunk);
        }
    }

    /**
     * Fills the buffer (or reads to the end of the stream) so the disk sees large writes even when the source hands
     * out small reads, as network streams do. A failing source is the uploader's problem, not the store's.
     */
    private static int readFully(InputStream content, byte[] buffer, long sizeSoFar) {
        int filled = 0;
        try {
            while (filled < buffer.length) {
                int n = content.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.INVALID_ARGUMENT, "the upload broke off after "
                    + (sizeSoFar + filled) + " bytes: " + e.getMessage() + "; nothing was stored", Map.of(), e);
        }
        return filled;
    }

    private static void await(Future<?> pending) throws IOException {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the upload");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Waits for a write still running after a failure, so the file is not closed and deleted under it. */
    private static void finish(Future<?> pending) {
        if (pending == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                pending.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break; // the first failure is already on its way to the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
