package dev.cairn.server.internal.audit;

import dev.cairn.core.RegistryService;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Wire;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of {@code GET /api/v1/events/stream}, all served by one thread so that an idle stream holds none.
 * That thread wakes on this process's writes and every {@link RegistryService#CHANGE_POLL} (other replicas' writes),
 * reads the events after the newest it knows once for all streams, and sends each stream those matching its filter.
 * A stream behind that point (just opened, resuming) reads its own events from the database until it catches up. The
 * database is the only source, so a stream resumes from any sequence number on any replica, after any restart.
 */
final class EventStreams implements AutoCloseable {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    private final RegistryService service;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final Thread pump;
    private volatile boolean closed;
    /** The newest sequence number read; used by the pump thread only. */
    private long head;
    private long lastKeepAlive = System.nanoTime();

    /** One client: everything matching {@code filter} up to {@code position} has been sent. Pump thread only. */
    private static final class Stream {
        final SseClient client;
        final EventFilter filter;
        long position;

        Stream(SseClient client, EventFilter filter, long position) {
            this.client = client;
            this.filter = filter;
            this.position = position;
        }
    }

    EventStreams(RegistryService service) {
        this.service = service;
        this.pump = new Thread(this::run, "cairn-event-streams");
        pump.setDaemon(true);
        pump.start();
    }

    /** Answers the request with a stream of the events matching {@code filter} after sequence number {@code after}. */
    void open(Context ctx, EventFilter filter, long after) throws Exception {
        new SseHandler(client -> {
            client.keepAlive(); // the handler returns; the pump writes to the client from now on
            Stream stream = new Stream(client, filter, after);
            client.onClose(() -> streams.remove(stream));
            streams.add(stream);
            if (closed) {
                client.close();
            }
        }).handle(ctx);
    }

    private void run() {
        while (!closed) {
            long seen = service.changeCount();
            boolean more = false;
            try {
                more = !streams.isEmpty() && pumpOnce();
                keepAlive();
            } catch (RuntimeException e) {
                log.warn("reading events for open streams failed; retrying", e);
            }
            if (!more) {
                awaitWork(seen);
            }
        }
    }

    /** Waits for a write here or the poll interval (which also bounds how long a new stream waits for its start). */
    private void awaitWork(long seen) {
        service.awaitChange(seen, RegistryService.CHANGE_POLL);
    }

    /** Sends what is new; returns true when there is more to read right away. */
    private boolean pumpOnce() {
        List<Event> fresh = service.eventsAfter(EventFilter.ALL, head, PAGE).items();
        boolean complete = fresh.size() < PAGE;
        long before = head;
        head = fresh.isEmpty() ? head : fresh.get(fresh.size() - 1).seq();
        boolean more = !complete;
        for (Stream stream : streams) {
            if (stream.position >= before && complete) {
                for (Event event : fresh) {
                    if (event.seq() > stream.position && matches(stream.filter, event)) {
                        send(stream, event);
                    }
                }
                stream.position = Math.max(stream.position, head);
            } else {
                more |= catchUp(stream);
            }
        }
        return more;
    }

    /** Reads one page of a stream's own events; every event up to {@code head} was committed before this read. */
    private boolean catchUp(Stream stream) {
        List<Event> events = service.eventsAfter(stream.filter, stream.position, PAGE).items();
        events.forEach(event -> send(stream, event));
        if (events.size() == PAGE) {
            stream.position = events.get(PAGE - 1).seq();
            return true;
        }
        stream.position = Math.max(stream.position, head);
        return false;
    }

    private void send(Stream stream, Event event) {
        if (stream.client.terminated()) {
            streams.remove(stream);
            return;
        }
        String json = new String(JsonReply.serialize(Wire.event(event)), StandardCharsets.UTF_8);
        stream.client.sendEvent(event.kind().name(), json, Long.toString(event.seq()));
    }

    private void keepAlive() {
        if (System.nanoTime() - lastKeepAlive < KEEP_ALIVE.toNanos()) {
            return;
        }
        lastKeepAlive = System.nanoTime();
        for (Stream stream : streams) {
            stream.client.sendComment("keep-alive");
            if (stream.client.terminated()) {
                streams.remove(stream);
            }
        }
    }

    private static boolean matches(EventFilter filter, Event event) {
        return (filter.model() == null || filter.model().equals(event.model()))
                && (filter.kinds().isEmpty() || filter.kinds().contains(event.kind()));
    }

    @Override
    public void close() {
        closed = true;
        pump.interrupt();
        streams.forEach(stream -> stream.client.close());
        streams.clear();
    }
}
