package dev.cairn.server.internal.resolve;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.resolve.Reference;
import dev.cairn.core.resolve.Resolution;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.IfNoneMatch;
import dev.cairn.server.internal.http.JsonReply;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/resolve}: the hot path of serving layers, polled with If-None-Match or long-polled with
 * {@code wait}. Long polls wait on their own bounded pool so they never hold the threads that answer plain requests.
 * When the server stops, {@link #endLongPolls()} answers the waiting ones with the current state (304 when
 * unchanged) while the store is still open, so a follower simply polls again (and backs off while the server is down).
 */
public final class ResolveRoutes implements AutoCloseable {
    public static final int MAX_WAIT_SECONDS = 60;
    private static final int MAX_LONG_POLLS = 1024;
    /** How long stopping waits for the long polls it ended to be answered. */
    private static final Duration END_GRACE = Duration.ofSeconds(5);

    private final RegistryService service;
    private final ResolvedBodies bodies = new ResolvedBodies();
    private final ThreadPoolExecutor longPolls;
    private volatile boolean ending;

    public ResolveRoutes(RegistryService service) {
        this.service = service;
        AtomicInteger count = new AtomicInteger();
        this.longPolls = new ThreadPoolExecutor(0, MAX_LONG_POLLS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "cairn-long-poll-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/resolve", Access.AUTHENTICATED, this::resolve));
    }

    private void resolve(Context ctx) {
        ApiRequest request = ApiRequest.of(ctx);
        String ref = request.query("ref");
        if (ref == null || ref.isBlank()) {
            throw RegistryException.invalid("ref is required: models:/NAME/VERSION, models:/NAME/Production, "
                    + "models:/NAME/latest or models:/NAME@ALIAS");
        }
        Reference reference = Reference.parse(ref);
        Integer wait = waitSeconds(ctx.queryParam("wait"));
        String ifNoneMatch = ctx.header("If-None-Match");
        Resolution now = service.resolve(reference);
        if (wait == null || wait == 0 || ending || !IfNoneMatch.matches(ifNoneMatch, now.etag())) {
            answer(ctx, now, ifNoneMatch);
            return;
        }
        CompletableFuture<Resolution> next;
        try {
            next = CompletableFuture.supplyAsync(
                    () -> service.awaitChange(reference, now.etag(), Duration.ofSeconds(wait)), longPolls);
        } catch (RejectedExecutionException full) {
            if (ending) {
                answer(ctx, now, ifNoneMatch);
                return;
            }
            throw new RegistryException(ErrorCode.UNAVAILABLE, "too many clients are waiting for changes; retry without "
                    + "wait or later");
        }
        ctx.future(() -> next.thenAccept(resolution -> answer(ctx, resolution, ifNoneMatch)));
    }

    /** {@code wait} in whole seconds, written {@code 30} or {@code 30s}. */
    private static Integer waitSeconds(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String digits = text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
        if (!digits.matches("[0-9]{1,4}") || Integer.parseInt(digits) > MAX_WAIT_SECONDS) {
            throw RegistryException.invalid("wait must be between 0 and " + MAX_WAIT_SECONDS
                    + " seconds (for example 30 or 30s), got '" + text + "'");
        }
        return Integer.parseInt(digits);
    }

    private void answer(Context ctx, Resolution resolution, String ifNoneMatch) {
        ctx.header("ETag", resolution.etag());
        ctx.header("Cache-Control", "no-cache");
        if (IfNoneMatch.matches(ifNoneMatch, resolution.etag())) {
            ctx.status(304);
            return;
        }
        JsonReply.bytes(ctx, 200, bodies.get(resolution));
    }

    /**
     * Answers every waiting long poll now with the current state, and any later one without waiting; returns once
     * they are answered (or after a short grace). Done before the server stops and the store closes.
     */
    public void endLongPolls() {
        ending = true;
        longPolls.shutdownNow(); // an interrupted wait resolves once more and returns (RegistryService.awaitChange)
        try {
            longPolls.awaitTermination(END_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        endLongPolls();
    }
}
