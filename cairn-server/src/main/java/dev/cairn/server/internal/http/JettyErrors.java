package dev.cairn.server.internal.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty rejects before any route runs (an ambiguous or malformed URI, oversized headers) with
 * the API's JSON error body instead of an HTML page, so every client sees one error format.
 */
public final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = ApiErrors.body(code, describe(code, cause != null && cause.getMessage() != null
                ? cause.getMessage() : message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonReply.CONTENT_TYPE);
        // Jetty drops the connection after rejecting a request this early; say so, or clients reuse a dead socket.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Jetty's reasons are terse ("400: Bad Request"); say where the request failed. */
    private static String describe(int code, String message) {
        String reason = message == null ? "" : message.replaceFirst("^\\d{3}: ", "").strip();
        return "request rejected before reaching the API (HTTP " + code + (reason.isEmpty() ? "" : ", " + reason)
                + "): check the URL for encoded NUL or control characters and the headers for size and syntax";
    }
}
