package dev.cairn.storage.s3;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The one part of an upload held in memory: filled from the source, hashed, sent, then refilled. It starts small and
 * grows up to the part size, so that the many small files of a model do not each cost a full part; after that its
 * size never changes, whatever the size of the upload.
 */
final class PartBuffer {
    private static final int INITIAL_SIZE = 64 * 1024;

    private final int capacity;
    private byte[] bytes;
    private int length;

    PartBuffer(int capacity) {
        this.capacity = capacity;
        this.bytes = new byte[Math.min(INITIAL_SIZE, capacity)];
    }

    /**
     * Replaces the buffer's contents with the next part of {@code content}, hashing it into {@code digest}: a full part,
     * or what is left before the end. A source that fails is the uploader's problem, not the store's.
     *
     * @return the number of bytes read, 0 at the end of the content
     */
    int fill(InputStream content, MessageDigest digest, long sizeSoFar) {
        length = 0;
        try {
            while (length < capacity) {
                if (length == bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(capacity, 2L * bytes.length));
                }
                int n = content.read(bytes, length, bytes.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.INVALID_ARGUMENT, "the upload broke off after "
                    + (sizeSoFar + length) + " bytes: " + e.getMessage() + "; nothing was stored", Map.of(), e);
        }
        digest.update(bytes, 0, length);
        return length;
    }

    int length() {
        return length;
    }

    boolean isFull() {
        return length == capacity;
    }

    /** The part as a request body that the SDK may read more than once (to sign it, or to retry) without a copy. */
    RequestBody body() {
        byte[] content = bytes;
        int n = length;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content, 0, n), n,
                "application/octet-stream");
    }
}
