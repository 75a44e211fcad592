package dev.cairn.client;

import dev.cairn.api.ApiModels.FileInfo;
import dev.cairn.api.ApiModels.Heartbeat;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.client.internal.BlobCache;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A model that follows a reference ({@code models:/fraud@production}, {@code models:/fraud/Production}): it loads
 * the version the reference selects, then long-polls the server and swaps in the next version whenever the reference
 * moves — a promotion, an alias change, a rollback.
 *
 * <pre>{@code
 * try (LiveModel<Scorer> fraud = LiveModel.follow(client, "models:/fraud@production", Path.of("/var/cache/cairn"),
 *         (dir, version) -> Scorer.read(dir.resolve("model.bin")))) {
 *     double score = fraud.current().model().score(features);
 * }
 * }</pre>
 *
 * <p><b>Swaps.</b> {@link #current()} answers an immutable {@link Loaded} read from one atomic reference: readers
 * never block and never see a version whose loader has not returned. A download or load that fails leaves the
 * previous version serving; the failure goes to the listeners and to {@link #lastError()}. An unreachable or
 * restarted server is retried with capped exponential backoff, and following resumes when it answers again.
 *
 * <p><b>Files.</b> Each version's files are fetched into a content-addressed cache under {@code cacheDir}
 * ({@code blobs/<sha256>}, verified on every use; {@code versions/<digest>/<path>} for the loader), so a rollback to
 * a cached version downloads nothing, and an interrupted download continues where it stopped with a Range request.
 * Use one {@code cacheDir} per process.
 *
 * <p><b>Closing.</b> {@link #close()} stops following promptly. LiveModel never closes the models it loaded, because
 * a reader may still be using a swapped-out model; close them from {@link Listener#swapped} (or after
 * {@link #close()}) when your readers are done with them.
 *
 * <p><b>Deployment record.</b> After the first load, after every swap and every {@code heartbeatEvery} (30 s by
 * default) the instance reports to the registry which version it serves and since when, under {@link #instanceId()},
 * so {@code cairn deployments NAME} and the model's page show what is live where. Heartbeats go from a thread of their
 * own: a slow or failing registry never delays readers or swaps, and a failed heartbeat is only logged (at debug).
 *
 * <p>Listeners run on the watcher thread (on the caller's thread for the first load), so they should be quick.
 */
public final class LiveModel<M> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveModel.class.getName());

    /** Builds the caller's model from a version's files in {@code versionDir}. May throw; the previous version stays. */
    @FunctionalInterface
    public interface Loader<M> {
        M load(Path versionDir, Version version) throws Exception;
    }

    /** A version and the model loaded from it: what {@link #current()} answers. */
    public record Loaded<M>(Version version, M model) {
        public Loaded {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * A failure to follow: {@code version} is the version that could not be downloaded or loaded, or null when the
     * server could not be asked.
     */
    public record Failure(Version version, Exception error, Instant at) {}

    /** Told about swaps and failures; both methods do nothing unless overridden. */
    public interface Listener<M> {
        default void swapped(Loaded<M> previous, Loaded<M> current) {}

        default void failed(Failure failure) {}
    }

    /**
     * How to follow: {@code pollWait} is how long one long poll waits for a change (at most 60 s); failed polls are
     * retried after {@code minBackoff}, doubling up to {@code maxBackoff}. The instance reports what it serves every
     * {@code heartbeatEvery} (zero: never) as {@code instanceId} (null: {@code <hostname>-<8 random hex digits>}).
     */
    public record Options(Duration pollWait, Duration minBackoff, Duration maxBackoff, Duration heartbeatEvery,
                          String instanceId) {
        /** Heartbeats every 30 s under a generated instance id. */
        public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(30);

        public Options {
            Objects.requireNonNull(pollWait, "pollWait");
            Objects.requireNonNull(minBackoff, "minBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
            if (heartbeatEvery.isNegative() || (!heartbeatEvery.isZero() && heartbeatEvery.toMillis() < 100)) {
                throw new IllegalArgumentException("heartbeatEvery must be zero (off) or at least 100 ms, got "
                        + heartbeatEvery);
            }
            if (instanceId != null && (instanceId.isBlank() || instanceId.length() > 200
                    || instanceId.chars().anyMatch(Character::isISOControl))) {
                throw new IllegalArgumentException("instanceId must be 1 to 200 printable characters, got '"
                        + instanceId + "'");
            }
            if (pollWait.toSeconds() < 1 || pollWait.toSeconds() > 60) {
                throw new IllegalArgumentException("pollWait must be between 1 and 60 seconds, got " + pollWait);
            }
            if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("backoff must satisfy 0 < minBackoff <= maxBackoff, got "
                        + minBackoff + " and " + maxBackoff);
            }
        }

        /** Heartbeats every {@link #HEARTBEAT_EVERY} under a generated instance id. */
        public Options(Duration pollWait, Duration minBackoff, Duration maxBackoff) {
            this(pollWait, minBackoff, maxBackoff, HEARTBEAT_EVERY, null);
        }

        /** 30 s long polls; retries after 100 ms, doubling up to 5 s; heartbeats every 30 s. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5));
        }

        /** These options with heartbeats every {@code every} (zero: no heartbeats). */
        public Options withHeartbeatEvery(Duration every) {
            return new Options(pollWait, minBackoff, maxBackoff, every, instanceId);
        }

        /** These options reporting as {@code id} (a pod name, say) instead of a generated id. */
        public Options withInstanceId(String id) {
            return new Options(pollWait, minBackoff, maxBackoff, heartbeatEvery, id);
        }
    }

    private final CairnClient client;
    private final String reference;
    private final Loader<M> loader;
    private final Options options;
    private final BlobCache cache;
    private final AtomicReference<Loaded<M>> current = new AtomicReference<>();
    private final List<Listener<M>> listeners = new CopyOnWriteArrayList<>();
    private final Thread watcher;
    private final String instanceId;
    private final String host;
    /** Sends heartbeats, one at a time, off the readers' and the watcher's path; null when they are off. */
    private final ScheduledExecutorService heartbeats;
    /** When the version serving now started serving. */
    private volatile Instant servingSince;
    private volatile Failure lastError;
    /** True while lastError is a connection failure, which a successful poll clears (a load failure stays). */
    private volatile boolean lastErrorIsConnection;
    private volatile boolean closed;
    private String etag;

    private LiveModel(CairnClient client, String reference, Path cacheDir, Loader<M> loader, Options options) {
        this.client = Objects.requireNonNull(client, "client");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.options = Objects.requireNonNull(options, "options");
        this.cache = new BlobCache(Objects.requireNonNull(cacheDir, "cacheDir"));
        this.watcher = new Thread(this::follow, "cairn-live-model " + reference);
        this.watcher.setDaemon(true);
        this.host = hostName();
        this.instanceId = options.instanceId() != null ? options.instanceId()
                : host + "-" + randomHex();
        this.heartbeats = options.heartbeatEvery().isZero() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cairn-heartbeat " + reference);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@link #follow(CairnClient, String, Path, Loader, Options)} with {@link Options#defaults()}. */
    public static <M> LiveModel<M> follow(CairnClient client, String reference, Path cacheDir, Loader<M> loader) {
        return follow(client, reference, cacheDir, loader, Options.defaults());
    }

    /**
     * Resolves {@code reference}, downloads and loads its version on the calling thread, then follows it in the
     * background. Throws when that first version cannot be resolved, downloaded or loaded: there is nothing to serve.
     */
    public static <M> LiveModel<M> follow(CairnClient client, String reference, Path cacheDir, Loader<M> loader,
                                          Options options) {
        LiveModel<M> live = new LiveModel<>(client, reference, cacheDir, loader, options);
        Resolution first = client.resolve(reference);
        try {
            live.current.set(live.load(first.version()));
        } catch (RuntimeException e) {
            live.stopHeartbeats();
            throw e;
        } catch (Exception e) {
            live.stopHeartbeats();
            throw new IllegalStateException("cannot load " + describe(first.version()) + ": " + e.getMessage(), e);
        }
        live.servingSince = Instant.now();
        live.etag = first.etag();
        live.watcher.start();
        if (live.heartbeats != null) {
            long every = options.heartbeatEvery().toMillis();
            live.heartbeats.scheduleWithFixedDelay(live::heartbeat, 0, every, TimeUnit.MILLISECONDS);
        }
        return live;
    }

    /** The version serving now and its model; never null, never half loaded. */
    public Loaded<M> current() {
        return current.get();
    }

    /** The latest failure to follow, until a later swap (or, for a connection failure, a later poll) succeeds. */
    public Optional<Failure> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Bytes this LiveModel downloaded from the server; versions found in the cache add nothing. */
    public long downloadedBytes() {
        return cache.downloadedBytes();
    }

    public String reference() {
        return reference;
    }

    /** The id this instance reports its heartbeats under: from {@link Options#withInstanceId}, or generated. */
    public String instanceId() {
        return instanceId;
    }

    public void addListener(Listener<M> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener<M> listener) {
        listeners.remove(listener);
    }

    /** Stops following: interrupts the long poll and waits briefly for the watcher to end. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        stopHeartbeats();
        watcher.interrupt();
        try {
            watcher.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() {
        Duration backoff = options.minBackoff();
        while (!closed) {
            Optional<Resolution> change;
            try {
                change = client.watch(reference, etag, options.pollWait());
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                fail(null, e, true);
                if (!sleep(backoff)) {
                    return;
                }
                backoff = min(backoff.multipliedBy(2), options.maxBackoff());
                continue;
            }
            backoff = options.minBackoff();
            if (lastErrorIsConnection) {
                lastError = null;
                lastErrorIsConnection = false;
            }
            if (change.isPresent()) {
                apply(change.get());
            }
        }
    }

    /**
     * Swaps to the version of a new resolution. A download cut off by the server going away is retried (the etag is
     * kept); a version that cannot be verified or loaded is skipped until the reference moves again.
     */
    private void apply(Resolution resolution) {
        Version next = resolution.version();
        Loaded<M> previous = current.get();
        if (sameVersion(previous.version(), next)) {
            etag = resolution.etag();
            return;
        }
        Loaded<M> loaded;
        try {
            loaded = load(next);
        } catch (CairnConnectionException e) {
            fail(next, e, true);
            sleep(options.minBackoff());
            return;
        } catch (Exception e) {
            etag = resolution.etag();
            fail(next, e, false);
            return;
        }
        etag = resolution.etag();
        if (closed) {
            return;
        }
        servingSince = Instant.now();
        current.set(loaded);
        lastError = null;
        lastErrorIsConnection = false;
        heartbeatSoon();
        LOG.log(System.Logger.Level.INFO, "{0} now serves {1}", reference, describe(next));
        for (Listener<M> listener : listeners) {
            try {
                listener.swapped(previous, loaded);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a LiveModel listener failed on a swap", e);
            }
        }
    }

    /** Queues a heartbeat now (after a swap), without waiting for it. */
    private void heartbeatSoon() {
        if (heartbeats != null) {
            try {
                heartbeats.execute(this::heartbeat);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: nothing to report
            }
        }
    }

    /** Reports what serves now. Never throws: serving goes on whether the registry hears about it or not. */
    private void heartbeat() {
        if (closed) {
            return;
        }
        Version version = current.get().version();
        try {
            client.heartbeat(new Heartbeat(instanceId, version.name(), version.version(), reference,
                    servingSince.toString(), host));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "heartbeat of " + instanceId + " for " + reference + " failed: "
                    + e.getMessage());
        }
    }

    private void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The host name, from the environment when it says (containers do), else from the system. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return "unknown-host";
        }
    }

    private Loaded<M> load(Version version) throws Exception {
        List<FileInfo> files = version.files() != null ? version.files()
                : client.listFiles(version.name(), version.version());
        Path dir = cache.assemble(version, files, client::openFile);
        M model = loader.load(dir, version);
        if (model == null) {
            throw new IllegalStateException("the loader returned null for " + describe(version));
        }
        return new Loaded<>(version, model);
    }

    private void fail(Version version, Exception error, boolean connection) {
        Failure failure = new Failure(version, error, Instant.now());
        lastError = failure;
        lastErrorIsConnection = connection;
        LOG.log(System.Logger.Level.WARNING, "following " + reference + (version == null ? "" : ": cannot load "
                + describe(version)) + ": " + error.getMessage());
        for (Listener<M> listener : listeners) {
            try {
                listener.failed(failure);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a LiveModel listener failed on a failure", e);
            }
        }
    }

    /** Sleeps unless closed; false when the wait was cut short by {@link #close()}. */
    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static boolean sameVersion(Version a, Version b) {
        return a.name().equals(b.name()) && a.version() == b.version();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String describe(Version version) {
        return version.name() + " version " + version.version();
    }
}
