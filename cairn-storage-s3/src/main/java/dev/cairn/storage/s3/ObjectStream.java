package dev.cairn.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a GET, streamed from the connection. Closing it before its end aborts the connection instead of
 * draining it: a reader that stops after the first megabyte of a 10 GB blob must not download the rest.
 */
final class ObjectStream extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private long remaining;

    ObjectStream(ResponseInputStream<?> response, long length) {
        super(response);
        this.response = response;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            remaining--;
        } else {
            remaining = 0;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            remaining -= n;
        } else if (n < 0) {
            remaining = 0;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        remaining -= skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false; // counting past a reset would lose track of what is left
    }

    @Override
    public void close() throws IOException {
        if (remaining > 0) {
            response.abort();
        }
        super.close();
    }
}
