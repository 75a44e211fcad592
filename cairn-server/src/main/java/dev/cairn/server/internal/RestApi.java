package dev.cairn.server.internal;

import dev.cairn.core.RegistryService;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.server.internal.audit.AuditRoutes;
import dev.cairn.server.internal.files.FileRoutes;
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
import dev.cairn.server.internal.verify.VerifyRoutes;
import dev.cairn.server.internal.versions.VersionRoutes;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The HTTP application: every route of {@code docs/api.md}, the MLflow-compatible API, the error mapping and the Jetty
 * settings they need.
 */
public final class RestApi implements AutoCloseable {
    /** JSON bodies only; file uploads stream and have no limit here. Signatures may be up to a million characters. */
    static final long MAX_JSON_BODY = 16L << 20;
    /** Longer than the longest long poll (60 s), so a waiting client is not cut off by the idle timeout. */
    static final long IDLE_TIMEOUT_MILLIS = 120_000;

    private final ResolveRoutes resolve;
    private final List<Route> routes = new ArrayList<>();

    public RestApi(RegistryService service, TrackingService tracking, ReadinessCheck blobReadiness) {
        this.resolve = new ResolveRoutes(service);
        // Javalin tries routes in registration order: the hot path goes first.
        routes.addAll(resolve.routes());
        routes.addAll(new HealthRoutes(service, blobReadiness).routes());
        routes.addAll(new OpenApiRoute().routes());
        routes.addAll(new ModelRoutes(service).routes());
        routes.addAll(new VersionRoutes(service).routes());
        routes.addAll(new FileRoutes(service).routes());
        routes.addAll(new PointerRoutes(service).routes());
        routes.addAll(new AuditRoutes(service).routes());
        routes.addAll(new LineageRoutes(service).routes());
        routes.addAll(new VerifyRoutes(service).routes());
        routes.addAll(new MlflowApi(service, tracking).routes());
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
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                return connector;
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            for (Route route : routes) {
                config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            ApiErrors.register(config.routes);
        });
    }

    @Override
    public void close() {
        resolve.close();
    }
}
