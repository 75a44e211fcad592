package dev.cairn.server.internal.auth;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Actor;
import dev.cairn.server.internal.http.Route;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who calls, decided once per request before the route's handler runs, and kept in the request for the handlers.
 * With authentication on, the caller is the user of the request's API token, sent as {@code Authorization: Bearer
 * TOKEN} or, as MLflow clients send it, {@code Authorization: Basic base64(USER:TOKEN)} (the token is the password and
 * decides the user; the user name is not checked). The {@code X-Cairn-User} header is then ignored. With authentication
 * off, the caller is the single local user, named by that header (or {@code anonymous}). The token itself never
 * appears in an answer or a log line.
 *
 * <p>A browser signed in to the web UI sends the token in the {@link #COOKIE} cookie instead. It is accepted only
 * without an Authorization header, and only where a forged cross-site request can change nothing: on reads (GET,
 * HEAD; file downloads included) and on the UI's own forms, which refuse requests from another origin.
 */
public final class Authentication {
    /** Names the local user when authentication is off; ignored when it is on. */
    public static final String USER_HEADER = "X-Cairn-User";
    public static final String CHALLENGE = "Bearer realm=\"cairn\"";
    public static final String BASIC_CHALLENGE = "Basic realm=\"cairn\"";
    /** The web UI's sign-in cookie: the API token, HttpOnly and SameSite=Strict. */
    public static final String COOKIE = "cairn_token";
    private static final String ACTOR = "cairn.actor";
    private static final String HOW = "send 'Authorization: Bearer TOKEN' (MLflow clients: MLFLOW_TRACKING_TOKEN, or "
            + "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD with the token as the password)";

    private final GovernanceService governance;
    private final boolean enabled;

    /** @param enabled whether callers must authenticate; when false, {@code governance} is not asked */
    public Authentication(GovernanceService governance, boolean enabled) {
        this.governance = governance;
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The route's handler behind the check of its {@link Access}: 401 without a valid token, 403 below its role. */
    public Handler guard(Route route) {
        Handler handler = route.handler();
        if (route.access() == Access.PUBLIC) {
            return handler;
        }
        return ctx -> {
            Actor actor = caller(ctx);
            route.access().check(actor, ctx.method() + " " + ctx.path());
            ctx.attribute(ACTOR, actor);
            handler.handle(ctx);
        };
    }

    /** The caller of a request that passed {@link #guard}. */
    public static Actor actor(Context ctx) {
        Actor actor = ctx.attribute(ACTOR);
        if (actor == null) {
            throw new IllegalStateException("no caller for " + ctx.method() + " " + ctx.path()
                    + ": the route is public");
        }
        return actor;
    }

    /** The caller when {@link #guard} decided one, else null (a public route, or a request refused before). */
    public static Actor callerIfKnown(Context ctx) {
        return ctx.attribute(ACTOR);
    }

    private Actor caller(Context ctx) {
        if (!enabled) {
            return Actor.local(ctx.header(USER_HEADER));
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            String cookie = ctx.cookie(COOKIE);
            if (cookie != null && !cookie.isBlank() && cookieAccepted(ctx)) {
                return governance.authenticate(URLDecoder.decode(cookie, StandardCharsets.UTF_8));
            }
        }
        return governance.authenticate(token(authorization));
    }

    /** Reads anywhere, and the web UI's forms (each checks the request's origin before it acts). */
    private static boolean cookieAccepted(Context ctx) {
        String method = ctx.method().name();
        return method.equals("GET") || method.equals("HEAD") || isUiPath(ctx.path());
    }

    /** The web UI's paths: its home page {@code /} and everything under {@code /ui/}. */
    public static boolean isUiPath(String path) {
        return path.equals("/") || path.startsWith("/ui/");
    }

    /** The token of an Authorization header: a Bearer token, or a Basic password. */
    static String token(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw RegistryException.unauthenticated("authentication required: " + HOW);
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String credentials = space < 0 ? "" : header.substring(space + 1).strip();
        if (!credentials.isEmpty() && scheme.equalsIgnoreCase("Bearer")) {
            return credentials;
        }
        if (!credentials.isEmpty() && scheme.equalsIgnoreCase("Basic")) {
            String password = basicPassword(credentials);
            if (password != null && !password.isBlank()) {
                return password;
            }
        }
        throw RegistryException.unauthenticated("malformed Authorization header: " + HOW);
    }

    /** The password of Basic credentials, or null when they are not base64 of {@code USER:PASSWORD}. */
    private static String basicPassword(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
