package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.TestApi.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server while clients long-poll {@code /api/v1/resolve}: they get a clean answer, not an error. */
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
            awaitWaitingLongPoll();
            assertThat(waiting).isNotDone();
            api.server.close();

            Reply answer = waiting.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(304);
            assertThat(answer.header("ETag")).isEqualTo(etag);
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
