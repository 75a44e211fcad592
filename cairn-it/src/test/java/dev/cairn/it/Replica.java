package dev.cairn.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One {@code java -jar cairn.jar serve} process, as an operator would run a replica behind a load balancer. */
final class Replica implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String url;

    private Replica(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /**
     * Starts a replica with the given serve options and environment and waits until {@code /readyz} answers 200, so
     * that its database and blob store are reachable. The process is killed when it does not get ready.
     */
    static Replica start(Path jar, Path home, List<String> serveOptions, Map<String, String> env) throws Exception {
        Files.createDirectories(home);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", jar.toString(),
                "serve", "--port", Integer.toString(port)));
        command.addAll(serveOptions);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Path log = home.resolve("server.log");
        builder.redirectOutput(log.toFile());
        // Only what the test sets: a CAIRN_* or AWS_* variable of the machine running the build must not leak in.
        builder.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.startsWith("AWS_"));
        builder.environment().putAll(env);
        Replica replica = new Replica(builder.start(), log, "http://127.0.0.1:" + port);
        try {
            replica.awaitReady(Duration.ofSeconds(90));
            return replica;
        } catch (Exception | AssertionError e) {
            replica.close();
            throw e;
        }
    }

    String url() {
        return url;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int lastStatus = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("replica exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                lastStatus = http.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the JVM is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("replica not ready within " + timeout + " (last /readyz status " + lastStatus + "):\n"
                + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
