package dev.cairn.server.internal.ui;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.server.internal.auth.Authentication;
import io.javalin.http.Context;
import java.util.List;

/**
 * Failures of the UI's pages as pages: a caller who is not signed in is sent to the sign-in form (303, coming back
 * after), anything else is an error page with the status and the message the API would give.
 */
public final class UiErrors {
    private UiErrors() {}

    /** The view of the error page. */
    public record ErrorView(int status, String code) {}

    public static void reply(Context ctx, RegistryException e) {
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            String query = ctx.queryString();
            String back = ctx.method().name().equals("GET") ? ctx.path() + (query == null ? "" : "?" + query) : "/";
            ctx.res().addHeader("Set-Cookie", Authentication.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            Pages.redirect(ctx, "/ui/signin?next=" + Fmt.q(UiRoutes.localPath(back)), null);
            return;
        }
        int status = e.code().httpStatus();
        Chrome.Flash flash = new Chrome.Flash(e.getMessage(), true, List.of());
        Pages.render(ctx, status, "error.jte", Pages.chrome(ctx, title(e.code()), Authentication.callerIfKnown(ctx),
                true, flash), new ErrorView(status, e.code().name()));
    }

    private static String title(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> "Not found";
            case PERMISSION_DENIED -> "Not allowed";
            case INVALID_ARGUMENT -> "Invalid request";
            case INTERNAL -> "Something went wrong";
            default -> "Refused";
        };
    }
}
