package dev.cairn.server.internal.http;

import dev.cairn.api.ApiModels.ErrorBody;
import dev.cairn.api.ApiModels.ErrorDetail;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.server.internal.auth.Authentication;
import dev.cairn.server.internal.files.FileRoutes;
import dev.cairn.server.internal.mlflow.MlflowErrors;
import dev.cairn.server.internal.mlflow.MlflowException;
import dev.cairn.server.internal.ui.UiErrors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP: a {@link RegistryException} answers the status its {@link ErrorCode}
 * owns, Javalin's own rejections (no such route, body too large) keep their status, and anything else is a 500 with a
 * generic message while the stack trace goes to the log only. A 401 names the schemes a client may authenticate with
 * ({@code WWW-Authenticate}); a promotion refused by policy (409) carries its checks in the details. Failures of the
 * web UI's paths become pages ({@link UiErrors}).
 */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    public static void register(RoutesConfig routes) {
        routes.exception(RegistryException.class, (e, ctx) -> {
            closeIfBodyUnread(ctx);
            reply(ctx, e);
        });
        routes.exception(MlflowException.class, (e, ctx) -> {
            closeIfBodyUnread(ctx);
            MlflowErrors.reply(ctx, e);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            closeIfBodyUnread(ctx);
            reply(ctx, fromJavalin(e, ctx));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            closeIfBodyUnread(ctx);
            if (clientWentAway(e)) {
                // Nothing to answer and nothing wrong with the server: a client closed its connection mid-answer.
                LOG.debug("{} {}: client closed the connection", ctx.method(), ctx.path());
                return;
            }
            if (unwrap(e) instanceof MlflowException mlflow) {
                MlflowErrors.reply(ctx, mlflow); // thrown by an asynchronous MLflow handler
                return;
            }
            reply(ctx, unexpected(e, ctx));
        });
    }

    /**
     * A request refused before its body was read (a bad path, a missing version, a body too large) ends its
     * connection, and says so. Jetty would drop it silently, and a client that sends the next request on it, or that
     * writes the body late, has that body read as the start of its next request.
     */
    private static void closeIfBodyUnread(Context ctx) {
        boolean hasBody = ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        if (hasBody && !bodyFullyRead(ctx)) {
            ctx.header("Connection", "close");
        }
    }

    private static boolean bodyFullyRead(Context ctx) {
        try {
            return ctx.req().getInputStream().isFinished();
        } catch (IOException | IllegalStateException e) {
            return false; // read through a reader, or the connection is gone: closing is the safe answer
        }
    }

    /** The error body for a status, for failures answered outside the routes (Jetty's own rejections). */
    public static byte[] body(int status, String message) {
        ErrorCode code = codeFor(status);
        return JsonReply.serialize(new ErrorBody(new ErrorDetail(code.name(), message, Map.of())));
    }

    public static ErrorCode codeFor(int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code;
            }
        }
        return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
    }

    private static void reply(Context ctx, RegistryException e) {
        if (e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.PERMISSION_DENIED) {
            // Who was refused what, for the operator; messages never hold a token, and headers are never logged.
            LOG.info("{} {} refused: {}", ctx.method(), ctx.path(), e.getMessage());
        }
        if (Authentication.isUiPath(ctx.path())) {
            UiErrors.reply(ctx, e); // people in a browser: a page, or the sign-in form
            return;
        }
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            ctx.res().addHeader("WWW-Authenticate", Authentication.CHALLENGE);
            if (MlflowErrors.isMlflowPath(ctx.path())) {
                ctx.res().addHeader("WWW-Authenticate", Authentication.BASIC_CHALLENGE);
            }
        }
        if (MlflowErrors.isMlflowPath(ctx.path())) {
            MlflowErrors.reply(ctx, e);
            return;
        }
        ErrorBody body = new ErrorBody(new ErrorDetail(e.code().name(), e.getMessage(), e.details()));
        JsonReply.send(ctx, e.code().httpStatus(), body);
    }

    private static RegistryException fromJavalin(HttpResponseException e, Context ctx) {
        if (e instanceof EndpointNotFound && MlflowErrors.isMlflowPath(ctx.path())) {
            return new RegistryException(ErrorCode.NOT_FOUND, "no such endpoint: " + ctx.method() + " " + ctx.path());
        }
        if (e instanceof EndpointNotFound && Authentication.isUiPath(ctx.path())) {
            return RegistryException.notFound("no such page: " + ctx.path());
        }
        if (e instanceof EndpointNotFound) {
            if (FileRoutes.isUploadWithoutPath(ctx)) {
                return RegistryException.invalid("file path must not be empty: upload to .../files/{path}");
            }
            return RegistryException.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()
                    + "; see GET /api/v1/openapi.json");
        }
        ErrorCode code = codeFor(e.getStatus());
        String message = e.getStatus() == 413 ? "request body is too large" : e.getMessage();
        return new RegistryException(code, message, Map.copyOf(e.getDetails()), null);
    }

    private static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EofException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static RegistryException unexpected(Exception e, Context ctx) {
        Throwable cause = unwrap(e);
        if (cause instanceof RegistryException registry) {
            return registry;
        }

        if (cause instanceof HttpResponseException javalin) {
            return fromJavalin(javalin, ctx);
        }
        LOG.error("{} {} failed", ctx.method(), ctx.path(), cause);
        return new RegistryException(ErrorCode.INTERNAL, "internal error; the server log has the details");
    }
}
