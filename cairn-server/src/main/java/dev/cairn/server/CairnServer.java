package dev.cairn.server;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.core.webhook.ReceiverAddresses;
import dev.cairn.core.webhook.SecretSeal;
import dev.cairn.core.webhook.WebhookService;
import dev.cairn.server.internal.RestApi;
import dev.cairn.server.internal.webhooks.WebhookDispatcher;
import dev.cairn.server.internal.webhooks.WebhookSender;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the metadata store (the embedded SQLite file {@code DATA/cairn.db}, or PostgreSQL), the
 * blob store ({@code DATA/blobs}, another directory, or an S3 bucket), the registry and governance services and the HTTP
 * app, and owns their lifecycle. {@code cairn serve} and the tests both start the server through {@link #start(ServerConfig)}.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);

    private final ServerConfig config;
    private final JdbcMetadataStore store;
    private final BlobBackend blobs;
    private final RestApi api;
    private final Javalin app;
    private final WebhookDispatcher webhookDispatcher;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private CairnServer(ServerConfig config, JdbcMetadataStore store, BlobBackend blobs, RestApi api, Javalin app,
                        WebhookDispatcher webhookDispatcher) {
        this.config = config;
        this.store = store;
        this.blobs = blobs;
        this.api = api;
        this.app = app;
        this.webhookDispatcher = webhookDispatcher;
    }

    /**
     * Opens the stores (creating the data directory and applying the database migrations when needed), starts
     * listening and logs where it serves from. Refuses first, changing nothing, to serve without authentication on a
     * non-loopback address unless the configuration says {@code insecure}. Credentials never reach the log: the
     * database URL's password is masked and the admin token is never shown.
     */
    public static CairnServer start(ServerConfig config) {
        config.requireAuthenticationUnlessLoopback();
        JdbcMetadataStore store = JdbcMetadataStore.open(config.database());
        BlobBackend blobs = null;
        RestApi api = null;
        try {
            blobs = BlobBackend.open(config.blobs());
            Clock clock = Clock.systemUTC();
            RegistryService service = new RegistryService(store, blobs.store(), clock);
            TrackingService tracking = new TrackingService(store, blobs.store(), clock);
            GovernanceService governance = new GovernanceService(service, store, clock, config.adminToken());
            DeploymentService deployments = new DeploymentService(store, clock);
            WebhookService webhooks = new WebhookService(store, clock, config.webhookRetry(),
                    new ReceiverAddresses(config.allowPrivateWebhooks()), config.webhookSeal());
            reportSecrets(webhooks.sealStoredSecrets(), config);
            // One sender for the dispatcher's deliveries and the test pings of the API.
            WebhookSender webhookSender = new WebhookSender(webhooks, clock);
            api = new RestApi(service, tracking, governance, deployments, webhooks, webhookSender, config.auth(), clock,
                    blobs::problem);
            Javalin app = api.create(config.host(), config.port());
            app.start();
            CairnServer server = new CairnServer(config, store, blobs, api, app,
                    new WebhookDispatcher(webhooks, webhookSender, service));
            LOG.info("Cairn is serving at {} (metadata {}, blobs {}, authentication {})", server.url(),
                    config.databaseShown(), blobs.location(), config.auth() ? "on" : "off");
            if (!config.auth() && !ServerConfig.isLoopback(config.host())) {
                LOG.warn("Serving without authentication on {} (--insecure): anyone who can reach it acts as admin.",
                        config.host());
            }
            if (config.auth() && config.adminToken() == null && governance.listUsers(1, null).items().isEmpty()) {
                LOG.warn("Authentication is on but no user exists and CAIRN_ADMIN_TOKEN is not set: nobody can sign "
                        + "in. Restart with CAIRN_ADMIN_TOKEN set to a long random secret, then create users with "
                        + "'cairn users create NAME --role admin'.");
            }
            // Last: nothing after it can fail, so a server that did not start leaves no dispatcher running.
            server.webhookDispatcher.start();
            return server;
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            if (blobs != null) {
                blobs.close();
            }
            store.close();
            throw e;
        }
    }

    private static void reportSecrets(WebhookService.SecretsReport report, ServerConfig config) {
        if (report.sealedNow() > 0) {
            LOG.info("Sealed {} webhook secret(s) stored in plain text with {} key {}", report.sealedNow(),
                    SecretSeal.KEY_VARIABLE, config.webhookSeal().keyId());
        }
        if (report.unopenable() > 0) {
            LOG.warn("{} webhook secret(s) are sealed with a key this server does not have ({} is {}): their "
                    + "deliveries fail until the key they were sealed with is set; 'cairn webhooks deliveries ID' "
                    + "names it", report.unopenable(), SecretSeal.KEY_VARIABLE,
                    config.webhookSeal().hasKey() ? "key " + config.webhookSeal().keyId() : "not set");
        }
    }

    /**
     * Closes the listening sockets first, while Jetty still serves its open connections: followers whose long polls
     * and streams are ended next reconnect at once, and a connection Jetty accepted while it was stopping would be
     * left open and unread (the client waiting for its timeout). Refused now, they back off and retry.
     */
    private void stopAccepting() {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                try {
                    network.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing the listening socket of {} failed; stopping closes it", network, e);
                }
            }
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

    /** Stops accepting requests, finishes the ones in flight, then closes the stores. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            stopAccepting();
            api.endStreams();
            app.stop();
            webhookDispatcher.close();
            api.close();
            blobs.close();
            store.close();
            LOG.info("Cairn stopped");
        } finally {
            stopped.countDown();
        }
    }
}
