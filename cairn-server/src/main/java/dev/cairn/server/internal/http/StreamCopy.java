package dev.cairn.server.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a stored file's bytes to a response in 1 MiB chunks: memory stays flat whatever the file's size. */
public final class StreamCopy {
    private static final int BUFFER = 1 << 20;

    private StreamCopy() {}

    /** Copies exactly {@code length} bytes; a source that ends early is an error, not a short answer. */
    public static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("stored blob ended " + left + " bytes before its recorded size");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
