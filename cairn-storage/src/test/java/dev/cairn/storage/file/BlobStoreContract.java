package dev.cairn.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import dev.cairn.core.store.BlobStore.BlobCheck;
import dev.cairn.core.store.BlobStore.BlobInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do, each test on a new, empty store. Published in this module's test-jar, so that
 * the blob stores of other modules (cairn-storage-s3) run it too.
 */
public abstract class BlobStoreContract {
    protected BlobStore blobs;

    protected abstract BlobStore newStore();

    /** Takes the store's storage away behind its back (its directory or bucket is gone). */
    protected abstract void removeStorage() throws Exception;

    /** Every blob the store holds, by sha256, and anything else it keeps (temp files): what a failure must not leave. */
    protected abstract List<String> storedObjects() throws IOException;

    /** Changes one byte of a stored blob behind the store's back. */
    protected abstract void corrupt(String sha256) throws IOException;

    /** Removes a stored blob behind the store's back. */
    protected abstract void lose(String sha256) throws IOException;

    @BeforeEach
    protected void openStore() {
        blobs = newStore();
    }

    @AfterEach
    protected void closeStore() throws Exception {
        if (blobs instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void isReadyWhileItsStorageIsThereAndNotOnceItIsGone() throws Exception {
        blobs.checkReady();
        removeStorage();
        assertThatThrownBy(() -> blobs.checkReady()).isInstanceOf(RegistryException.class);
    }

    @Test
    void putThenOpenGivesBackTheSameBytes() throws Exception {
        byte[] content = random(3 * (1 << 20) + 17, 1);
        BlobInfo info = blobs.put(new ByteArrayInputStream(content), Optional.empty());

        assertThat(info).isEqualTo(new BlobInfo(sha256(content), content.length));
        assertThat(blobs.size(info.sha256())).contains((long) content.length);
        assertThat(read(blobs.open(info.sha256(), 0, -1))).isEqualTo(content);
        assertThat(blobs.check(info.sha256())).isEqualTo(BlobCheck.OK);
    }

    @Test
    void emptyContentIsABlobToo() throws Exception {
        BlobInfo info = blobs.put(new ByteArrayInputStream(new byte[0]), Optional.empty());
        assertThat(info).isEqualTo(new BlobInfo(sha256(new byte[0]), 0));
        assertThat(read(blobs.open(info.sha256(), 0, -1))).isEmpty();
    }

    @Test
    void sourcesThatHandOutSmallReadsAreStoredWhole() throws Exception {
        byte[] content = random(2 * (1 << 20) + 5, 2);
        InputStream trickle = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        BlobInfo info = blobs.put(trickle, Optional.empty());
        assertThat(info.sha256()).isEqualTo(sha256(content));
        assertThat(read(blobs.open(info.sha256(), 0, -1))).isEqualTo(content);
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        byte[] content = random(1000, 3);
        BlobInfo first = blobs.put(new ByteArrayInputStream(content), Optional.empty());
        BlobInfo second = blobs.put(new ByteArrayInputStream(content), Optional.of(first.sha256()));

        assertThat(second).isEqualTo(first);
        assertThat(storedObjects()).containsExactly(first.sha256());
    }

    /** Uploads the same content from {@code threads} threads at once; each upload must answer its sha256. */
    protected void putConcurrently(byte[] content, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BlobInfo>> puts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                puts.add(pool.submit(() -> blobs.put(new ByteArrayInputStream(content), Optional.empty())));
            }
            for (Future<BlobInfo> put : puts) {
                assertThat(put.get(60, TimeUnit.SECONDS).sha256()).isEqualTo(sha256(content));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentUploadsOfTheSameContentKeepOneBlob() throws Exception {
        byte[] content = random(2 << 20, 4);
        putConcurrently(content, 4);
        assertThat(storedObjects()).containsExactly(sha256(content));
        assertThat(read(blobs.open(sha256(content), 0, -1))).isEqualTo(content);
    }

    @Test
    void rangesReadTheBytesAsked() throws Exception {
        byte[] content = random(5000, 5);
        String sha = blobs.put(new ByteArrayInputStream(content), Optional.empty()).sha256();

        assertThat(read(blobs.open(sha, 0, 10))).isEqualTo(Arrays.copyOfRange(content, 0, 10));
        assertThat(read(blobs.open(sha, 100, 1000))).isEqualTo(Arrays.copyOfRange(content, 100, 1100));
        assertThat(read(blobs.open(sha, 4990, -1))).isEqualTo(Arrays.copyOfRange(content, 4990, 5000));
        assertThat(read(blobs.open(sha, 4990, 100))).isEqualTo(Arrays.copyOfRange(content, 4990, 5000));
        assertThat(read(blobs.open(sha, 4990, Long.MAX_VALUE))).isEqualTo(Arrays.copyOfRange(content, 4990, 5000));
        assertThat(read(blobs.open(sha, 5000, -1))).isEmpty();
        assertThat(read(blobs.open(sha, 7, 0))).isEmpty();
        try (InputStream in = blobs.open(sha, 10, 20)) {
            assertThat(in.read()).isEqualTo(content[10] & 0xff);
            assertThat(in.skip(5)).isEqualTo(5);
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 16, 30));
            assertThat(in.read()).isEqualTo(-1);
        }
        try (InputStream in = blobs.open(sha, 1, -1)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(in.transferTo(out)).isEqualTo(4999);
            assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 1, 5000));
        }
    }

    @Test
    void anOffsetBeyondTheEndIsInvalid() throws Exception {
        String sha = blobs.put(new ByteArrayInputStream(new byte[10]), Optional.empty()).sha256();
        assertThatThrownBy(() -> blobs.open(sha, 11, -1)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> blobs.open(sha, -1, -1)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void aMissingBlobIsNotFound() {
        String sha = "0".repeat(64);
        assertThat(blobs.size(sha)).isEmpty();
        assertThat(blobs.check(sha)).isEqualTo(BlobCheck.MISSING);
        assertThatThrownBy(() -> blobs.open(sha, 0, -1)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aWrongDeclaredDigestIsRefusedAndKeepsNothing() throws Exception {
        byte[] content = random(4096, 6);
        String actual = sha256(content);
        String declared = "f".repeat(64);

        assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream(content), Optional.of(declared)))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(declared).contains(actual);
                });
        assertThat(blobs.size(actual)).isEmpty();
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void aRightDeclaredDigestIsAccepted() throws Exception {
        byte[] content = random(100, 7);
        assertThat(blobs.put(new ByteArrayInputStream(content), Optional.of(sha256(content))).sha256())
                .isEqualTo(sha256(content));
        assertThat(blobs.put(new ByteArrayInputStream(content), Optional.of("sha256:" + sha256(content))).sha256())
                .isEqualTo(sha256(content));
    }

    @Test
    void aStreamThatFailsMidwayKeepsNothing() throws Exception {
        byte[] content = random(3 << 20, 8);
        InputStream breaking = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos > (2 << 20)) {
                    throw new java.io.UncheckedIOException(new IOException("connection reset"));
                }
                return super.read(b, off, Math.min(len, 64 * 1024));
            }
        };
        assertThatThrownBy(() -> blobs.put(breaking, Optional.empty())).hasMessageContaining("connection reset");
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void aStreamThatThrowsIOExceptionIsTheUploadersFault() throws Exception {
        InputStream broken = new InputStream() {
            private int calls;

            @Override
            public int read() throws IOException {
                throw new IOException("unexpected end of request body");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (calls++ > 3) {
                    throw new IOException("unexpected end of request body");
                }
                Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }
        };
        assertThatThrownBy(() -> blobs.put(broken, Optional.empty())).isInstanceOfSatisfying(RegistryException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("unexpected end of request body");
                });
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void checkFindsMissingAndCorruptBlobs() throws Exception {
        String kept = blobs.put(new ByteArrayInputStream(random(3000, 9)), Optional.empty()).sha256();
        String damaged = blobs.put(new ByteArrayInputStream(random(3000, 10)), Optional.empty()).sha256();
        String lost = blobs.put(new ByteArrayInputStream(random(3000, 11)), Optional.empty()).sha256();

        corrupt(damaged);
        lose(lost);

        assertThat(blobs.check(kept)).isEqualTo(BlobCheck.OK);
        assertThat(blobs.check(damaged)).isEqualTo(BlobCheck.CORRUPT);
        assertThat(blobs.check(lost)).isEqualTo(BlobCheck.MISSING);
    }

    protected static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
