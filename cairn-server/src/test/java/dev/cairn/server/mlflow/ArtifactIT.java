package dev.cairn.server.mlflow;

import static dev.cairn.server.mlflow.TrackingHttpIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.mlflow.TrackingTestServer.Reply;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proxied artifacts (spec §6) over raw HTTP, as MLflow's Python client uses them. */
class ArtifactIT {
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    @TempDir
    static Path dir;
    static TrackingTestServer server;

    @BeforeAll
    static void start() {
        server = TrackingTestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void uploadDownloadListAndDelete() {
        assertThat(put("1/run/artifacts/model/MLmodel", "flavors: {}\n").text()).isEqualTo("{}");
        put("1/run/artifacts/model/model.pkl", "pickle");
        put("1/run/artifacts/model/data/weights.bin", "w");
        put("1/run/artifacts/metrics.json", "{\"a\": 1}");
        put("1/run/artifacts/model.txt", "sibling that sorts before model/");

        Reply download = server.send("GET", ARTIFACTS + "/1/run/artifacts/metrics.json", BodyPublishers.noBody());
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.text()).isEqualTo("{\"a\": 1}");
        assertThat(download.header("Content-Type")).startsWith("application/json");
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=metrics.json");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(server.send("GET", ARTIFACTS + "/1/run/artifacts/model/MLmodel", BodyPublishers.noBody())
                .header("Content-Type")).isEqualTo("application/octet-stream");

        put("1/run/artifacts/metrics.json", "overwritten");
        assertThat(server.send("GET", ARTIFACTS + "/1/run/artifacts/metrics.json", BodyPublishers.noBody()).text())
                .isEqualTo("overwritten");

        JsonNode root = list("1/run/artifacts");
        assertThat(root.toString()).isEqualTo("{\"files\":[{\"path\":\"metrics.json\",\"is_dir\":false,"
                + "\"file_size\":11},{\"path\":\"model\",\"is_dir\":true},{\"path\":\"model.txt\",\"is_dir\":false,"
                + "\"file_size\":32}]}");
        assertThat(list("1/run/artifacts/model").get("files")).extracting(f -> f.get("path").asText())
                .containsExactly("MLmodel", "data", "model.pkl");
        assertThat(list("1").toString()).isEqualTo("{\"files\":[{\"path\":\"run\",\"is_dir\":true}]}");
        assertThat(server.send("GET", ARTIFACTS, BodyPublishers.noBody()).json().get("files").get(0).get("path")
                .asText()).isEqualTo("1");
        assertThat(list("no/such/dir").toString()).isEqualTo("{}");

        Reply deleted = server.send("DELETE", ARTIFACTS + "/1/run/artifacts/model",
                BodyPublishers.ofString("{\"path\": \"1/run/artifacts/model\"}"), "Content-Type", "application/json");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(list("1/run/artifacts").get("files")).extracting(f -> f.get("path").asText())
                .containsExactly("metrics.json", "model.txt");
        server.send("DELETE", ARTIFACTS + "/1/run/artifacts/model.txt", BodyPublishers.noBody());
        assertError(server.send("GET", ARTIFACTS + "/1/run/artifacts/model.txt", BodyPublishers.noBody()), 404,
                "RESOURCE_DOES_NOT_EXIST", "model.txt");
        assertThat(server.send("DELETE", ARTIFACTS + "/1/run/artifacts/never", BodyPublishers.noBody()).status())
                .isEqualTo(200);

        Reply ajax = server.send("PUT", "/ajax-api/2.0/mlflow-artifacts/artifacts/ajax/f.txt",
                BodyPublishers.ofString("via ajax"));
        assertThat(ajax.status()).isEqualTo(200);
        assertThat(server.send("GET", ARTIFACTS + "/ajax/f.txt", BodyPublishers.noBody()).text()).isEqualTo("via ajax");
    }

    @Test
    void refusesUnsafePathsAndChangesNothing() {
        for (String bad : List.of("a/%2E%2E/b", "..%2Fescape", "a%5Cb", "a%23b", "C:%5Cwin")) {
            Reply reply = server.send("PUT", ARTIFACTS + "/" + bad, BodyPublishers.ofString("x"));
            assertThat(reply.status()).as(bad + ": " + reply.text()).isEqualTo(400);
            if (reply.header("Content-Type") != null && reply.header("Content-Type").startsWith("application/json")
                    && reply.json().has("error_code")) {
                assertThat(reply.message()).as(bad).contains("Invalid path");
            }
        }
        assertError(server.send("GET", ARTIFACTS + "?path=..%2Fup", BodyPublishers.noBody()), 400,
                "INVALID_PARAMETER_VALUE", "Invalid path");
        assertError(server.send("GET", ARTIFACTS + "?path=%2Fetc", BodyPublishers.noBody()), 400,
                "INVALID_PARAMETER_VALUE", "Invalid path");
        assertError(server.send("PUT", ARTIFACTS + "/_cairn/models/m/1/model.pkl", BodyPublishers.ofString("x")), 400,
                "INVALID_PARAMETER_VALUE", "Invalid path");
        assertError(server.send("POST", "/api/2.0/mlflow-artifacts/mpu/create/big.bin",
                BodyPublishers.ofString("{\"path\":\"big.bin\",\"num_parts\":2}"), "Content-Type", "application/json"),
                501, "NOT_IMPLEMENTED", "Multipart upload is not supported for the current artifact repository");
        assertThat(server.send("GET", ARTIFACTS, BodyPublishers.noBody()).json().toString()).doesNotContain("_cairn");
    }

    @Test
    void streams100MegabytesBothWays() throws Exception {
        long size = 100L << 20;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest upload = HttpRequest.newBuilder(URI.create(server.url + ARTIFACTS + "/big/data.bin"))
                .PUT(BodyPublishers.ofInputStream(() -> new Generated(size, sent))).build();
        assertThat(server.raw(upload, BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        HttpRequest download = HttpRequest.newBuilder(URI.create(server.url + ARTIFACTS + "/big/data.bin")).GET().build();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = server.raw(download, BodyHandlers.ofInputStream()).body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; count += n) {
                received.update(buffer, 0, n);
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        assertThat(list("big").get("files").get(0).get("file_size").asLong()).isEqualTo(size);
    }

    private static Reply put(String path, String content) {
        return server.send("PUT", ARTIFACTS + "/" + path, BodyPublishers.ofString(content));
    }

    private static JsonNode list(String path) {
        Reply reply = server.send("GET", ARTIFACTS + "?path=" + path, BodyPublishers.noBody());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }

    /** Pseudo-random bytes made on the fly, hashed as they are read: the test holds no file in memory either. */
    private static final class Generated extends InputStream {
        private final MessageDigest digest;
        private long left;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size, MessageDigest digest) {
            this.left = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            digest.update(b, off, n);
            left -= n;
            return n;
        }
    }
}
