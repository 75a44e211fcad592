package dev.cairn.server.internal.ui;

import dev.cairn.core.GovernanceService;
import dev.cairn.core.PromotionBlocked;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import dev.cairn.server.internal.auth.Authentication;
import dev.cairn.server.internal.http.ApiRequest;
import dev.cairn.server.internal.http.GovernanceWire;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * The UI's forms: promote, set an alias, request approval, roll back, approve, reject. Each needs its confirmation
 * box ticked, then calls the same service as the API with the signed-in caller, so the registry decides what is
 * allowed. Success redirects back (303) with a message; a refusal shows the page again with the reason and the
 * refusal's status (400, 403, 404, 409).
 */
final class Actions {
    private final RegistryService service;
    private final GovernanceService governance;
    private final BrowsePages browse;
    private final GovernancePages governancePages;

    Actions(RegistryService service, GovernanceService governance, BrowsePages browse, GovernancePages governancePages) {
        this.service = service;
        this.governance = governance;
        this.browse = browse;
        this.governancePages = governancePages;
    }

    /** What an action does once its form is checked; returns the message shown after the redirect. */
    @FunctionalInterface
    private interface Step {
        String run(Actor actor);
    }

    /** The page that shows a refusal. */
    @FunctionalInterface
    private interface Refused {
        void show(Context ctx, int status, Chrome.Flash flash);
    }

    void promote(Context ctx) {
        String name = ctx.pathParam("name");
        onModel(ctx, "move a version to a stage", actor -> {
            int version = BrowsePages.versionNumber(required(ctx, "version"));
            Stage stage = Stage.parse(required(ctx, "stage"));
            service.transition(actor, name, version, stage, comment(ctx), true);
            return "Version " + version + " of " + name + " moved to " + stage.label() + ".";
        });
    }

    void alias(Context ctx) {
        String name = ctx.pathParam("name");
        onModel(ctx, "point an alias at a version", actor -> {
            String alias = required(ctx, "alias").strip();
            alias = alias.startsWith("@") ? alias.substring(1) : alias;
            int version = BrowsePages.versionNumber(required(ctx, "version"));
            service.setAlias(actor, name, alias, version, comment(ctx));
            return "@" + alias + " of " + name + " now points at version " + version + ".";
        });
    }

    void request(Context ctx) {
        String name = ctx.pathParam("name");
        onModel(ctx, "request a promotion", actor -> {
            int version = BrowsePages.versionNumber(required(ctx, "version"));
            TransitionRequest created = governance.createRequest(actor, name, version,
                    GovernanceWire.target(required(ctx, "target")), comment(ctx));
            return "Request #" + created.id() + " asks approvers to move version " + version + " to "
                    + created.target() + ".";
        });
    }

    void rollback(Context ctx) {
        String name = ctx.pathParam("name");
        onModel(ctx, "roll back", actor -> {
            String text = required(ctx, "pointer").strip();
            Pointer pointer = text.startsWith("@") ? Pointer.alias(text.substring(1))
                    : new Pointer(Pointer.Kind.STAGE, Stage.parse(text).label());
            int restored = service.rollback(actor, name, pointer, Optional.empty(), comment(ctx)).version();
            return pointer + " of " + name + " rolled back to version " + restored + ".";
        });
    }

    void approve(Context ctx) {
        onRequest(ctx, "approve a request", actor -> {
            TransitionRequest r = governance.approve(actor, ApiRequest.pathId(ctx, "request"), comment(ctx));
            return "Request #" + r.id() + " (" + r.model() + " v" + r.version() + " → " + r.target() + ") is "
                    + r.status().name().toLowerCase(java.util.Locale.ROOT) + ".";
        });
    }

    void reject(Context ctx) {
        onRequest(ctx, "reject a request", actor -> {
            TransitionRequest r = governance.reject(actor, ApiRequest.pathId(ctx, "request"), comment(ctx));
            return "Request #" + r.id() + " (" + r.model() + " v" + r.version() + ") rejected.";
        });
    }

    private void onModel(Context ctx, String what, Step step) {
        act(ctx, what, step, Fmt.model(ctx.pathParam("name")), browse::model);
    }

    private void onRequest(Context ctx, String what, Step step) {
        act(ctx, what, step, "/ui/requests", governancePages::requests);
    }

    private static void act(Context ctx, String what, Step step, String back, Refused refused) {
        String message;
        try {
            if (ctx.formParam("confirm") == null) {
                throw RegistryException.invalid("nothing was changed: tick “I confirm” to " + what);
            }
            message = step.run(Authentication.actor(ctx));
        } catch (RegistryException e) {
            refused.show(ctx, e.code().httpStatus(), flash(e));
            return;
        }
        Pages.redirect(ctx, back, message);
    }

    /** A refusal as the page shows it: the message, and each failed check of a blocked promotion. */
    static Chrome.Flash flash(RegistryException e) {
        List<String> details = e instanceof PromotionBlocked blocked
                ? blocked.report().failed().stream().map(c -> c.check() + ": " + c.detail()).toList()
                : List.of();
        String message = e instanceof PromotionBlocked blocked
                ? "Version " + blocked.report().version() + " may not move to " + blocked.report().target()
                        + ": the promotion policy refused it."
                : capitalized(e.getMessage());
        return new Chrome.Flash(message, true, details);
    }

    private static String capitalized(String text) {
        return text == null || text.isEmpty() ? "Refused." : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String required(Context ctx, String field) {
        String value = ctx.formParam(field);
        if (value == null || value.isBlank()) {
            throw RegistryException.invalid(field + " is required");
        }
        return value;
    }

    private static String comment(Context ctx) {
        String value = ctx.formParam("comment");
        return value == null || value.isBlank() ? null : value.strip();
    }
}
