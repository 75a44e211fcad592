package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import dev.cairn.cli.Cli.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn serve --demo} serves a populated registry from ./cairn-demo, seeding it once. */
class ServeDemoIT {
    @TempDir
    Path work;

    @Test
    void servesTheDemoRegistryFromItsOwnDirectoryAndReusesIt() throws Exception {
        JsonNode first = serveDemoAndRead("/api/v1/models?limit=100");
        assertThat(first.get("models")).extracting(m -> m.get("name").asText())
                .containsExactlyInAnyOrder("fraud-detector", "churn-predictor", "demand-forecast", "image-tagger");
        assertThat(work.resolve("cairn-demo/cairn.db")).exists();
        assertThat(work.resolve("cairn-data")).doesNotExist();

        // Served again, the same registry: nothing added.
        JsonNode events = serveDemoAndRead("/api/v1/events?limit=1000");
        JsonNode again = serveDemoAndRead("/api/v1/events?limit=1000");
        assertThat(again.get("events").size()).isEqualTo(events.get("events").size());
        JsonNode churn = serveDemoAndRead("/api/v1/models/churn-predictor");
        assertThat(churn.get("stages").get("Production").asInt()).as("after the rollback of v7").isEqualTo(4);
    }

    @Test
    void refusesToSeedAnotherDatabase() {
        Result serve = Cli.raw("-C", work.toString(), "serve", "--demo", "--port", "0", "--db",
                "jdbc:sqlite:" + work.resolve("other.db"));
        assertThat(serve.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(serve.err().strip()).startsWith("error: --demo seeds the embedded store of a data directory");
        assertThat(work.resolve("cairn-demo")).doesNotExist();
    }

    /** Runs {@code cairn serve --demo} in {@link #work}, reads {@code path} once it answers, then stops it. */
    private JsonNode serveDemoAndRead(String path) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] args = {"-C", work.toString(), "serve", "--demo", "--port", Integer.toString(port)};
        Thread serving = new Thread(() -> Cli.raw(args), "cairn-serve-demo");
        serving.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try {
                    HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
                    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                    return Json.mapper().readTree(reply.body());
                } catch (IOException notYet) {
                    assertThat(Instant.now()).as("cairn serve --demo answering").isBefore(deadline);
                    Thread.sleep(100);
                }
            }
        } finally {
            // Interrupting awaitStop() closes the server through the command's try-with-resources.
            serving.interrupt();
            serving.join(30_000);
            assertThat(serving.isAlive()).as("serve --demo stopped").isFalse();
        }
    }
}
