package dev.cairn.server.internal.ui;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.deploy.DeploymentService;
import dev.cairn.server.internal.auth.Access;
import dev.cairn.server.internal.auth.Authentication;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The web UI: server-rendered pages at {@code /} and under {@code /ui/}, readable without JavaScript, its forms, the
 * sign-in with an API token kept in an HttpOnly cookie, and its two static files. Every page needs a signed-in user
 * (any role); the forms call the services, which check the caller's role on the model. Because a cookie
 * authenticates, every form refuses a request whose {@code Origin} (or {@code Referer}) is another site.
 */
public final class UiRoutes {
    private static final String MODEL = "/ui/models/{name}";
    private static final String HTMX = "META-INF/resources/webjars/htmx.org/%s/dist/htmx.min.js";

    private final GovernanceService governance;
    private final boolean authOn;
    private final BrowsePages browse;
    private final GovernancePages governancePages;
    private final Actions actions;
    private final Map<String, Asset> assets;

    /** A static file: its bytes and content type. */
    private record Asset(byte[] bytes, String type) {}

    public UiRoutes(RegistryService service, GovernanceService governance, DeploymentService deployments,
                    boolean authOn) {
        this.governance = governance;
        this.authOn = authOn;
        this.browse = new BrowsePages(service, governance, deployments, authOn);
        this.governancePages = new GovernancePages(service, governance, authOn);
        this.actions = new Actions(service, governance, browse, governancePages);
        this.assets = Map.of(
                "cairn.css", new Asset(resource("ui/cairn.css"), "text/css; charset=utf-8"),
                "htmx.min.js", new Asset(resource(HTMX.formatted(htmxVersion())), "text/javascript; charset=utf-8"));
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/", Access.AUTHENTICATED, browse::models),
                Route.get(MODEL, Access.AUTHENTICATED, browse::model),
                Route.get(MODEL + "/versions/{version}", Access.AUTHENTICATED, browse::version),
                Route.get(MODEL + "/compare", Access.AUTHENTICATED, browse::compare),
                Route.get("/ui/lineage", Access.AUTHENTICATED, governancePages::lineage),
                Route.get("/ui/audit", Access.AUTHENTICATED, governancePages::audit),
                Route.get("/ui/requests", Access.AUTHENTICATED, governancePages::requests),
                Route.post(MODEL + "/promote", Access.AUTHENTICATED, sameOrigin(actions::promote)),
                Route.post(MODEL + "/alias", Access.AUTHENTICATED, sameOrigin(actions::alias)),
                Route.post(MODEL + "/request", Access.AUTHENTICATED, sameOrigin(actions::request)),
                Route.post(MODEL + "/rollback", Access.AUTHENTICATED, sameOrigin(actions::rollback)),
                Route.post("/ui/requests/{id}/approve", Access.AUTHENTICATED, sameOrigin(actions::approve)),
                Route.post("/ui/requests/{id}/reject", Access.AUTHENTICATED, sameOrigin(actions::reject)),
                Route.get("/ui/signin", Access.PUBLIC, this::signInPage),
                Route.post("/ui/signin", Access.PUBLIC, sameOrigin(this::signIn)),
                Route.post("/ui/signout", Access.PUBLIC, sameOrigin(this::signOut)),
                Route.get("/ui/static/{file}", Access.PUBLIC, this::asset));
    }

    // --- sign-in ------------------------------------------------------------------------------------------------

    /** The sign-in form's view: where to go after, and whether authentication is on at all. */
    public record SignInView(String next) {}

    private void signInPage(Context ctx) {
        if (!authOn) {
            Pages.redirect(ctx, "/", null);
            return;
        }
        Pages.render(ctx, 200, "signin.jte", Pages.chrome(ctx, "Sign in", null, authOn, null),
                new SignInView(localPath(ctx.queryParam("next"))));
    }

    private void signIn(Context ctx) {
        String next = localPath(ctx.formParam("next"));
        if (!authOn) {
            Pages.redirect(ctx, next, null);
            return;
        }
        String token = ctx.formParam("token");
        try {
            governance.authenticate(token == null ? null : token.strip());
        } catch (RegistryException refused) {
            // The reason (unknown, expired, revoked) names the token's id at most, never the token.
            Pages.render(ctx, 401, "signin.jte", Pages.chrome(ctx, "Sign in", null, authOn,
                    new Chrome.Flash("Sign-in failed: " + refused.getMessage(), true, List.of())), new SignInView(next));
            return;
        }
        ctx.res().addHeader("Set-Cookie", Authentication.COOKIE + "="
                + URLEncoder.encode(token.strip(), StandardCharsets.UTF_8)
                + "; Path=/; HttpOnly; SameSite=Strict" + (Pages.secure(ctx) ? "; Secure" : ""));
        Pages.redirect(ctx, next, null);
    }

    private void signOut(Context ctx) {
        ctx.res().addHeader("Set-Cookie", Authentication.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (Pages.secure(ctx) ? "; Secure" : ""));
        Pages.redirect(ctx, authOn ? "/ui/signin" : "/", authOn ? "Signed out." : null);
    }

    /** {@code next} when it is a path on this server, else {@code /}: sign-in never sends anyone elsewhere. */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "/";
        }
        return next;
    }

    // --- cross-site request forgery -----------------------------------------------------------------------------

    /**
     * The handler behind a check that the form was sent from a page of this server: browsers send {@code Origin} with
     * every form POST (or at least {@code Referer}), and another site cannot forge either. The host compared is the
     * one the browser addressed ({@code Host}), so a proxy in front changes nothing.
     */
    static Handler sameOrigin(Handler handler) {
        return ctx -> {
            String host = ctx.header("Host");
            String origin = ctx.header("Origin");
            String source = origin != null && !origin.equals("null") ? origin : ctx.header("Referer");
            String authority = authority(source);
            if (host == null || authority == null || !authority.equalsIgnoreCase(host)) {
                throw RegistryException.permissionDenied("refused a form sent from another site ("
                        + (source == null ? "no Origin or Referer header" : "origin " + Fmt.cut(source, 100))
                        + "): nothing was changed");
            }
            handler.handle(ctx);
        };
    }

    private static String authority(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            return URI.create(url.strip()).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // --- static files -------------------------------------------------------------------------------------------

    private void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            throw RegistryException.notFound("no such file: " + ctx.path());
        }
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(asset.type());
        ctx.result(asset.bytes());
    }

    private static String htmxVersion() {
        Properties pom = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = UiRoutes.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing from the class path: " + name);
        }
        return in;
    }
}
