package dev.cairn.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.cairn.api.Json;
import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Actor;
import dev.cairn.server.internal.auth.Authentication;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The typed view of one API request: path and query parameters, the caller and the JSON body, each failing with
 * an INVALID_ARGUMENT that says what was wrong.
 */
public final class ApiRequest {
    private final Context ctx;

    private ApiRequest(Context ctx) {
        this.ctx = ctx;
    }

    public static ApiRequest of(Context ctx) {
        return new ApiRequest(ctx);
    }

    /** Who calls, as {@link Authentication} decided before the handler ran; recorded on the events it causes. */
    public Actor actor() {
        return Authentication.actor(ctx);
    }

    /** The model name of the path, already URL-decoded. */
    public String model() {
        return ctx.pathParam("name");
    }

    public int version() {
        return versionNumber("version", ctx.pathParam("version"));
    }

    public String path(String name) {
        return ctx.pathParam(name);
    }

    public String query(String name) {
        return ctx.queryParam(name);
    }

    /** Every value of a repeatable query parameter, with comma-separated values split. */
    public List<String> queries(String name) {
        List<String> values = new ArrayList<>();
        for (String value : ctx.queryParams(name)) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        return values;
    }

    public Integer intQuery(String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw RegistryException.invalid(name + " must be a whole number, got '" + text + "'");
        }
    }

    /** An ISO-8601 time query parameter, such as {@code 2026-03-01T12:00:00Z}, or null when absent. */
    public Instant timeQuery(String name) {
        String text = ctx.queryParam(name);
        return text == null || text.isEmpty() ? null : parseTime(name, text);
    }

    /** The ISO-8601 time {@code text} given as {@code name} (a query parameter or a body field). */
    public static Instant parseTime(String name, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw RegistryException.invalid(name + " must be an ISO-8601 time such as 2026-03-01T12:00:00Z, got '"
                    + text + "'");
        }
    }

    public Integer limit() {
        return intQuery("limit");
    }

    public String pageToken() {
        return ctx.queryParam("page_token");
    }

    /** An enum query parameter matched case-insensitively, or null when absent. */
    public <E extends Enum<E>> E enumQuery(String name, Class<E> type) {
        String text = ctx.queryParam(name);
        return text == null || text.isEmpty() ? null : parseEnum(name, text, type);
    }

    public static <E extends Enum<E>> E parseEnum(String what, String text, Class<E> type) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (E value : type.getEnumConstants()) {
                known.add(value.name());
            }
            throw RegistryException.invalid("unknown " + what + " '" + text + "': expected one of " + String.join(", ", known));
        }
    }

    public static int versionNumber(String what, String text) {
        try {
            int version = Integer.parseInt(text.trim());
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RegistryException.invalid(what + " '" + text + "' is not a version number (1, 2, 3 ...)");
    }

    /** The path parameter {@code id} as the number of a {@code what} (a request, a webhook): 1 or more. */
    public static long pathId(Context ctx, String what) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text.strip());
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RegistryException.invalid(what + " id '" + text + "' is not a " + what + " number (1, 2, 3 ...)");
    }

    /** The JSON body as {@code type}; a missing or malformed body is an INVALID_ARGUMENT. */
    public <T> T body(Class<T> type) {
        T value = optionalBody(type);
        if (value == null) {
            throw RegistryException.invalid("request body is missing: expected a JSON object (" + type.getSimpleName() + ")");
        }
        return value;
    }

    /** The JSON body as {@code type}, or null when the request has no body. */
    public <T> T optionalBody(Class<T> type) {
        // bodyAsBytes enforces the JSON size limit (413); file uploads never come through here.
        byte[] bytes = ctx.bodyAsBytes();
        if (isBlank(bytes)) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (JsonMappingException e) {
            throw RegistryException.invalid("invalid " + type.getSimpleName() + " body" + where(e) + ": "
                    + clean(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw RegistryException.invalid("malformed JSON body: " + clean(e.getOriginalMessage()));
        } catch (IOException e) {
            throw RegistryException.invalid("could not read the request body: " + e.getMessage());
        }
    }

    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : " at '" + path + "'";
    }

    /** Jackson names Java types such as {@code java.lang.String}; a client knows JSON types. */
    private static String clean(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int advice = message.indexOf(" (set DeserializationConfig");
        String text = advice < 0 ? message : message.substring(0, advice);
        return text.replace("dev.cairn.api.ApiModels$", "").replace("java.lang.", "").replace("java.util.", "");
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
