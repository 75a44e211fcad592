package dev.cairn.server.internal.ui;

import dev.cairn.core.governance.Actor;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the precompiled templates ({@code src/main/jte}, compiled to classes at build time, HTML escaping on) and
 * carries the one-shot flash message of an action across its redirect in a short-lived cookie.
 */
final class Pages {
    /** Where jte-maven-plugin puts the template classes (see the module's pom). */
    private static final String PACKAGE = "dev.cairn.server.internal.ui.jte";
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, null, PACKAGE);
    private static final String FLASH = "cairn_flash";
    /** Scripts and styles from this server only; no inline script; the pages may not be framed (clickjacking). */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private Pages() {}

    /** Renders {@code template} with the page's chrome and its view, answering {@code status}. */
    static void render(Context ctx, int status, String template, Chrome chrome, Object view) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("chrome", chrome);
        if (view != null) {
            params.put("view", view);
        }
        StringOutput out = new StringOutput();
        ENGINE.render(template, params, out);
        ctx.status(status);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", POLICY);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(out.toString());
    }

    /**
     * The chrome of a page for the caller: their name and role (the local user with authentication off), and the
     * flash message left by the action that redirected here, or {@code flash} when the page answers an action itself.
     */
    static Chrome chrome(Context ctx, String title, Actor actor, boolean authOn, Chrome.Flash flash) {
        Chrome.Flash shown = flash != null ? flash : takeFlash(ctx);
        if (actor == null) {
            return new Chrome(title, "", "", false, shown);
        }
        String role = actor.governed() ? actor.role().label() : "local user, authentication off";
        return new Chrome(title, actor.name(), role, actor.governed(), shown);
    }

    /** Redirects after a successful action (303: the browser follows with a GET), with a message for the next page. */
    static void redirect(Context ctx, String location, String message) {
        if (message != null) {
            ctx.res().addHeader("Set-Cookie", FLASH + "=" + URLEncoder.encode(message, StandardCharsets.UTF_8)
                    + "; Path=/; Max-Age=60; HttpOnly; SameSite=Strict" + (secure(ctx) ? "; Secure" : ""));
        }
        ctx.redirect(location, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Whether the browser reached us over https (directly, or through a proxy that says so). */
    static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static Chrome.Flash takeFlash(Context ctx) {
        String value = ctx.cookie(FLASH);
        if (value == null || value.isEmpty()) {
            return null;
        }
        ctx.res().addHeader("Set-Cookie", FLASH + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        try {
            return new Chrome.Flash(Fmt.cut(URLDecoder.decode(value, StandardCharsets.UTF_8), 500), false, List.of());
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
