package dev.cairn.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.BlobStore;
import dev.cairn.core.store.BlobStore.BlobCheck;
import dev.cairn.core.store.BlobStore.BlobInfo;
import dev.cairn.storage.file.BlobStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The blob store contract, and what is particular to S3, against a real S3-protocol server. Parts are 5 MiB (S3's
 * smallest) and copies above 6 MiB go in parts, so that multipart uploads and multipart copies run on blobs of a few
 * megabytes.
 */
class S3BlobStoreTest extends BlobStoreContract {
    private static final int PART = 5 << 20;
    private static final S3BlobStore.PartSizes SMALL_PARTS = new S3BlobStore.PartSizes(PART, 6 << 20);

    private final S3Client raw = S3TestServer.admin();
    private String bucket;

    @Override
    protected BlobStore newStore() {
        bucket = S3TestServer.newBucket();
        return S3BlobStore.open(S3TestServer.location(bucket), S3TestServer.CREDENTIALS, SMALL_PARTS);
    }

    @Override
    protected void removeStorage() {
        for (S3Object object : raw.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            raw.deleteObject(b -> b.bucket(bucket).key(object.key()));
        }
        raw.deleteBucket(b -> b.bucket(bucket));
    }

    /** Every object in the bucket (a blob by its sha256, anything else by its key) and every unfinished upload. */
    @Override
    protected List<String> storedObjects() {
        List<String> objects = new ArrayList<>();
        for (S3Object object : raw.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            objects.add(object.key().startsWith(blobPrefix()) ? lastSegment(object.key()) : object.key());
        }
        raw.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()
                .forEach(upload -> objects.add("unfinished upload of " + upload.key()));
        return objects;
    }

    @Override
    protected void corrupt(String sha256) {
        byte[] bytes = raw.getObjectAsBytes(b -> b.bucket(bucket).key(key(sha256))).asByteArray();
        bytes[bytes.length / 2] ^= 0x01;
        raw.putObject(b -> b.bucket(bucket).key(key(sha256)), RequestBody.fromBytes(bytes));
    }

    @Override
    protected void lose(String sha256) {
        raw.deleteObject(b -> b.bucket(bucket).key(key(sha256)));
    }

    private static String key(String sha256) {
        return "cairn/blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    private static String blobPrefix() {
        return "cairn/blobs/sha256/";
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Test
    void blobsAreKeyedByTheirDigestUnderThePrefix() throws Exception {
        byte[] small = random(1234, 30);
        byte[] large = random(3 * PART + 7, 31);
        blobs.put(new ByteArrayInputStream(small), Optional.empty());
        blobs.put(new ByteArrayInputStream(large), Optional.empty());

        List<String> keys = raw.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).toList();
        assertThat(keys).containsExactlyInAnyOrder(key(sha256(small)), key(sha256(large)));
        assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key(key(sha256(large)))).asByteArray())
                .isEqualTo(large);
    }

    @Test
    void aBlobLargerThanAPartIsUploadedAndCopiedInParts() throws Exception {
        byte[] content = random(40_000_000, 32);
        InputStream trickle = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 100_000));
            }
        };
        BlobInfo info = blobs.put(trickle, Optional.of("sha256:" + sha256(content)));

        assertThat(info).isEqualTo(new BlobInfo(sha256(content), content.length));
        assertThat(blobs.size(info.sha256())).contains((long) content.length);
        assertThat(blobs.check(info.sha256())).isEqualTo(BlobCheck.OK);
        assertThat(read(blobs.open(info.sha256(), 0, -1))).isEqualTo(content);
        assertThat(read(blobs.open(info.sha256(), PART - 3, 10)))
                .isEqualTo(Arrays.copyOfRange(content, PART - 3, PART + 7));
        assertThat(storedObjects()).containsExactly(info.sha256());
    }

    @Test
    void aBlobOfExactlyOnePartIsStored() throws Exception {
        byte[] content = random(PART, 33);
        BlobInfo info = blobs.put(new ByteArrayInputStream(content), Optional.empty());

        assertThat(read(blobs.open(info.sha256(), 0, -1))).isEqualTo(content);
        assertThat(storedObjects()).containsExactly(info.sha256());
    }

    @Test
    void concurrentMultipartUploadsOfTheSameContentKeepOneBlob() throws Exception {
        byte[] content = random(2 * PART + 100, 34);
        putConcurrently(content, 4);
        blobs.put(new ByteArrayInputStream(content), Optional.empty());

        assertThat(storedObjects()).containsExactly(sha256(content));
        assertThat(blobs.check(sha256(content))).isEqualTo(BlobCheck.OK);
    }

    @Test
    void aWrongDigestOnAMultipartUploadKeepsNothing() throws Exception {
        byte[] content = random(2 * PART + 1, 35);
        String declared = "e".repeat(64);

        assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream(content), Optional.of(declared)))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(declared).contains(sha256(content));
                });
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void aMultipartUploadWhoseStreamFailsKeepsNothing() throws Exception {
        byte[] content = random(3 * PART, 36);
        InputStream breaking = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos > 2 * PART + 1000) {
                    throw new UncheckedIOException(new IOException("connection reset"));
                }
                return super.read(b, off, Math.min(len, 64 * 1024));
            }
        };
        assertThatThrownBy(() -> blobs.put(breaking, Optional.empty())).hasMessageContaining("connection reset");
        assertThat(storedObjects()).isEmpty();
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
                if (sent > 2L * PART + 5) {
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

        assertThat(uploader.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(RegistryException.class);
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void aBlobWhoseStoredSizeIsWrongIsRepairedByTheNextUpload() throws Exception {
        byte[] content = random(5000, 37);
        String sha = blobs.put(new ByteArrayInputStream(content), Optional.empty()).sha256();
        raw.putObject(b -> b.bucket(bucket).key(key(sha)), RequestBody.fromBytes(Arrays.copyOf(content, 100)));
        assertThat(blobs.check(sha)).isEqualTo(BlobCheck.CORRUPT);

        blobs.put(new ByteArrayInputStream(content), Optional.of(sha));

        assertThat(blobs.check(sha)).isEqualTo(BlobCheck.OK);
    }

    @Test
    void aStreamClosedEarlyDoesNotReadTheRest() throws Exception {
        byte[] content = random(3 * PART, 38);
        String sha = blobs.put(new ByteArrayInputStream(content), Optional.empty()).sha256();
        for (int i = 0; i < 20; i++) { // draining instead of aborting would read 300 MB here
            try (InputStream in = blobs.open(sha, 0, -1)) {
                assertThat(in.read()).isEqualTo(content[0] & 0xff);
            }
        }
        assertThat(read(blobs.open(sha, 1, 3))).isEqualTo(Arrays.copyOfRange(content, 1, 4));
    }

    @Test
    void aDigestThatIsNotHexCannotNameAKeyOutsideTheStore() {
        for (String bad : List.of("../../etc/passwd", "A".repeat(64), "abc", "")) {
            assertThatThrownBy(() -> blobs.open(bad, 0, -1)).isInstanceOfSatisfying(RegistryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> blobs.size(bad)).isInstanceOf(RegistryException.class);
            assertThatThrownBy(() -> blobs.check(bad)).isInstanceOf(RegistryException.class);
        }
    }

    /** Another replica's upload in flight must survive this one's start-up; only day-old leftovers are removed. */
    @Test
    void openingTheStoreKeepsUploadsInFlight() {
        raw.putObject(b -> b.bucket(bucket).key("cairn/blobs/tmp/in-flight"), RequestBody.fromString("x"));
        String uploadId = raw.createMultipartUpload(b -> b.bucket(bucket).key("cairn/blobs/tmp/in-parts")).uploadId();

        S3BlobStore.open(S3TestServer.location(bucket), S3TestServer.CREDENTIALS, SMALL_PARTS).close();

        assertThat(storedObjects()).contains("cairn/blobs/tmp/in-flight",
                "unfinished upload of cairn/blobs/tmp/in-parts");
        raw.abortMultipartUpload(b -> b.bucket(bucket).key("cairn/blobs/tmp/in-parts").uploadId(uploadId));
    }
}
