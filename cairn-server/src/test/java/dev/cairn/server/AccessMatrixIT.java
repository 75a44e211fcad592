package dev.cairn.server;

import static dev.cairn.server.TestApi.bearer;
import static dev.cairn.server.TestApi.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cairn.core.governance.Role;
import dev.cairn.server.TestApi.Reply;
import dev.cairn.server.internal.RestApi;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.http.Route;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role × endpoint matrix: every route the server registers (native, MLflow under both of its prefixes, MLflow's
 * artifact proxy, the web UI) is called without a token and as a viewer, an editor, an approver and an admin. Without
 * a token the answer is 401 unless the route is public (the web UI sends the browser to its sign-in form instead);
 * below the route's least role it is 403 and nothing changed (no event, no tracking or artifact change); at or above
 * it the call succeeds. A route missing from {@link #TABLE} fails the
 * test, so no future route escapes the decision of who may call it.
 */
class AccessMatrixIT {
    private static final String ADMIN_TOKEN = "matrix-bootstrap-admin-token-0123456789";
    private static final byte[] BYTES = "weights".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final java.net.http.HttpClient FORMS = java.net.http.HttpClient.newHttpClient();

    @TempDir
    static Path data;
    static TestApi api;
    static final String[] ADMIN = bearer(ADMIN_TOKEN);
    static final Map<Role, String[]> CALLERS = new EnumMap<>(Role.class);
    /** An editor who files the transition requests the callers decide. */
    static String[] rick;
    static List<Route> routes;

    @BeforeAll
    static void start() throws Exception {
        // Webhook fixtures post to a loopback port nobody listens on: refused at once, nothing leaves the machine.
        api = TestApi.startWithAuth(data.resolve("server"), ADMIN_TOKEN, config -> config.allowPrivateWebhooks(true));
        CALLERS.put(Role.VIEWER, bearer(api.createUser("vera", "viewer")));
        CALLERS.put(Role.EDITOR, bearer(api.createUser("ed", "editor")));
        CALLERS.put(Role.APPROVER, bearer(api.createUser("april", "approver")));
        CALLERS.put(Role.ADMIN, bearer(api.createUser("ada", "admin")));
        rick = bearer(api.createUser("rick", "editor"));
        api.createUser("otto", "viewer"); // owns the tokens others revoke
        Files.createDirectories(data.resolve("routes/blobs"));
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(data.resolve("routes/cairn.db"));
             RestApi rest = OpenApiIT.restApi(store, data.resolve("routes"))) {
            routes = rest.routes();
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyEntryOfTheTableIsARoute() {
        Set<String> registered = new TreeSet<>();
        routes.forEach(r -> registered.add(key(r)));
        assertThat(TABLE.keySet()).as("table entries that name no route").isSubsetOf(registered);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteWithEveryRole() {
        assertThat(routes).hasSizeGreaterThan(150);
        return routes.stream().map(route -> dynamicTest(route.toString(), () -> check(route)));
    }

    private static void check(Route route) {
        Case c = TABLE.get(key(route));
        assertThat(c).as("no entry in the access table for " + route + ": decide who may call it").isNotNull();
        if (c.least() == null) {
            assertThat(route.access()).as(route + " access").isEqualTo(Access.PUBLIC);
            Reply reply = c.call().send(c.setup().get(), new Req(prefix(route), new String[0]));
            assertThat(reply.status()).as(route + " without a token: " + reply).isEqualTo(c.status());
            return;
        }
        assertThat(route.access()).as(route + " access").isNotEqualTo(Access.PUBLIC);
        assertThat(c.least().includes(route.access().least())).as(route + " checks less at the gate than it needs")
                .isTrue();
        Fixture shared = c.setup().get();
        Reply anonymous = refused(route, shared, () -> c.call().send(shared, new Req(prefix(route), new String[0])));
        if (ui(route)) {
            // People in a browser are sent to the sign-in form, and come back after.
            assertThat(anonymous.status()).as(route + " without a token: " + anonymous).isEqualTo(303);
            assertThat(anonymous.header("Location")).startsWith("/ui/signin?next=");
        } else {
            assertThat(anonymous.status()).as(route + " without a token: " + anonymous).isEqualTo(401);
            assertThat(code(route, anonymous)).isEqualTo("UNAUTHENTICATED");
            assertThat(anonymous.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"cairn\"");
        }
        for (Role role : Role.values()) {
            Req req = new Req(prefix(route), CALLERS.get(role));
            if (!role.includes(c.least())) {
                Reply denied = refused(route, shared, () -> c.call().send(shared, req));
                assertThat(denied.status()).as(route + " as " + role.label() + ": " + denied).isEqualTo(403);
                if (!ui(route)) {
                    assertThat(code(route, denied)).isEqualTo("PERMISSION_DENIED");
                }
                assertThat(message(route, denied)).as(denied.toString())
                        .contains(role.label()).contains("the " + c.least().label() + " role");
            } else {
                Reply allowed = c.call().send(c.setup().get(), req);
                assertThat(allowed.status()).as(route + " as " + role.label() + ": " + allowed).isEqualTo(c.status());
            }
        }
    }

    /** Runs a call that must be refused and checks it changed nothing the fixture can show. */
    private static Reply refused(Route route, Fixture fx, Supplier<Reply> call) {
        String before = state(fx);
        Reply reply = call.get();
        assertThat(state(fx)).as("state after " + route + " answered " + reply).isEqualTo(before);
        return reply;
    }

    /**
     * What a refused call could have changed: the events since the fixture was made (every registry and governance
     * change appends one), the users, the default policy, otto's tokens, whatever a create call would have made under
     * the fixture's fresh name, and the fixture's model, experiment, runs and artifacts.
     */
    private static String state(Fixture fx) {
        StringBuilder state = new StringBuilder();
        state.append(api.get("/api/v1/models/" + fx.fresh, ADMIN).status());
        state.append(api.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + fx.fresh, ADMIN).status());
        state.append(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + fx.fresh, ADMIN).text());
        state.append(api.get("/api/v1/audit?limit=1000&since=" + fx.since, ADMIN).text());
        state.append(api.get("/api/v1/users?limit=1000", ADMIN).text());
        state.append(api.get("/api/v1/policies/default", ADMIN).text());
        state.append(api.get("/api/v1/tokens?user=otto&limit=1000", ADMIN).text());
        if (fx.model != null) {
            String m = "/api/v1/models/" + enc(fx.model);
            state.append(api.get(m, ADMIN).text()).append(api.get(m + "/versions", ADMIN).text())
                    .append(api.get(m + "/policy", ADMIN).text()).append(api.get(m + "/grants", ADMIN).text());
        }
        if (fx.experiment != null) {
            state.append(api.get("/api/2.0/mlflow/experiments/get?experiment_id=" + fx.experiment, ADMIN).text());
            state.append(api.post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + fx.experiment + "\"],"
                    + "\"run_view_type\":\"ALL\"}", ADMIN).text());
        }
        if (fx.run != null) {
            state.append(api.get("/api/2.0/mlflow/runs/get?run_id=" + fx.run, ADMIN).text());
        }
        if (fx.artifact != null) {
            state.append(api.get("/api/2.0/mlflow-artifacts/artifacts?path=" + fx.artifact.replaceFirst("/[^/]*$", ""),
                    ADMIN).text());
        }
        return state.toString();
    }

    private static String key(Route route) {
        return route.method() + " " + route.path().replace("/ajax-api/2.0/", "/api/2.0/");
    }

    private static String prefix(Route route) {
        return route.path().startsWith("/ajax-api/") ? "/ajax-api/2.0" : "/api/2.0";
    }

    private static boolean mlflow(Route route) {
        return route.path().startsWith("/api/2.0/") || route.path().startsWith("/ajax-api/2.0/");
    }

    private static boolean ui(Route route) {
        return route.path().equals("/") || route.path().startsWith("/ui/");
    }

    private static String code(Route route, Reply reply) {
        return mlflow(route) ? reply.json().path("error_code").asText() : reply.errorCode();
    }

    private static String message(Route route, Reply reply) {
        if (ui(route)) {
            return reply.text(); // an HTML page with the refusal in its flash message
        }
        return mlflow(route) ? reply.json().path("message").asText() : reply.errorMessage();
    }

    // --- the table ----------------------------------------------------------------------------------------------

    /** A route's least role (null: public), how to make a fresh fixture, how to call it, and its success status. */
    private record Case(Role least, Supplier<Fixture> setup, Call call, int status) {}

    @FunctionalInterface
    private interface Call {
        Reply send(Fixture fx, Req req);
    }

    private static final Map<String, Case> TABLE = new LinkedHashMap<>();

    private static void allow(String route, Role least, Supplier<Fixture> setup, Call call, int status) {
        assertThat(TABLE.put(route, new Case(least, setup, call, status))).as("twice in the table: " + route).isNull();
    }

    private static void allow(String route, Role least, Supplier<Fixture> setup, Call call) {
        allow(route, least, setup, call, 200);
    }

    private static final Role PUBLIC = null;
    private static final Role VIEWER = Role.VIEWER;
    private static final Role EDITOR = Role.EDITOR;
    private static final Role APPROVER = Role.APPROVER;
    private static final Role ADMIN_ROLE = Role.ADMIN;
    private static final String M = "/api/v1/models/";

    static {
        // health, readiness, the OpenAPI document, MLflow's liveness probe
        allow("GET /healthz", PUBLIC, Fixture::none, (f, r) -> r.get("/healthz"));
        allow("GET /readyz", PUBLIC, Fixture::none, (f, r) -> r.get("/readyz"));
        allow("GET /api/v1/openapi.json", PUBLIC, Fixture::none, (f, r) -> r.get("/api/v1/openapi.json"));
        allow("GET /health", PUBLIC, Fixture::none, (f, r) -> r.get("/health"));
        allow("GET /version", VIEWER, Fixture::none, (f, r) -> r.get("/version"));

        // native: models
        allow("GET /api/v1/models", VIEWER, Fixture::model, (f, r) -> r.get("/api/v1/models"));
        allow("POST /api/v1/models", EDITOR, Fixture::none,
                (f, r) -> r.post("/api/v1/models", "{\"name\":\"" + f.fresh + "\"}"), 201);
        allow("GET /api/v1/models/{name}", VIEWER, Fixture::model, (f, r) -> r.get(M + f.m()));
        allow("PATCH /api/v1/models/{name}", EDITOR, Fixture::model,
                (f, r) -> r.patch(M + f.m(), "{\"description\":\"changed\"}"));
        allow("DELETE /api/v1/models/{name}", ADMIN_ROLE, Fixture::ready, (f, r) -> r.delete(M + f.m()), 204);
        allow("PUT /api/v1/models/{name}/tags/{key}", EDITOR, Fixture::model,
                (f, r) -> r.put(M + f.m() + "/tags/team", "{\"value\":\"ml\"}"));
        allow("DELETE /api/v1/models/{name}/tags/{key}", EDITOR, Fixture::modelWithTag,
                (f, r) -> r.delete(M + f.m() + "/tags/team"));

        // native: versions and files
        allow("GET /api/v1/models/{name}/versions", VIEWER, Fixture::ready, (f, r) -> r.get(M + f.m() + "/versions"));
        allow("POST /api/v1/models/{name}/versions", EDITOR, Fixture::model,
                (f, r) -> r.post(M + f.m() + "/versions", "{}"), 201);
        allow("GET /api/v1/models/{name}/versions/{version}", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/versions/1"));
        allow("PATCH /api/v1/models/{name}/versions/{version}", EDITOR, Fixture::ready,
                (f, r) -> r.patch(M + f.m() + "/versions/1", "{\"description\":\"changed\"}"));
        allow("DELETE /api/v1/models/{name}/versions/{version}", ADMIN_ROLE, Fixture::ready,
                (f, r) -> r.delete(M + f.m() + "/versions/1"));
        allow("PUT /api/v1/models/{name}/versions/{version}/tags/{key}", EDITOR, Fixture::ready,
                (f, r) -> r.put(M + f.m() + "/versions/1/tags/team", "{\"value\":\"ml\"}"));
        allow("DELETE /api/v1/models/{name}/versions/{version}/tags/{key}", EDITOR, Fixture::readyWithTag,
                (f, r) -> r.delete(M + f.m() + "/versions/1/tags/team"));
        allow("GET /api/v1/models/{name}/versions/{version}/files", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/versions/1/files"));
        allow("PUT /api/v1/models/{name}/versions/{version}/files/<path>", EDITOR, Fixture::draft,
                (f, r) -> r.upload(M + f.m() + "/versions/1/files/weights/model.bin", BYTES), 201);
        allow("GET /api/v1/models/{name}/versions/{version}/files/<path>", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/versions/1/files/model.bin"));
        allow("POST /api/v1/models/{name}/versions/{version}/commit", EDITOR, Fixture::draftWithFile,
                (f, r) -> r.post(M + f.m() + "/versions/1/commit", null));
        allow("POST /api/v1/models/{name}/versions/{version}/stage", APPROVER, Fixture::ready,
                (f, r) -> r.post(M + f.m() + "/versions/1/stage", "{\"stage\":\"Production\"}"));
        allow("GET /api/v1/models/{name}/compare", VIEWER, Fixture::readyTwice,
                (f, r) -> r.get(M + f.m() + "/compare?versions=1,2"));
        allow("GET /api/v1/models/{name}/versions/{version}/verify", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/versions/1/verify"));
        allow("GET /api/v1/models/{name}/verify", VIEWER, Fixture::ready, (f, r) -> r.get(M + f.m() + "/verify"));
        allow("POST /api/v1/verify", VIEWER, Fixture::none, (f, r) -> r.post("/api/v1/verify", null));
        allow("GET /api/v1/resolve", VIEWER, Fixture::ready,
                (f, r) -> r.get("/api/v1/resolve?ref=" + q("models:/" + f.model + "/1")));
        allow("GET /api/v1/lineage", VIEWER, Fixture::none, (f, r) -> r.get("/api/v1/lineage?commit=abc123"));

        // native: what serves
        allow("PUT /api/v1/models/{name}/aliases/{alias}", EDITOR, Fixture::ready,
                (f, r) -> r.put(M + f.m() + "/aliases/candidate", "{\"version\":1}"));
        allow("DELETE /api/v1/models/{name}/aliases/{alias}", EDITOR, Fixture::readyWithAlias,
                (f, r) -> r.delete(M + f.m() + "/aliases/candidate"), 204);
        allow("POST /api/v1/models/{name}/rollback", APPROVER, Fixture::twoProductions,
                (f, r) -> r.post(M + f.m() + "/rollback", "{\"stage\":\"Production\"}"));
        allow("GET /api/v1/models/{name}/pointers", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/pointers?at=" + Instant.now()));
        // serving instances report with read-only tokens
        allow("POST /api/v1/deployments/heartbeat", VIEWER, Fixture::ready, (f, r) -> r.post(
                "/api/v1/deployments/heartbeat", "{\"instance_id\":\"pod-a\",\"model\":\"" + f.model + "\",\"version\":1}"));
        allow("GET /api/v1/models/{name}/deployments", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/deployments?all=true"));

        // native: webhooks, admins only: their URLs and secrets are sensitive, and they make the server reach out
        String wh = "/api/v1/webhooks";
        allow("POST /api/v1/webhooks", ADMIN_ROLE, Fixture::none,
                (f, r) -> r.post(wh, "{\"url\":\"" + Fixture.RECEIVER + "\"}"), 201);
        allow("GET /api/v1/webhooks", ADMIN_ROLE, Fixture::webhook, (f, r) -> r.get(wh));
        allow("GET /api/v1/webhooks/{id}", ADMIN_ROLE, Fixture::webhook, (f, r) -> r.get(wh + "/" + f.webhook));
        allow("DELETE /api/v1/webhooks/{id}", ADMIN_ROLE, Fixture::webhook, (f, r) -> r.delete(wh + "/" + f.webhook));
        allow("POST /api/v1/webhooks/{id}/test", ADMIN_ROLE, Fixture::webhook,
                (f, r) -> r.post(wh + "/" + f.webhook + "/test", null));
        allow("GET /api/v1/webhooks/{id}/deliveries", ADMIN_ROLE, Fixture::delivery,
                (f, r) -> r.get(wh + "/" + f.webhook + "/deliveries"));
        allow("GET /api/v1/webhooks/{id}/deliveries/{delivery}", ADMIN_ROLE, Fixture::delivery,
                (f, r) -> r.get(wh + "/" + f.webhook + "/deliveries/" + f.delivery));
        allow("POST /api/v1/webhooks/{id}/deliveries/{delivery}/replay", ADMIN_ROLE, Fixture::delivery,
                (f, r) -> r.post(wh + "/" + f.webhook + "/deliveries/" + f.delivery + "/replay", null), 201);

        // native: audit
        allow("GET /api/v1/models/{name}/history", VIEWER, Fixture::ready, (f, r) -> r.get(M + f.m() + "/history"));
        allow("GET /api/v1/events", VIEWER, Fixture::none, (f, r) -> r.get("/api/v1/events?limit=5"));
        allow("GET /api/v1/events/stream", VIEWER, Fixture::none, (f, r) -> api.streamReply("/api/v1/events/stream",
                r.headers()));
        allow("GET /api/v1/audit", VIEWER, Fixture::model,
                (f, r) -> r.get("/api/v1/audit?model=" + q(f.model) + "&kind=MODEL_CREATED&since=" + f.since));
        allow("GET /api/v1/audit/verify", VIEWER, Fixture::none, (f, r) -> r.get("/api/v1/audit/verify"));

        // native: users, tokens, grants
        allow("GET /api/v1/whoami", VIEWER, Fixture::none, (f, r) -> r.get("/api/v1/whoami"));
        allow("GET /api/v1/users", ADMIN_ROLE, Fixture::none, (f, r) -> r.get("/api/v1/users"));
        allow("POST /api/v1/users", ADMIN_ROLE, Fixture::none,
                (f, r) -> r.post("/api/v1/users", "{\"name\":\"" + f.fresh + "\",\"role\":\"viewer\"}"), 201);
        allow("PATCH /api/v1/users/{user}", ADMIN_ROLE, Fixture::user,
                (f, r) -> r.patch("/api/v1/users/" + f.user, "{\"role\":\"editor\"}"));
        allow("GET /api/v1/tokens", VIEWER, Fixture::none, (f, r) -> r.get("/api/v1/tokens"));
        allow("POST /api/v1/tokens", VIEWER, Fixture::none, (f, r) -> r.post("/api/v1/tokens", "{\"expires\":\"1d\"}"),
                201);
        allow("DELETE /api/v1/tokens/{id}", ADMIN_ROLE, Fixture::token, (f, r) -> r.delete("/api/v1/tokens/" + f.token));
        allow("GET /api/v1/models/{name}/grants", VIEWER, Fixture::model, (f, r) -> r.get(M + f.m() + "/grants"));
        allow("PUT /api/v1/models/{name}/grants/{user}", ADMIN_ROLE, Fixture::model,
                (f, r) -> r.put(M + f.m() + "/grants/otto", "{\"role\":\"editor\"}"));
        allow("DELETE /api/v1/models/{name}/grants/{user}", ADMIN_ROLE, Fixture::modelWithGrant,
                (f, r) -> r.delete(M + f.m() + "/grants/otto"), 204);

        // native: policies, the dry run, transition requests
        allow("GET /api/v1/policies/default", VIEWER, Fixture::none, (f, r) -> r.get("/api/v1/policies/default"));
        allow("PUT /api/v1/policies/default", ADMIN_ROLE, Fixture::none,
                (f, r) -> r.put("/api/v1/policies/default", "{\"four_eyes\":true}"));
        allow("GET /api/v1/models/{name}/policy", VIEWER, Fixture::model, (f, r) -> r.get(M + f.m() + "/policy"));
        allow("PUT /api/v1/models/{name}/policy", ADMIN_ROLE, Fixture::model,
                (f, r) -> r.put(M + f.m() + "/policy", "{\"min_metrics\":{\"auc\":0.9}}"));
        allow("DELETE /api/v1/models/{name}/policy", ADMIN_ROLE, Fixture::modelWithPolicy,
                (f, r) -> r.delete(M + f.m() + "/policy"));
        allow("GET /api/v1/models/{name}/versions/{version}/promotion-check", VIEWER, Fixture::ready,
                (f, r) -> r.get(M + f.m() + "/versions/1/promotion-check?target=production"));
        allow("POST /api/v1/requests", EDITOR, Fixture::ready, (f, r) -> r.post("/api/v1/requests",
                "{\"model\":\"" + f.model + "\",\"version\":1,\"target\":\"production\"}"), 201);
        allow("GET /api/v1/requests", VIEWER, Fixture::request, (f, r) -> r.get("/api/v1/requests?status=pending"));
        allow("GET /api/v1/requests/{id}", VIEWER, Fixture::request, (f, r) -> r.get("/api/v1/requests/" + f.request));
        allow("POST /api/v1/requests/{id}/approve", APPROVER, Fixture::request,
                (f, r) -> r.post("/api/v1/requests/" + f.request + "/approve", "{\"comment\":\"ok\"}"));
        allow("POST /api/v1/requests/{id}/reject", APPROVER, Fixture::request,
                (f, r) -> r.post("/api/v1/requests/" + f.request + "/reject", "{\"comment\":\"no\"}"));
        allow("POST /api/v1/requests/{id}/cancel", ADMIN_ROLE, Fixture::request,
                (f, r) -> r.post("/api/v1/requests/" + f.request + "/cancel", null));

        // the web UI: pages for any signed-in user; forms (sent from the UI's own origin) checked by the services
        allow("GET /", VIEWER, Fixture::model, (f, r) -> r.get("/"));
        allow("GET /ui/models/{name}", VIEWER, Fixture::ready, (f, r) -> r.get("/ui/models/" + f.m()));
        allow("GET /ui/models/{name}/versions/{version}", VIEWER, Fixture::ready,
                (f, r) -> r.get("/ui/models/" + f.m() + "/versions/1"));
        allow("GET /ui/models/{name}/compare", VIEWER, Fixture::readyTwice,
                (f, r) -> r.get("/ui/models/" + f.m() + "/compare?versions=1,2"));
        allow("GET /ui/lineage", VIEWER, Fixture::none, (f, r) -> r.get("/ui/lineage?commit=abc123"));
        allow("GET /ui/audit", VIEWER, Fixture::none, (f, r) -> r.get("/ui/audit?kind=MODEL_CREATED"));
        allow("GET /ui/requests", VIEWER, Fixture::request, (f, r) -> r.get("/ui/requests"));
        allow("POST /ui/models/{name}/promote", APPROVER, Fixture::ready,
                (f, r) -> r.form("/ui/models/" + f.m() + "/promote", "version=1&stage=Production&confirm=yes"), 303);
        allow("POST /ui/models/{name}/alias", EDITOR, Fixture::ready,
                (f, r) -> r.form("/ui/models/" + f.m() + "/alias", "alias=candidate&version=1&confirm=yes"), 303);
        allow("POST /ui/models/{name}/request", EDITOR, Fixture::ready,
                (f, r) -> r.form("/ui/models/" + f.m() + "/request", "version=1&target=production&confirm=yes"), 303);
        allow("POST /ui/models/{name}/rollback", APPROVER, Fixture::twoProductions,
                (f, r) -> r.form("/ui/models/" + f.m() + "/rollback", "pointer=Production&confirm=yes"), 303);
        allow("POST /ui/requests/{id}/approve", APPROVER, Fixture::request,
                (f, r) -> r.form("/ui/requests/" + f.request + "/approve", "comment=ok&confirm=yes"), 303);
        allow("POST /ui/requests/{id}/reject", APPROVER, Fixture::request,
                (f, r) -> r.form("/ui/requests/" + f.request + "/reject", "comment=no&confirm=yes"), 303);
        allow("GET /ui/signin", PUBLIC, Fixture::none, (f, r) -> r.get("/ui/signin"));
        allow("POST /ui/signin", PUBLIC, Fixture::none,
                (f, r) -> r.form("/ui/signin", "token=" + q(CALLERS.get(Role.VIEWER)[1].substring("Bearer ".length()))
                        + "&next=%2F"), 303);
        allow("POST /ui/signout", PUBLIC, Fixture::none, (f, r) -> r.form("/ui/signout", ""), 303);
        allow("GET /ui/static/{file}", PUBLIC, Fixture::none, (f, r) -> r.get("/ui/static/cairn.css"));

        // MLflow model registry: roles checked on the model by the registry, as for the native API
        String rm = "registered-models/";
        allow("POST /api/2.0/mlflow/registered-models/create", EDITOR, Fixture::none,
                (f, r) -> r.mlflow("POST", rm + "create", "{\"name\":\"" + f.fresh + "\"}"));
        allow("GET /api/2.0/mlflow/registered-models/get", VIEWER, Fixture::model,
                (f, r) -> r.mlflow("GET", rm + "get", "name=" + q(f.model)));
        allow("POST /api/2.0/mlflow/registered-models/rename", ADMIN_ROLE, Fixture::model,
                (f, r) -> r.mlflow("POST", rm + "rename", f.json("\"new_name\":\"" + f.fresh + "\"")));
        allow("PATCH /api/2.0/mlflow/registered-models/update", EDITOR, Fixture::model,
                (f, r) -> r.mlflow("PATCH", rm + "update", f.json("\"description\":\"d\"")));
        allow("DELETE /api/2.0/mlflow/registered-models/delete", ADMIN_ROLE, Fixture::ready,
                (f, r) -> r.mlflow("DELETE", rm + "delete", f.json()));
        allow("GET /api/2.0/mlflow/registered-models/search", VIEWER, Fixture::model,
                (f, r) -> r.mlflow("GET", rm + "search", "filter=" + q("name='" + f.model + "'")));
        allow("POST /api/2.0/mlflow/registered-models/get-latest-versions", VIEWER, Fixture::ready,
                (f, r) -> r.mlflow("POST", rm + "get-latest-versions", f.json()));
        allow("GET /api/2.0/mlflow/registered-models/get-latest-versions", VIEWER, Fixture::ready,
                (f, r) -> r.mlflow("GET", rm + "get-latest-versions", "name=" + q(f.model)));
        allow("POST /api/2.0/mlflow/registered-models/set-tag", EDITOR, Fixture::model,
                (f, r) -> r.mlflow("POST", rm + "set-tag", f.json("\"key\":\"team\",\"value\":\"ml\"")));
        allow("DELETE /api/2.0/mlflow/registered-models/delete-tag", EDITOR, Fixture::modelWithTag,
                (f, r) -> r.mlflow("DELETE", rm + "delete-tag", f.json("\"key\":\"team\"")));
        allow("POST /api/2.0/mlflow/registered-models/alias", EDITOR, Fixture::ready,
                (f, r) -> r.mlflow("POST", rm + "alias", f.json("\"alias\":\"candidate\",\"version\":\"1\"")));
        allow("DELETE /api/2.0/mlflow/registered-models/alias", EDITOR, Fixture::readyWithAlias,
                (f, r) -> r.mlflow("DELETE", rm + "alias", f.json("\"alias\":\"candidate\"")));
        allow("GET /api/2.0/mlflow/registered-models/alias", VIEWER, Fixture::readyWithAlias,
                (f, r) -> r.mlflow("GET", rm + "alias", "name=" + q(f.model) + "&alias=candidate"));
        String mv = "model-versions/";
        allow("POST /api/2.0/mlflow/model-versions/create", EDITOR, Fixture::model,
                (f, r) -> r.mlflow("POST", mv + "create", f.json("\"source\":\"s3://bucket/" + f.model + "\"")));
        allow("GET /api/2.0/mlflow/model-versions/get", VIEWER, Fixture::ready,
                (f, r) -> r.mlflow("GET", mv + "get", "name=" + q(f.model) + "&version=1"));
        allow("PATCH /api/2.0/mlflow/model-versions/update", EDITOR, Fixture::ready,
                (f, r) -> r.mlflow("PATCH", mv + "update", f.json("\"version\":\"1\",\"description\":\"d\"")));
        allow("DELETE /api/2.0/mlflow/model-versions/delete", ADMIN_ROLE, Fixture::ready,
                (f, r) -> r.mlflow("DELETE", mv + "delete", f.json("\"version\":\"1\"")));
        allow("GET /api/2.0/mlflow/model-versions/search", VIEWER, Fixture::ready,
                (f, r) -> r.mlflow("GET", mv + "search", "filter=" + q("name='" + f.model + "'")));
        allow("POST /api/2.0/mlflow/model-versions/transition-stage", APPROVER, Fixture::ready,
                (f, r) -> r.mlflow("POST", mv + "transition-stage", f.json("\"version\":\"1\",\"stage\":\"Production\"")));
        allow("GET /api/2.0/mlflow/model-versions/get-download-uri", VIEWER, Fixture::ready,
                (f, r) -> r.mlflow("GET", mv + "get-download-uri", "name=" + q(f.model) + "&version=1"));
        allow("POST /api/2.0/mlflow/model-versions/set-tag", EDITOR, Fixture::ready,
                (f, r) -> r.mlflow("POST", mv + "set-tag", f.json("\"version\":\"1\",\"key\":\"team\",\"value\":\"ml\"")));
        allow("DELETE /api/2.0/mlflow/model-versions/delete-tag", EDITOR, Fixture::readyWithTag,
                (f, r) -> r.mlflow("DELETE", mv + "delete-tag", f.json("\"version\":\"1\",\"key\":\"team\"")));

        // MLflow tracking: viewer reads, editor writes (soft deletes and restores included)
        allow("POST /api/2.0/mlflow/experiments/create", EDITOR, Fixture::none,
                (f, r) -> r.mlflow("POST", "experiments/create", "{\"name\":\"" + f.fresh + "\"}"));
        allow("GET /api/2.0/mlflow/experiments/get", VIEWER, Fixture::experiment,
                (f, r) -> r.mlflow("GET", "experiments/get", "experiment_id=" + f.experiment));
        allow("GET /api/2.0/mlflow/experiments/get-by-name", VIEWER, Fixture::experiment,
                (f, r) -> r.mlflow("GET", "experiments/get-by-name", "experiment_name=" + q(f.experimentName)));
        allow("POST /api/2.0/mlflow/experiments/search", VIEWER, Fixture::experiment,
                (f, r) -> r.mlflow("POST", "experiments/search", "{\"max_results\":5}"));
        allow("GET /api/2.0/mlflow/experiments/search", VIEWER, Fixture::experiment,
                (f, r) -> r.mlflow("GET", "experiments/search", "max_results=5"));
        allow("POST /api/2.0/mlflow/experiments/delete", EDITOR, Fixture::experiment,
                (f, r) -> r.mlflow("POST", "experiments/delete", f.experimentJson("")));
        allow("POST /api/2.0/mlflow/experiments/restore", EDITOR, Fixture::deletedExperiment,
                (f, r) -> r.mlflow("POST", "experiments/restore", f.experimentJson("")));
        allow("POST /api/2.0/mlflow/experiments/update", EDITOR, Fixture::experiment,
                (f, r) -> r.mlflow("POST", "experiments/update", f.experimentJson(",\"new_name\":\"" + f.fresh + "\"")));
        allow("POST /api/2.0/mlflow/experiments/set-experiment-tag", EDITOR, Fixture::experiment,
                (f, r) -> r.mlflow("POST", "experiments/set-experiment-tag", f.experimentJson(",\"key\":\"k\",\"value\":\"v\"")));
        allow("POST /api/2.0/mlflow/experiments/delete-experiment-tag", EDITOR, Fixture::experimentWithTag,
                (f, r) -> r.mlflow("POST", "experiments/delete-experiment-tag", f.experimentJson(",\"key\":\"k\"")));
        allow("POST /api/2.0/mlflow/runs/create", EDITOR, Fixture::experiment,
                (f, r) -> r.mlflow("POST", "runs/create", f.experimentJson("")));
        allow("GET /api/2.0/mlflow/runs/get", VIEWER, Fixture::run, (f, r) -> r.mlflow("GET", "runs/get", "run_id=" + f.run));
        allow("POST /api/2.0/mlflow/runs/update", EDITOR, Fixture::run,
                (f, r) -> r.mlflow("POST", "runs/update", f.runJson(",\"status\":\"FINISHED\"")));
        allow("POST /api/2.0/mlflow/runs/delete", EDITOR, Fixture::run, (f, r) -> r.mlflow("POST", "runs/delete", f.runJson("")));
        allow("POST /api/2.0/mlflow/runs/restore", EDITOR, Fixture::deletedRun,
                (f, r) -> r.mlflow("POST", "runs/restore", f.runJson("")));
        allow("POST /api/2.0/mlflow/runs/search", VIEWER, Fixture::run,
                (f, r) -> r.mlflow("POST", "runs/search", "{\"experiment_ids\":[\"" + f.experiment + "\"]}"));
        allow("GET /api/2.0/mlflow/artifacts/list", VIEWER, Fixture::run,
                (f, r) -> r.mlflow("GET", "artifacts/list", "run_id=" + f.run));
        allow("POST /api/2.0/mlflow/runs/log-metric", EDITOR, Fixture::run, (f, r) -> r.mlflow("POST", "runs/log-metric",
                f.runJson(",\"key\":\"auc\",\"value\":0.9,\"timestamp\":1")));
        allow("POST /api/2.0/mlflow/runs/log-parameter", EDITOR, Fixture::run,
                (f, r) -> r.mlflow("POST", "runs/log-parameter", f.runJson(",\"key\":\"lr\",\"value\":\"0.1\"")));
        allow("POST /api/2.0/mlflow/runs/log-batch", EDITOR, Fixture::run, (f, r) -> r.mlflow("POST", "runs/log-batch",
                f.runJson(",\"metrics\":[{\"key\":\"loss\",\"value\":0.2,\"timestamp\":1}]")));
        allow("POST /api/2.0/mlflow/runs/set-tag", EDITOR, Fixture::run,
                (f, r) -> r.mlflow("POST", "runs/set-tag", f.runJson(",\"key\":\"k\",\"value\":\"v\"")));
        allow("POST /api/2.0/mlflow/runs/delete-tag", EDITOR, Fixture::runWithTag,
                (f, r) -> r.mlflow("POST", "runs/delete-tag", f.runJson(",\"key\":\"k\"")));
        allow("POST /api/2.0/mlflow/runs/log-inputs", EDITOR, Fixture::run, (f, r) -> r.mlflow("POST", "runs/log-inputs",
                f.runJson(",\"datasets\":[{\"dataset\":{\"name\":\"d\",\"digest\":\"abc\",\"source_type\":\"local\","
                        + "\"source\":\"/data\"}}]")));
        allow("GET /api/2.0/mlflow/metrics/get-history", VIEWER, Fixture::run,
                (f, r) -> r.mlflow("GET", "metrics/get-history", "run_id=" + f.run + "&metric_key=auc"));

        // MLflow's artifact proxy: viewer downloads, editor uploads, admin deletes bytes
        allow("GET /api/2.0/mlflow-artifacts/artifacts", VIEWER, Fixture::artifact,
                (f, r) -> r.get(r.prefix + "/mlflow-artifacts/artifacts?path=" + f.artifact.replaceFirst("/[^/]*$", "")));
        allow("GET /api/2.0/mlflow-artifacts/artifacts/<path>", VIEWER, Fixture::artifact,
                (f, r) -> r.get(r.prefix + "/mlflow-artifacts/artifacts/" + f.artifact));
        allow("PUT /api/2.0/mlflow-artifacts/artifacts/<path>", EDITOR, Fixture::none,
                (f, r) -> r.upload(r.prefix + "/mlflow-artifacts/artifacts/" + f.fresh + "/model.pkl", BYTES));
        allow("DELETE /api/2.0/mlflow-artifacts/artifacts/<path>", ADMIN_ROLE, Fixture::artifact,
                (f, r) -> r.delete(r.prefix + "/mlflow-artifacts/artifacts/" + f.artifact));
        for (String action : List.of("create", "complete", "abort")) {
            allow("POST /api/2.0/mlflow-artifacts/mpu/" + action + "/<path>", EDITOR, Fixture::none,
                    (f, r) -> r.post(r.prefix + "/mlflow-artifacts/mpu/" + action + "/x/model.pkl", "{}"), 501);
        }
    }

    private static String fresh(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet();
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One caller's calls: its headers, and the MLflow prefix of the route under test. */
    private record Req(String prefix, String[] headers) {
        Reply get(String path) {
            return api.get(path, headers);
        }

        Reply post(String path, String json) {
            return api.post(path, json, headers);
        }

        Reply put(String path, String json) {
            return api.put(path, json, headers);
        }

        Reply patch(String path, String json) {
            return api.patch(path, json, headers);
        }

        Reply delete(String path) {
            return api.delete(path, headers);
        }

        Reply upload(String path, byte[] bytes) {
            return api.upload(path, bytes, headers);
        }

        /** A web UI form, sent as a browser on the server's own pages sends it. */
        Reply form(String path, String body) {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(api.server.url() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", api.server.url())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            try {
                java.net.http.HttpResponse<byte[]> r = FORMS.send(request.build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                return new Reply(r.statusCode(), r.headers(), r.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** An MLflow RPC: {@code query} for GET, a JSON body otherwise (DELETE too, as MLflow's clients send it). */
        Reply mlflow(String method, String rpc, String queryOrJson) {
            String path = prefix + "/mlflow/" + rpc;
            return method.equals("GET") ? api.get(path + "?" + queryOrJson, headers)
                    : api.send(method, path, queryOrJson, method.equals("DELETE") ? withJson() : headers);
        }

        /** The headers with a JSON content type, which the test client adds itself to POST, PUT and PATCH only. */
        private String[] withJson() {
            String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
            all[headers.length] = "Content-Type";
            all[headers.length + 1] = "application/json";
            return all;
        }
    }

    // --- fixtures, made by the bootstrap admin --------------------------------------------------------------------

    /** What one call works on; {@link #since} bounds the events a refused call could have added. */
    private static final class Fixture {
        final String since = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        /** A name no model, experiment, user or artifact directory has yet: what a create call creates. */
        final String fresh = fresh("new");
        String model;
        String experiment;
        String experimentName;
        String run;
        String artifact;
        String user;
        String token;
        long request;
        long webhook;
        String delivery;
        /** A loopback port nobody listens on: deliveries fail at once. */
        static final String RECEIVER = "http://127.0.0.1:9/hook";

        /** The model, URL-encoded as a path segment. */
        String m() {
            return enc(model);
        }

        String json(String... fields) {
            return "{\"name\":\"" + model + "\"" + (fields.length == 0 ? "" : "," + String.join(",", fields)) + "}";
        }

        String experimentJson(String more) {
            return "{\"experiment_id\":\"" + experiment + "\"" + more + "}";
        }

        String runJson(String more) {
            return "{\"run_id\":\"" + run + "\"" + more + "}";
        }

        static Fixture none() {
            return new Fixture();
        }

        static Fixture model() {
            Fixture fx = new Fixture();
            fx.model = fresh("model");
            ok(api.post("/api/v1/models", "{\"name\":\"" + fx.model + "\"}", ADMIN));
            return fx;
        }

        static Fixture modelWithTag() {
            Fixture fx = model();
            ok(api.put(M + fx.m() + "/tags/team", "{\"value\":\"ml\"}", ADMIN));
            return fx;
        }

        static Fixture modelWithGrant() {
            Fixture fx = model();
            ok(api.put(M + fx.m() + "/grants/otto", "{\"role\":\"editor\"}", ADMIN));
            return fx;
        }

        static Fixture modelWithPolicy() {
            Fixture fx = model();
            ok(api.put(M + fx.m() + "/policy", "{\"approvals\":1}", ADMIN));
            return fx;
        }

        static Fixture draft() {
            Fixture fx = model();
            ok(api.post(M + fx.m() + "/versions", "{}", ADMIN));
            return fx;
        }

        static Fixture draftWithFile() {
            Fixture fx = draft();
            ok(api.upload(M + fx.m() + "/versions/1/files/model.bin", BYTES, ADMIN));
            return fx;
        }

        static Fixture ready() {
            Fixture fx = model();
            api.registerAs(ADMIN, fx.model, "model.bin", BYTES);
            return fx;
        }

        static Fixture readyTwice() {
            Fixture fx = ready();
            api.registerAs(ADMIN, fx.model, "model.bin", "other".getBytes(StandardCharsets.UTF_8));
            return fx;
        }

        static Fixture readyWithTag() {
            Fixture fx = ready();
            ok(api.put(M + fx.m() + "/versions/1/tags/team", "{\"value\":\"ml\"}", ADMIN));
            return fx;
        }

        static Fixture readyWithAlias() {
            Fixture fx = ready();
            ok(api.put(M + fx.m() + "/aliases/candidate", "{\"version\":1}", ADMIN));
            return fx;
        }

        /** A webhook of a fresh model, for its tags. */
        static Fixture webhook() {
            Fixture fx = model();
            Reply created = api.post("/api/v1/webhooks", "{\"url\":\"" + RECEIVER + "\",\"model\":\"" + fx.model
                    + "\",\"events\":[\"model.tag_set\"]}", ADMIN);
            ok(created);
            fx.webhook = created.json().path("webhook").path("id").asLong();
            return fx;
        }

        /** A webhook with one delivery, made by the dispatcher from a tag event. */
        static Fixture delivery() {
            Fixture fx = webhook();
            ok(api.put(M + fx.m() + "/tags/team", "{\"value\":\"ml\"}", ADMIN));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (fx.delivery == null) {
                Reply log = api.get("/api/v1/webhooks/" + fx.webhook + "/deliveries", ADMIN);
                ok(log);
                if (!log.json().path("deliveries").isEmpty()) {
                    fx.delivery = log.json().path("deliveries").get(0).path("id").asText();
                } else {
                    assertThat(System.nanoTime()).as("a delivery within 20 s").isLessThan(deadline);
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
                }
            }
            return fx;
        }

        /** Version 1 held Production, then version 2: a rollback restores 1. */
        static Fixture twoProductions() {
            Fixture fx = readyTwice();
            ok(api.post(M + fx.m() + "/versions/1/stage", "{\"stage\":\"Production\"}", ADMIN));
            ok(api.post(M + fx.m() + "/versions/2/stage", "{\"stage\":\"Production\"}", ADMIN));
            return fx;
        }

        /** A pending request by rick (an editor) to move version 1 to Production. */
        static Fixture request() {
            Fixture fx = ready();
            Reply filed = api.post("/api/v1/requests", "{\"model\":\"" + fx.model + "\",\"version\":1,"
                    + "\"target\":\"production\"}", rick);
            ok(filed);
            fx.request = filed.json().path("id").asLong();
            return fx;
        }

        static Fixture user() {
            Fixture fx = new Fixture();
            fx.user = fresh("user");
            api.createUser(fx.user, "viewer");
            return fx;
        }

        /** A token of otto, a viewer no caller is. */
        static Fixture token() {
            Fixture fx = new Fixture();
            Reply created = api.post("/api/v1/tokens", "{\"user\":\"otto\"}", ADMIN);
            ok(created);
            fx.token = created.json().path("id").asText();
            return fx;
        }

        static Fixture experiment() {
            Fixture fx = new Fixture();
            fx.experimentName = fresh("experiment");
            Reply created = api.post("/api/2.0/mlflow/experiments/create", "{\"name\":\"" + fx.experimentName + "\"}",
                    ADMIN);
            ok(created);
            fx.experiment = created.json().path("experiment_id").asText();
            return fx;
        }

        static Fixture deletedExperiment() {
            Fixture fx = experiment();
            ok(api.post("/api/2.0/mlflow/experiments/delete", fx.experimentJson(""), ADMIN));
            return fx;
        }

        static Fixture experimentWithTag() {
            Fixture fx = experiment();
            ok(api.post("/api/2.0/mlflow/experiments/set-experiment-tag", fx.experimentJson(",\"key\":\"k\",\"value\":\"v\""),
                    ADMIN));
            return fx;
        }

        static Fixture run() {
            Fixture fx = experiment();
            Reply created = api.post("/api/2.0/mlflow/runs/create", fx.experimentJson(""), ADMIN);
            ok(created);
            fx.run = created.json().path("run").path("info").path("run_id").asText();
            ok(api.post("/api/2.0/mlflow/runs/log-metric", fx.runJson(",\"key\":\"auc\",\"value\":0.8,\"timestamp\":1"),
                    ADMIN));
            return fx;
        }

        static Fixture deletedRun() {
            Fixture fx = run();
            ok(api.post("/api/2.0/mlflow/runs/delete", fx.runJson(""), ADMIN));
            return fx;
        }

        static Fixture runWithTag() {
            Fixture fx = run();
            ok(api.post("/api/2.0/mlflow/runs/set-tag", fx.runJson(",\"key\":\"k\",\"value\":\"v\""), ADMIN));
            return fx;
        }

        static Fixture artifact() {
            Fixture fx = new Fixture();
            fx.artifact = fresh("artifacts") + "/model.pkl";
            ok(api.upload("/api/2.0/mlflow-artifacts/artifacts/" + fx.artifact, BYTES, ADMIN));
            return fx;
        }

        private static void ok(Reply reply) {
            assertThat(reply.status()).as("fixture: " + reply).isBetween(200, 299);
        }
    }
}
