package dev.cairn.server.internal;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.core.webhook.WebhookService;
import dev.cairn.server.internal.audit.AuditRoutes;
import dev.cairn.server.internal.auth.Authentication;
import dev.cairn.server.internal.deploy.DeploymentRoutes;
import dev.cairn.server.internal.files.FileRoutes;
import dev.cairn.server.internal.governance.AccessRoutes;
import dev.cairn.server.internal.governance.PolicyRoutes;
import dev.cairn.server.internal.governance.RequestRoutes;
import dev.cairn.server.internal.health.HealthRoutes;
import dev.cairn.server.internal.health.ReadinessCheck;
import dev.cairn.server.internal.http.ApiErrors;
import dev.cairn.server.internal.http.JettyErrors;
import dev.cairn.server.internal.http.Route;
import dev.cairn.server.internal.lineage.LineageRoutes;
import dev.cairn.server.internal.mlflow.MlflowApi;
import dev.cairn.server.internal.models.ModelRoutes;
import dev.cairn.server.internal.openapi.OpenApiRoute;
import dev.cairn.server.internal.pointers.PointerRoutes;
import dev.cairn.server.internal.resolve.ResolveRoutes;
import dev.cairn.server.internal.ui.UiRoutes;
import dev.cairn.server.internal.verify.VerifyRoutes;
import dev.cairn.server.internal.versions.VersionRoutes;
import dev.cairn.server.internal.webhooks.WebhookRoutes;
import dev.cairn.server.internal.webhooks.WebhookSender;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The HTTP application: every route of {@code docs/api.md}, the MLflow-compatible API, the web UI, the authentication
 * in front of them, the error mapping and the Jetty settings they need.
 */
public final class RestApi implements AutoCloseable {
    /** JSON bodies only; file uploads stream and have no limit here. Signatures may be up to a million characters. */
    static final long MAX_JSON_BODY = 16L << 20;
    /** Longer than the longest long poll (60 s), so a waiting client is not cut off by the idle timeout. */
    static final long IDLE_TIMEOUT_MILLIS = 120_000;

    private final ResolveRoutes resolve;
    private final AuditRoutes audit;
    private final Authentication authentication;
    private final List<Route> routes = new ArrayList<>();

    /** @param authenticate whether callers must send an API token; without, everyone is the single local user */
    public RestApi(RegistryService service, TrackingService tracking, GovernanceService governance,
                   DeploymentService deployments, WebhookService webhooks, WebhookSender webhookSender,
                   boolean authenticate, Clock clock, ReadinessCheck blobReadiness) {
        this.resolve = new ResolveRoutes(service);
        this.audit = new AuditRoutes(service, governance);
        this.authentication = new Authentication(governance, authenticate);
        // Javalin tries routes in registration order: the hot path goes first.
        routes.addAll(resolve.routes());
        routes.addAll(new HealthRoutes(service, blobReadiness).routes());
        routes.addAll(new OpenApiRoute().routes());
        routes.addAll(new ModelRoutes(service).routes());
        routes.addAll(new VersionRoutes(service).routes());
        routes.addAll(new FileRoutes(service).routes());
        routes.addAll(new PointerRoutes(service, clock).routes());
        routes.addAll(audit.routes());
        routes.addAll(new LineageRoutes(service).routes());
        routes.addAll(new VerifyRoutes(service).routes());
        routes.addAll(new AccessRoutes(governance, clock).routes());
        routes.addAll(new PolicyRoutes(service, governance).routes());
        routes.addAll(new RequestRoutes(governance).routes());
        routes.addAll(new DeploymentRoutes(deployments).routes());
        routes.addAll(new WebhookRoutes(webhooks, webhookSender).routes());
        routes.addAll(new MlflowApi(service, tracking).routes());
        routes.addAll(new UiRoutes(service, governance, deployments, authenticate).routes());
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** A Javalin app, not started, listening on {@code host}:{@code port} once started (port 0: any free port). */
    public Javalin create(String host, int port) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Downloads must not be gzipped or buffered, and JSON answers are small: no dynamic compression at all.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = MAX_JSON_BODY;
            config.http.defaultContentType = "application/json";
            config.jetty.addConnector((server, http) -> {
                // Jetty's per-connection header cache matches values ignoring case by default: a token differing from
                // one sent earlier on the same connection (a proxy's, shared by many clients) only in case would be
                // read as that token.
                http.setHeaderCacheCaseSensitive(true);
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                return connector;
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            for (Route route : routes) {
                // Each handler runs behind the check of its route's access: no route is registered without one.
                config.routes.addHttpHandler(route.method(), route.path(), authentication.guard(route));
            }
            ApiErrors.register(config.routes);
        });
    }

    /**
     * Ends the open event streams and answers the waiting long polls; done before the server stops, while their
     * requests can still be completed and the store is open.
     */
    public void endStreams() {
        resolve.endLongPolls();
        audit.close();
    }

    @Override
    public void close() {
        resolve.close();
        audit.close();
    }
}
