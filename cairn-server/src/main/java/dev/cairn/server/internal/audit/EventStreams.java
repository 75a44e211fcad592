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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of {@code GET /api/v1/events/stream}. One pump thread wakes on this process's writes and every
 * {@link RegistryService#CHANGE_POLL} (other replicas' writes), reads the events after the newest it knows once for
 * all streams, and queues each stream those matching its filter. A stream behind that point (just opened, resuming)
 * reads its own events from the database until it catches up. The database is the only source, so a stream resumes
 * from any sequence number on any replica, after any restart.
 *
 * <p>The pump never writes to a socket: each stream has a bounded queue, drained by a small pool of writers, at most
 * one per stream at a time, and only while it has something to send, so an idle stream holds no thread. A client
 * that stops reading cannot stall the others: its queue fills and the stream is cut (it resumes with
 * {@code Last-Event-ID}, losing nothing), and a write stuck on it fails after {@link #WRITE_TIMEOUT}.
 */
final class EventStreams implements AutoCloseable {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** How long a stream's connection may make no progress; healthy streams send a keep-alive well within it. */
    static final Duration WRITE_TIMEOUT = KEEP_ALIVE.multipliedBy(2);
    /** Characters queued for one stream beyond which a live stream is cut and a catching-up one reads no further. */
    static final long MAX_QUEUED_CHARS = 1L << 20;
    private static final int PAGE = 500;
    private static final int WRITERS = 8;
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    private final RegistryService service;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor writers;
    private final Thread pump;
    private volatile boolean closed;
    /** The newest sequence number read, -1 until the first read; used by the pump thread only. */
    private long head = -1;
    private long lastKeepAlive = System.nanoTime();

    /** An SSE message as the client will get it: an event, or a keep-alive comment when {@code event} is null. */
    private record Frame(String event, String data, String id) {
        static final Frame KEEP_ALIVE = new Frame(null, "keep-alive", null);

        long size() {
            return data.length();
        }

        void writeTo(SseClient client) {
            if (event == null) {
                client.sendComment(data);
            } else {
                client.sendEvent(event, data, id);
            }
        }
    }

    /**
     * One client. Everything matching {@code filter} up to {@code position} has been queued (pump thread only);
     * {@code queue} holds what is not yet written, {@code writing} is set while a writer drains it.
     */
    private static final class Stream {
        final SseClient client;
        final EventFilter filter;
        final EndPoint endPoint;
        final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong queuedChars = new AtomicLong();
        final AtomicBoolean writing = new AtomicBoolean();
        volatile boolean cut;
        /** Set when the server ends the stream itself (stopping) and the client is still reading. */
        volatile boolean endingCleanly;
        long position;

        Stream(SseClient client, EventFilter filter, EndPoint endPoint, long position) {
            this.client = client;
            this.filter = filter;
            this.endPoint = endPoint;
            this.position = position;
        }

        boolean hasRoom() {
            return queuedChars.get() < MAX_QUEUED_CHARS;
        }
    }

    EventStreams(RegistryService service) {
        this.service = service;
        AtomicInteger count = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(WRITERS, WRITERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "cairn-event-writer-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        writers.allowCoreThreadTimeOut(true);
        this.pump = new Thread(this::run, "cairn-event-streams");
        pump.setDaemon(true);
        pump.start();
    }

    /** Answers the request with a stream of the events matching {@code filter} after sequence number {@code after}. */
    void open(Context ctx, EventFilter filter, long after) throws Exception {
        EndPoint endPoint = endPoint(ctx);
        long serverIdleTimeout = endPoint == null ? 0 : endPoint.getIdleTimeout();
        if (endPoint != null) {
            // The server-wide idle timeout is longer (it must outlast a long poll); a stream sends keep-alives.
            endPoint.setIdleTimeout(WRITE_TIMEOUT.toMillis());
        }
        new SseHandler(client -> {
            client.keepAlive(); // the handler returns; the writers write to the client from now on
            Stream stream = new Stream(client, filter, endPoint, after);
            client.onClose(() -> {
                streams.remove(stream);
                if (endPoint == null) {
                    return;
                }
                if (stream.endingCleanly) {
                    endPoint.setIdleTimeout(serverIdleTimeout); // the connection may carry other requests now
                } else {
                    // A failed or timed-out write: completing the response would wait on the same full socket.
                    endPoint.close();
                }
            });
            streams.add(stream);
            if (closed) {
                client.close();
            }
        }).handle(ctx);
    }

    private static EndPoint endPoint(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request == null ? null : request.getConnectionMetaData().getConnection().getEndPoint();
    }

    private void run() {
        while (!closed) {
            long seen = service.changeCount();
            boolean more = false;
            try {
                if (head < 0) {
                    head = service.lastEventSeq(); // new events only: a stream behind it reads its own history
                }
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

    /** Queues what is new; returns true when there is more to read right away. */
    private boolean pumpOnce() {
        List<Event> fresh = service.eventsAfter(EventFilter.ALL, head, PAGE).items();
        boolean complete = fresh.size() < PAGE;
        long before = head;
        head = fresh.isEmpty() ? head : fresh.get(fresh.size() - 1).seq();
        List<Frame> frames = fresh.stream().map(EventStreams::frame).toList();
        boolean more = !complete;
        for (Stream stream : streams) {
            if (stream.position >= before && complete) {
                for (int i = 0; i < fresh.size(); i++) {
                    Event event = fresh.get(i);
                    if (event.seq() > stream.position && matches(stream.filter, event)) {
                        offer(stream, frames.get(i));
                    }
                }
                stream.position = Math.max(stream.position, head);
                write(stream);
            } else {
                more |= catchUp(stream);
            }
        }
        return more;
    }

    /**
     * Queues one page of a stream's own events, stopping while its queue is full: a stream catching up is never cut,
     * the pump reads on at its next poll. Every event up to {@code head} was committed before this read. Returns true
     * when the next page can be read right away.
     */
    private boolean catchUp(Stream stream) {
        if (!stream.hasRoom()) {
            return false;
        }
        List<Event> events = service.eventsAfter(stream.filter, stream.position, PAGE).items();
        for (Event event : events) {
            if (!stream.hasRoom()) {
                write(stream);
                return false;
            }
            offer(stream, frame(event));
            stream.position = event.seq();
        }
        write(stream);
        if (events.size() == PAGE) {
            return true;
        }
        stream.position = Math.max(stream.position, head);
        return false;
    }

    private static Frame frame(Event event) {
        String json = new String(JsonReply.serialize(Wire.event(event)), StandardCharsets.UTF_8);
        return new Frame(event.kind().name(), json, Long.toString(event.seq()));
    }

    /** Queues a frame; a stream whose client has fallen too far behind is cut instead. */
    private void offer(Stream stream, Frame frame) {
        if (stream.cut) {
            return;
        }
        if (stream.client.terminated()) {
            streams.remove(stream);
            return;
        }
        if (stream.queuedChars.addAndGet(frame.size()) > MAX_QUEUED_CHARS + frame.size()) {
            cut(stream);
            return;
        }
        stream.queue.add(frame);
    }

    /**
     * Drops a stream whose client reads too slowly: closing its connection fails a write stuck on it at once. The
     * client reconnects with the {@code Last-Event-ID} it last received and reads the rest from the database.
     */
    private void cut(Stream stream) {
        stream.cut = true;
        streams.remove(stream);
        stream.queue.clear();
        log.info("cut an event stream whose client fell {} characters behind", stream.queuedChars.get());
        if (stream.endPoint != null) {
            stream.endPoint.close();
        }
        write(stream); // a writer closes the client, off the pump thread
    }

    /** Starts a writer on the stream unless one is at work on it already. */
    private void write(Stream stream) {
        if ((stream.queue.isEmpty() && !stream.cut) || !stream.writing.compareAndSet(false, true)) {
            return;
        }
        try {
            writers.execute(() -> drain(stream));
        } catch (RejectedExecutionException shuttingDown) {
            stream.writing.set(false);
        }
    }

    /** Writes the stream's queue until it is empty; blocks while the client's socket is full (writer thread). */
    private void drain(Stream stream) {
        while (true) {
            Frame frame;
            while (!stream.cut && (frame = stream.queue.poll()) != null) {
                if (stream.client.terminated()) {
                    streams.remove(stream);
                    stream.queue.clear();
                    break;
                }
                frame.writeTo(stream.client); // a failed write closes the client, which removes the stream
                stream.queuedChars.addAndGet(-frame.size());
            }
            if (stream.cut) {
                stream.client.close();
                return;
            }
            stream.writing.set(false);
            if (stream.queue.isEmpty() || !stream.writing.compareAndSet(false, true)) {
                return; // nothing left, or the pump started another writer after the flag was cleared
            }
        }
    }

    private void keepAlive() {
        if (System.nanoTime() - lastKeepAlive < KEEP_ALIVE.toNanos()) {
            return;
        }
        lastKeepAlive = System.nanoTime();
        for (Stream stream : streams) {
            if (stream.queue.isEmpty()) { // a stream with data waiting will show progress, or time out
                offer(stream, Frame.KEEP_ALIVE);
                write(stream);
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
        writers.shutdownNow();
        for (Stream stream : streams) {
            // A client that is reading gets the end of its response; one that has data waiting is cut off.
            stream.endingCleanly = stream.queue.isEmpty();
            stream.client.close();
        }
        streams.clear();
    }
}
