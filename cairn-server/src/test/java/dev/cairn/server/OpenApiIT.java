package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryService;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.core.webhook.ReceiverAddresses;
import dev.cairn.core.webhook.RetrySchedule;
import dev.cairn.core.webhook.SecretSeal;
import dev.cairn.core.webhook.WebhookService;
import dev.cairn.server.internal.RestApi;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.openapi.OpenApiRoute;
import dev.cairn.server.internal.webhooks.WebhookSender;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes exactly the routes the server registers, and every schema it references exists. */
class OpenApiIT {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void documentAndRegisteredRoutesAgree(@TempDir Path data) throws Exception {
        Files.createDirectories(data.resolve("blobs"));
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(data.resolve("cairn.db"));
             RestApi api = restApi(store, data)) {
            Javalin app = api.create("127.0.0.1", 0);
            Set<String> registered = new TreeSet<>();
            // The native API only: the MLflow-compatible API is MLflow's, documented by MLflow.
            app.unsafe.internalRouter.allHttpHandlers().stream()
                    .filter(e -> e.endpoint.path.startsWith("/api/v1/") || e.endpoint.path.endsWith("z"))
                    .forEach(e -> registered.add(e.endpoint.method.name() + " " + openApiPath(e.endpoint.path)));

            JsonNode doc = Json.mapper().readTree(OpenApiRoute.load());
            Set<String> documented = new TreeSet<>();
            for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
                String path = paths.next();
                doc.get("paths").get(path).fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                    }
                });
            }
            assertThat(registered).hasSize(69);
            assertThat(documented).as("documented routes").isEqualTo(registered);
        }
    }

    @Test
    void theDocumentSaysWhichOperationsNeedNoToken(@TempDir Path data) throws Exception {
        Files.createDirectories(data.resolve("blobs"));
        Set<String> publicRoutes = new TreeSet<>();
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(data.resolve("cairn.db"));
             RestApi api = restApi(store, data)) {
            api.routes().stream().filter(r -> r.access() == Access.PUBLIC && !r.path().equals("/health")
                            && !r.path().startsWith("/ui/")) // the web UI's sign-in and static files are no API
                    .forEach(r -> publicRoutes.add(r.method().name() + " " + r.path()));
        }
        JsonNode doc = Json.mapper().readTree(OpenApiRoute.load());
        assertThat(doc.get("security")).as("a token by default").isNotEmpty();
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode security = op.getValue().get("security");
            if (security != null && security.isEmpty()) {
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            } else {
                assertThat(op.getValue().get("responses").has("401")).as(op.getKey() + " " + path.getKey()).isTrue();
            }
        }));
        assertThat(documented).isEqualTo(publicRoutes).containsExactly("GET /api/v1/openapi.json", "GET /healthz",
                "GET /readyz");
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc = Json.mapper().readTree(OpenApiRoute.load());
        Set<String> missing = new TreeSet<>();
        collectRefs(doc, doc, missing);
        assertThat(missing).isEmpty();
    }

    private static void collectRefs(JsonNode node, JsonNode doc, Set<String> missing) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && doc.at(ref.asText().substring(1)).isMissingNode()) {
                missing.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> collectRefs(child, doc, missing));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, doc, missing));
        }
    }

    /** The application over a store, not started: what the routes are does not depend on the data. */
    static RestApi restApi(JdbcMetadataStore store, Path data) {
        FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"));
        RegistryService registry = new RegistryService(store, blobs, Clock.systemUTC());
        WebhookService webhooks = new WebhookService(store, Clock.systemUTC(), RetrySchedule.DEFAULT,
                new ReceiverAddresses(false), SecretSeal.none());
        return new RestApi(registry, new TrackingService(store, blobs, Clock.systemUTC()),
                new GovernanceService(registry, store, Clock.systemUTC(), null),
                new DeploymentService(store, Clock.systemUTC()), webhooks,
                new WebhookSender(webhooks, Clock.systemUTC()), true, Clock.systemUTC(), Optional::empty);
    }

    /** Javalin's {@code <path>} (rest of the path) is OpenAPI's {@code {path}}. */
    private static String openApiPath(String javalinPath) {
        return javalinPath.replace('<', '{').replace('>', '}');
    }
}
