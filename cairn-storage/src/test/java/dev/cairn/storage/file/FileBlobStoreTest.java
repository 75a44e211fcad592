package dev.cairn.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return new FileBlobStore(root);
    }

    /** Every regular file under the root: blobs by name, and any temp file left in tmp. */
    @Override
    protected List<String> storedObjects() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    @Override
    protected void removeStorage() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    protected void corrupt(String sha256) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(blobPath(sha256).toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0x01);
        }
    }

    @Override
    protected void lose(String sha256) throws IOException {
        Files.delete(blobPath(sha256));
    }

    private Path blobPath(String sha256) {
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    @Test
    void blobsAreFilesNamedByTheirDigestAndTmpIsLeftEmpty() throws Exception {
        byte[] content = random(1234, 20);
        String sha = blobs.put(new ByteArrayInputStream(content), Optional.empty()).sha256();

        assertThat(blobPath(sha)).isRegularFile().hasBinaryContent(content);
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void uploadingAgainRepairsABlobThatLostBytes() throws Exception {
        byte[] content = random(5000, 21);
        String sha = blobs.put(new ByteArrayInputStream(content), Optional.empty()).sha256();
        Files.write(blobPath(sha), java.util.Arrays.copyOf(content, 100));
        assertThat(blobs.check(sha)).isEqualTo(BlobStore.BlobCheck.CORRUPT);

        blobs.put(new ByteArrayInputStream(content), Optional.of(sha));

        assertThat(blobs.check(sha)).isEqualTo(BlobStore.BlobCheck.OK);
    }

    @Test
    void aDigestThatIsNotHexCannotNameAPathOutsideTheStore() {
        for (String bad : List.of("../../etc/passwd", "A".repeat(64), "abc", "")) {
            assertThatThrownBy(() -> blobs.open(bad, 0, -1)).isInstanceOfSatisfying(RegistryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> blobs.size(bad)).isInstanceOf(RegistryException.class);
        }
    }

    @Test
    void anInterruptedUploadKeepsNothing() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        InputStream endless = new InputStream() {
            private long sent;

            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                sent += len;
                if (sent > (8 << 20)) {
                    Thread.currentThread().interrupt();
                }
                return len;
            }
        };
        Thread uploader = new Thread(() -> {
            try {
                blobs.put(endless, Optional.empty());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        uploader.start();
        uploader.join(30_000);

        assertThat(failure.get()).isInstanceOf(RegistryException.class);
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void staleTempFilesAreRemovedAtStartButFreshOnesAreNot() throws Exception {
        Path stale = Files.writeString(root.resolve("tmp/upload-old.part"), "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path fresh = Files.writeString(root.resolve("tmp/upload-new.part"), "y");

        new FileBlobStore(root);

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }
}
