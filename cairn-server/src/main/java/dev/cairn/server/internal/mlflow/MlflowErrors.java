package dev.cairn.server.internal.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import io.javalin.http.Context;

/**
 * Errors of the MLflow-compatible API in MLflow's shape, {@code {"error_code": "...", "message": "..."}}, with MLflow's
 * status for each code (RESOURCE_ALREADY_EXISTS is 400 there, not 409). The server's one exception mapper calls this
 * for every path under an MLflow prefix.
 */
public final class MlflowErrors {
    private MlflowErrors() {}

    /** Whether a request path belongs to the MLflow-compatible API. */
    public static boolean isMlflowPath(String path) {
        return path.startsWith("/api/2.0/") || path.startsWith("/ajax-api/2.0/");
    }

    public static void reply(Context ctx, RegistryException e) {
        String code = switch (e.code()) {
            case INVALID_ARGUMENT, PAYLOAD_TOO_LARGE -> "INVALID_PARAMETER_VALUE";
            case NOT_FOUND -> "RESOURCE_DOES_NOT_EXIST";
            case ALREADY_EXISTS -> "RESOURCE_ALREADY_EXISTS";
            case FAILED_PRECONDITION -> "RESOURCE_CONFLICT";
            case PERMISSION_DENIED -> "PERMISSION_DENIED";
            case UNAUTHENTICATED -> "UNAUTHENTICATED";
            case UNAVAILABLE -> "TEMPORARILY_UNAVAILABLE";
            case INTERNAL -> "INTERNAL_ERROR";
        };
        reply(ctx, code, status(code), e.getMessage());
    }

    public static void reply(Context ctx, MlflowException e) {
        reply(ctx, e.errorCode(), e.status(), e.getMessage());
    }

    /** A request under an MLflow prefix that matches no endpoint. */
    public static void endpointNotFound(Context ctx) {
        reply(ctx, "ENDPOINT_NOT_FOUND", 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
    }

    public static void reply(Context ctx, String errorCode, int status, String message) {
        ObjectNode body = MlflowJson.mapper().createObjectNode();
        body.put("error_code", errorCode);
        body.put("message", message);
        MlflowJson.send(ctx, status, body);
    }

    /** MLflow's HTTP status for an error code. */
    static int status(String errorCode) {
        return switch (errorCode) {
            case "INVALID_PARAMETER_VALUE", "BAD_REQUEST", "RESOURCE_ALREADY_EXISTS" -> 400;
            case "RESOURCE_DOES_NOT_EXIST", "ENDPOINT_NOT_FOUND", "NOT_FOUND" -> 404;
            case "PERMISSION_DENIED" -> 403;
            case "UNAUTHENTICATED", "CUSTOMER_UNAUTHORIZED" -> 401;
            case "ABORTED", "RESOURCE_CONFLICT", "ALREADY_EXISTS" -> 409;
            case "REQUEST_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED" -> 429;
            case "NOT_IMPLEMENTED" -> 501;
            case "TEMPORARILY_UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 500;
        };
    }

    /** Cairn's code for an MLflow status, for failures raised below this layer. */
    static ErrorCode codeFor(int status) {
        return status == 404 ? ErrorCode.NOT_FOUND : status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
    }
}
