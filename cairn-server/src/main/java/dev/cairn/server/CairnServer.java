package dev.cairn.server;

import dev.cairn.core.RegistryService;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.server.internal.RestApi;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the metadata store ({@code DATA/cairn.db}), the blob store ({@code DATA/blobs}), the
 * registry service and the HTTP app, and owns their lifecycle. {@code cairn serve} and the tests both start the server
 * through {@link #start(ServerConfig)}.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);

    private final ServerConfig config;
    private final JdbcMetadataStore store;
    private final RestApi api;
    private final Javalin app;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private CairnServer(ServerConfig config, JdbcMetadataStore store, RestApi api, Javalin app) {
        this.config = config;
        this.store = store;
        this.api = api;
        this.app = app;
    }

    /** Opens the data directory (creating it when missing), starts listening and logs the URL. */
    public static CairnServer start(ServerConfig config) {
        Path data = config.dataDir().toAbsolutePath().normalize();
        Path blobRoot = data.resolve("blobs");
        try {
            Files.createDirectories(blobRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + blobRoot, e);
        }
        JdbcMetadataStore store = JdbcMetadataStore.sqlite(data.resolve("cairn.db"));
        RestApi api = null;
        try {
            FileBlobStore blobs = new FileBlobStore(blobRoot);
            RegistryService service = new RegistryService(store, blobs, Clock.systemUTC());
            TrackingService tracking = new TrackingService(store, blobs, Clock.systemUTC());
            api = new RestApi(service, tracking, blobRoot);
            Javalin app = api.create(config.host(), config.port());
            app.start();
            CairnServer server = new CairnServer(config, store, api, app);
            LOG.info("Cairn is serving {} at {}", data, server.url());
            return server;
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            store.close();
            throw e;
        }
    }

    /** The port the server listens on: the configured one, or the one chosen when configured with port 0. */
    public int port() {
        return app.port();
    }

    /** The base URL clients use, such as {@code http://127.0.0.1:8080}. */
    public String url() {
        return config.url(port());
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Blocks until {@link #close()} is called, closing the server cleanly when the JVM is asked to exit (Ctrl-C,
     * SIGTERM), so the database is left consistent.
     */
    public void awaitStop() throws InterruptedException {
        Thread hook = new Thread(this::close, "cairn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }

    /** Stops accepting requests, finishes the ones in flight, then closes the database. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            app.stop();
            api.close();
            store.close();
            LOG.info("Cairn stopped");
        } finally {
            stopped.countDown();
        }
    }
}
