package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import dev.cairn.server.TestApi.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event feed: resuming the paged list after a sequence number, and the server-sent-events stream. */
class EventFeedIT {
    private static final byte[] BYTES = "weights".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    @Test
    void afterReturnsExactlyTheLaterEventsInOrder() {
        try (TestApi api = TestApi.start(data)) {
            for (String name : List.of("after-a", "after-b", "after-c")) {
                assertThat(api.post("/api/v1/models", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
            }
            List<Long> all = seqs(api.get("/api/v1/events?limit=1000"));
            long from = all.get(0);
            List<Long> later = new ArrayList<>();
            String next = "/api/v1/events?limit=1&after=" + from;
            while (next != null) {
                Reply page = api.get(next);
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                later.addAll(seqs(page));
                JsonNode token = page.json().get("next_page_token");
                next = token == null || token.isNull() ? null : "/api/v1/events?limit=1&page_token=" + token.asText();
            }
            assertThat(later).isEqualTo(all.subList(1, all.size()));
            assertThat(seqs(api.get("/api/v1/events?after=" + all.get(all.size() - 1)))).isEmpty();

            Reply bad = api.get("/api/v1/events?after=x");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.errorMessage()).contains("after must be an event sequence number");
        }
    }

    @Test
    void theStreamSendsNewEventsAtOnceAndResumesWithoutGapOrDuplicate() throws Exception {
        try (TestApi api = TestApi.start(data)) {
            assertThat(api.post("/api/v1/models", "{\"name\":\"live\"}").status()).isEqualTo(201);
            api.register("live", "{}", "m.bin", BYTES);
            long seen;
            try (Sse sse = new Sse(api.stream("/api/v1/events/stream?model=live"))) {
                assertThat(sse.next().event).isEqualTo("MODEL_CREATED");
                Sse.Event last = sse.until("VERSION_COMMITTED");
                long start = System.nanoTime();
                assertThat(api.post("/api/v1/models/live/versions/1/stage", "{\"stage\":\"Production\"}").status())
                        .isEqualTo(200);
                Sse.Event moved = sse.next();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
                assertThat(moved.event).isEqualTo("STAGE_TRANSITION");
                assertThat(moved.id).isGreaterThan(last.id);
                assertThat(Json.mapper().readTree(moved.data).get("seq").asLong()).isEqualTo(moved.id);
                seen = last.id;
            }
            // Changes made while disconnected arrive after the reconnect, each once.
            assertThat(api.post("/api/v1/models/live/versions/1/stage", "{\"stage\":\"Archived\"}").status())
                    .isEqualTo(200);
            List<Long> expected = seqs(api.get("/api/v1/events?model=live&after=" + seen));
            try (Sse sse = new Sse(api.stream("/api/v1/events/stream?model=live", "Last-Event-ID",
                    Long.toString(seen)))) {
                assertThat(sse.take(expected.size())).isEqualTo(expected);
                assertThat(sse.poll(300)).isNull();
            }
        }
    }

    @Test
    void theStreamResumesAcrossARestartOnTheSameData() throws Exception {
        long seen;
        try (TestApi api = TestApi.start(data)) {
            assertThat(api.post("/api/v1/models", "{\"name\":\"before\"}").status()).isEqualTo(201);
            try (Sse sse = new Sse(api.stream("/api/v1/events/stream"))) {
                seen = sse.until("MODEL_CREATED").id;
            }
        }
        try (TestApi api = TestApi.start(data)) {
            assertThat(api.post("/api/v1/models", "{\"name\":\"after-restart\"}").status()).isEqualTo(201);
            try (Sse sse = new Sse(api.stream("/api/v1/events/stream", "Last-Event-ID", Long.toString(seen)))) {
                Sse.Event next = sse.next();
                assertThat(next.id).isEqualTo(seen + 1);
                assertThat(Json.mapper().readTree(next.data).get("model").asText()).isEqualTo("after-restart");
                assertThat(sse.poll(300)).isNull();
            }
        }
    }

    @Test
    void theStreamFiltersByModelAndKind() throws Exception {
        try (TestApi api = TestApi.start(data)) {
            for (String name : List.of("kept", "other")) {
                assertThat(api.post("/api/v1/models", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
                api.register(name, "{}", "m.bin", BYTES);
            }
            try (Sse sse = new Sse(api.stream("/api/v1/events/stream?model=kept&kind=STAGE_TRANSITION"))) {
                for (String name : List.of("other", "kept")) {
                    assertThat(api.post("/api/v1/models/" + name + "/versions/1/stage", "{\"stage\":\"Staging\"}")
                            .status()).isEqualTo(200);
                }
                Sse.Event moved = sse.next();
                assertThat(moved.event).isEqualTo("STAGE_TRANSITION");
                assertThat(Json.mapper().readTree(moved.data).get("model").asText()).isEqualTo("kept");
                assertThat(sse.poll(300)).isNull();
            }
        }
    }

    /**
     * A client that opens a stream and never reads fills its socket: it must not hold up the other streams, and it
     * is eventually cut; reconnecting from the last event it got, it gets the rest, none lost.
     */
    @Test
    void aClientThatStopsReadingNeitherStallsTheOthersNorLosesEvents() throws Exception {
        try (TestApi api = TestApi.start(data)) {
            assertThat(api.post("/api/v1/models", "{\"name\":\"big\"}").status()).isEqualTo(201);
            long start = seqs(api.get("/api/v1/events?model=big")).get(0);
            // Each update is an event of about 30 kB (10,000 three-byte characters); 400 of them outgrow any socket
            // buffers and the stream's queue.
            String description = "\u20ac".repeat(9_990);
            int updates = 400;
            try (Socket stuck = new Socket();
                 Sse healthy = new Sse(api.stream("/api/v1/events/stream?model=big", "Last-Event-ID",
                         Long.toString(start)))) {
                stuck.setReceiveBufferSize(4096);
                URI base = URI.create(api.server.url());
                stuck.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
                // HTTP/1.0: the stream is the raw body, not chunked, and ends when the server closes the connection.
                stuck.getOutputStream().write(("GET /api/v1/events/stream?model=big&after=" + start + " HTTP/1.0\r\n"
                        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                stuck.getOutputStream().flush();
                for (int i = 0; i < updates; i++) {
                    Reply updated = api.patch("/api/v1/models/big", "{\"description\":\"" + i + description + "\"}");
                    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
                    // The healthy stream keeps up while the stuck one is stuck (a stalled one would wait 30 s).
                    Sse.Event event = healthy.next(10_000);
                    assertThat(event.event).isEqualTo("MODEL_UPDATED");
                    assertThat(Json.mapper().readTree(event.data).get("payload").get("description").asText())
                            .startsWith(Integer.toString(i));
                }

                // Nothing more is written: only a stream the server dropped ends (a live one sends keep-alives).
                List<Long> received = readUntilClosed(stuck, 120_000);
                List<Long> all = seqs(api.get("/api/v1/events?model=big&limit=1000&after=" + start));
                assertThat(all).hasSize(updates);
                assertThat(received).as("the stuck client was cut before it got everything").hasSizeLessThan(updates);
                assertThat(received).isEqualTo(all.subList(0, received.size()));
                long resumeFrom = received.isEmpty() ? start : received.get(received.size() - 1);
                List<Long> rest = all.subList(received.size(), all.size());
                try (Sse resumed = new Sse(api.stream("/api/v1/events/stream?model=big", "Last-Event-ID",
                        Long.toString(resumeFrom)))) {
                    assertThat(resumed.take(rest.size())).isEqualTo(rest);
                }
            }
        }
    }

    /** The ids of the complete events on a raw HTTP/1.0 stream, read until the server closes it. */
    private static List<Long> readUntilClosed(Socket socket, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[65_536];
        try {
            while (true) {
                // A stream still open gets a keep-alive every 15 s, so the deadline is for the whole read.
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException("still open after " + timeoutMillis + " ms");
                }
                socket.setSoTimeout((int) left);
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not drop a stream whose client stopped reading", e);
        } catch (IOException reset) {
            // cut by the server: what arrived before is what counts
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        List<Long> ids = new ArrayList<>();
        // Only events followed by their blank line arrived whole; the last one may have been cut off.
        String[] blocks = body.split("\n\n", -1);
        for (int i = 0; i < blocks.length - 1; i++) {
            for (String line : blocks[i].split("\n")) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).trim()));
                }
            }
        }
        return ids;
    }

    @Test
    void badResumePointsAndMissingCredentialsAreRefused() {
        try (TestApi api = TestApi.startWithAuth(data, "feed-admin-token-0123456789abcdef")) {
            Reply anonymous = api.streamReply("/api/v1/events/stream");
            assertThat(anonymous.status()).isEqualTo(401);
            String[] admin = TestApi.bearer("feed-admin-token-0123456789abcdef");
            Reply badHeader = api.streamReply("/api/v1/events/stream", "Authorization", admin[1], "Last-Event-ID", "-1");
            assertThat(badHeader.status()).isEqualTo(400);
            assertThat(badHeader.errorMessage()).contains("Last-Event-ID must be an event sequence number");
            Reply badQuery = api.streamReply("/api/v1/events/stream?after=abc", admin);
            assertThat(badQuery.status()).isEqualTo(400);
            assertThat(badQuery.errorMessage()).contains("after must be an event sequence number");
        }
    }

    private static List<Long> seqs(Reply page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<Long> seqs = new ArrayList<>();
        page.json().get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
        return seqs;
    }

    /** Reads a stream's events on a thread of its own. */
    private static final class Sse implements AutoCloseable {
        record Event(long id, String event, String data) {}

        private final Stream<String> lines;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        Sse(HttpResponse<Stream<String>> response) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            this.lines = response.body();
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            String id = null;
            String event = null;
            String data = null;
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5).trim();
                    } else if (line.isEmpty() && data != null) {
                        events.add(new Event(Long.parseLong(id), event, data));
                        id = event = data = null;
                    }
                }
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        }

        Event poll(long millis) throws InterruptedException {
            return events.poll(millis, TimeUnit.MILLISECONDS);
        }

        Event next() throws InterruptedException {
            return next(5_000);
        }

        Event next(long millis) throws InterruptedException {
            Event event = poll(millis);
            assertThat(event).as("an event within " + millis + " ms").isNotNull();
            return event;
        }

        Event until(String kind) throws InterruptedException {
            Event event = next();
            while (!event.event.equals(kind)) {
                event = next();
            }
            return event;
        }

        List<Long> take(int count) throws InterruptedException {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(next().id);
            }
            return ids;
        }

        @Override
        public void close() {
            lines.close();
        }
    }
}
