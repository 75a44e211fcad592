package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestApi.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the server while clients long-poll {@code /api/v1/resolve}: they get a clean answer, not an error, and a
 * follower that reconnects at once is refused rather than accepted by a server that is going away (such a connection
 * was left open and unread, and its client waited for its whole timeout).
 */
class LongPollShutdownIT {
    @TempDir
    Path data;

    @Test
    void aLongPollOpenWhenTheServerStopsIsAnsweredNotModified() throws Exception {
        try (TestApi api = TestApi.start(data)) {
            assertThat(api.post("/api/v1/models", "{\"name\":\"held\"}").status()).isEqualTo(201);
            api.register("held", "{}", "m.bin", "weights".getBytes(StandardCharsets.UTF_8));
            assertThat(api.put("/api/v1/models/held/aliases/production", "{\"version\":1}").status()).isEqualTo(200);
            String ref = "/api/v1/resolve?ref=" + TestApi.enc("held@production");
            String etag = api.get(ref).header("ETag");

            CompletableFuture<Reply> waiting = api.getAsync(ref + "&wait=60", "If-None-Match", etag);
            int port = api.server.port();
            CompletableFuture<Boolean> acceptedWhenAnswered = waiting.thenApply(reply -> canConnect(port));
            awaitWaitingLongPoll();
            assertThat(waiting).isNotDone();
            api.server.close();

            Reply answer = waiting.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(304);
            assertThat(answer.header("ETag")).isEqualTo(etag);
            assertThat(acceptedWhenAnswered.get(30, TimeUnit.SECONDS))
                    .as("a new connection accepted once the long polls were being ended").isFalse();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the server (in this JVM) has a long poll waiting on its pool. */
    private static void awaitWaitingLongPoll() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("cairn-long-poll-")
                && t.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("a long poll waiting within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
