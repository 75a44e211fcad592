package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tour a new user takes, run exactly as they would: the shaded {@code target/cairn.jar} in separate processes,
 * one of them the server.
 */
class TourIT {
    private static final Path JAR = Path.of(System.getProperty("cairn.jar", "target/cairn.jar")).toAbsolutePath();

    @TempDir
    Path home;

    private Process server;
    private String url;

    /** What one {@code cairn} process printed and its exit status. */
    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(out);
        }
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void registerPromoteBreakRollBackCompareAndDownload() throws Exception {
        assertThat(JAR).as("the shaded jar is built by 'package' before integration tests").exists();
        serve();

        model("v1", "weights one");
        model("v2", "weights two");
        model("v3", "weights three");

        Run v1 = cairn("register", "fraud", "v1", "--metric", "auc=0.81", "--param", "lr=0.1",
                "--dataset", "train=s3://data/transactions@2024-01", "--commit", "aaaa1111", "--description", "baseline");
        assertThat(v1.code()).as(v1.err()).isZero();
        assertThat(v1.out()).contains("registered fraud version 1").contains("sha256:");
        Run v2 = cairn("register", "fraud", "v2", "--metric", "auc=0.86", "--param", "lr=0.05",
                "--dataset", "train=s3://data/transactions@2024-02", "--commit", "bbbb2222", "--parent", "fraud:1");
        assertThat(v2.out()).contains("registered fraud version 2");

        assertThat(cairn("promote", "fraud", "1", "--to", "production", "--comment", "first launch").code()).isZero();
        assertThat(cairn("resolve", "models:/fraud/Production").out()).contains("-> fraud version 1");
        assertThat(cairn("promote", "fraud", "2", "--to", "production", "--comment", "better auc").code()).isZero();
        assertThat(cairn("resolve", "fraud/production").out()).contains("-> fraud version 2");

        assertThat(cairn("register", "fraud", "v3", "--metric", "auc=0.62", "--param", "lr=0.5",
                "--commit", "cccc3333").out()).contains("registered fraud version 3");
        assertThat(cairn("promote", "fraud", "3", "--to", "production", "--comment", "friday deploy").code()).isZero();
        assertThat(cairn("resolve", "fraud/production").out()).contains("-> fraud version 3");

        Run rollback = cairn("rollback", "fraud", "--stage", "production", "--comment", "v3 regressed");
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("to version 2");
        JsonNode live = cairn("--output", "json", "resolve", "models:/fraud/Production").json();
        assertThat(live.get("version").asInt()).isEqualTo(2);
        assertThat(live.get("stage").asText()).isEqualTo("Production");
        assertThat(live.get("digest").asText()).startsWith("sha256:");
        assertThat(live.get("metrics").get("auc").asDouble()).isEqualTo(0.86);
        assertThat(live.get("lineage").get("code").get("commit").asText()).isEqualTo("bbbb2222");

        Run compare = cairn("compare", "fraud", "1", "2", "3");
        assertThat(compare.code()).isZero();
        assertThat(compare.out()).contains("auc").contains("+0.05").contains("-0.19").contains("lr");

        Run history = cairn("history", "fraud");
        assertThat(history.out()).contains("first launch").contains("friday deploy").contains("rollback")
                .contains("v3 regressed");

        Run verify = cairn("verify");
        assertThat(verify.code()).as(verify.out()).isZero();

        Run download = cairn("download", "fraud/production", "--out", "serving");
        assertThat(download.code()).as(download.err()).isZero();
        assertThat(Files.readString(home.resolve("serving/model.bin"))).isEqualTo("weights two");

        Run missing = cairn("resolve", "fraud@champion");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).startsWith("error: ").doesNotContain("\n");
    }

    private void serve() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        server = new ProcessBuilder(command("serve", "--port", Integer.toString(port), "--data", "data"))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("server.log").toFile())
                .start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(() -> log()).isTrue();
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server did not answer /healthz within 60s:\n" + log());
    }

    private Run cairn(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--url", url));
        all.addAll(List.of(args));
        Process process = new ProcessBuilder(command(all.toArray(String[]::new))).directory(home.toFile())
                .redirectOutput(home.resolve("out.txt").toFile())
                .redirectError(home.resolve("err.txt").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("cairn " + all).isTrue();
        return new Run(process.exitValue(), Files.readString(home.resolve("out.txt")),
                Files.readString(home.resolve("err.txt")));
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private void model(String dir, String weights) throws IOException {
        Path root = Files.createDirectories(home.resolve(dir));
        Files.writeString(root.resolve("model.bin"), weights, StandardCharsets.UTF_8);
        Files.writeString(root.resolve("README.md"), "fraud model " + dir);
    }

    private String log() {
        try {
            return Files.readString(home.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log)";
        }
    }
}
