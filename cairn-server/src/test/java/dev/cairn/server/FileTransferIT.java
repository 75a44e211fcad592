package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestApi.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads stream into the blob store; downloads stream out with ETag, conditional and range support. */
class FileTransferIT {
    @TempDir
    static Path data;
    static TestApi api;
    static byte[] content;
    static String sha;
    static final String FILE = "/api/v1/models/vision/versions/1/files/weights/model.safetensors";

    @BeforeAll
    static void start() {
        api = TestApi.start(data);
        content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        sha = TestApi.sha256(content);
        assertThat(api.post("/api/v1/models", "{\"name\":\"vision\"}").status()).isEqualTo(201);
        assertThat(api.register("vision", "{}", "weights/model.safetensors", content)).isEqualTo(1);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void wholeFileWithHeaders() {
        Reply reply = api.get(FILE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.bytes()).isEqualTo(content);
        assertThat(reply.header("ETag")).isEqualTo("\"" + sha + "\"");
        assertThat(reply.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(reply.header("Content-Length")).isEqualTo(Long.toString(content.length));
        assertThat(reply.header("Content-Type")).startsWith("application/octet-stream");
        assertThat(reply.header("Content-Encoding")).isNull();
        Reply gzipAsked = api.get(FILE, "Accept-Encoding", "gzip");
        assertThat(gzipAsked.header("Content-Encoding")).isNull();
        assertThat(gzipAsked.bytes()).hasSize(content.length);
    }

    @Test
    void conditionalRequests() {
        Reply unchanged = api.get(FILE, "If-None-Match", "\"" + sha + "\"");
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.bytes()).isEmpty();
        assertThat(api.get(FILE, "If-None-Match", "W/\"other\", \"" + sha + "\"").status()).isEqualTo(304);
        assertThat(api.get(FILE, "If-None-Match", "\"other\"").status()).isEqualTo(200);
    }

    @Test
    void ranges() {
        int size = content.length;
        Reply first = api.get(FILE, "Range", "bytes=0-99");
        assertThat(first.status()).isEqualTo(206);
        assertThat(first.header("Content-Range")).isEqualTo("bytes 0-99/" + size);
        assertThat(first.bytes()).isEqualTo(Arrays.copyOfRange(content, 0, 100));

        Reply tail = api.get(FILE, "Range", "bytes=" + (size - 1000) + "-");
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.bytes()).isEqualTo(Arrays.copyOfRange(content, size - 1000, size));

        Reply suffix = api.get(FILE, "Range", "bytes=-50");
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes " + (size - 50) + "-" + (size - 1) + "/" + size);
        assertThat(suffix.bytes()).isEqualTo(Arrays.copyOfRange(content, size - 50, size));

        Reply clamped = api.get(FILE, "Range", "bytes=10-999999999");
        assertThat(clamped.status()).isEqualTo(206);
        assertThat(clamped.bytes()).hasSize(size - 10);

        Reply outside = api.get(FILE, "Range", "bytes=" + size + "-");
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */" + size);

        Reply several = api.get(FILE, "Range", "bytes=0-1,5-6");
        assertThat(several.status()).as("several ranges are served as the whole file").isEqualTo(200);
        assertThat(several.bytes()).hasSize(size);
    }

    @Test
    void largeUploadStreamsThroughAndDownloadsBack() throws Exception {
        long size = 96L << 20;
        assertThat(api.post("/api/v1/models/vision/versions", "{}").status()).isEqualTo(201);
        String version = "/api/v1/models/vision/versions/2";
        // Generated on the fly: neither the test nor the server holds the file in memory.
        Reply stored = api.upload(version + "/files/big.bin",
                BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new PatternStream(size)), size));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(stored.json().get("size").asLong()).isEqualTo(size);
        assertThat(api.post(version + "/commit", null).status()).isEqualTo(200);

        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(new PatternStream(size), expected)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(stored.json().get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(expected.digest()));

        Path target = data.resolve("download.bin");
        HttpResponse<Path> download = api.download(version + "/files/big.bin", target);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(Files.size(target)).isEqualTo(size);
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(target), actual)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(actual.digest()).isEqualTo(HexFormat.of().parseHex(stored.json().get("sha256").asText()));
        Files.delete(target);
    }

    /** {@code size} bytes of a repeating pattern, produced as they are read. */
    private static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ * 31 % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31 % 251);
            }
            position += n;
            return n;
        }
    }
}
