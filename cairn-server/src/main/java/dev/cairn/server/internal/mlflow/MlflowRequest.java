package dev.cairn.server.internal.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.RegistryException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One MLflow request message, read the way MLflow's server reads it (spec §1.2): GET fields from the query string
 * (repeated parameters for repeated fields, {@code +} as space), or from a JSON body when there is no query string;
 * other methods from a JSON body, leniently (an invalid or empty body is {@code {}}, a double-encoded body is decoded
 * twice). Field names are the proto's snake_case names; lowerCamelCase is accepted too. Typed accessors fail with
 * MLflow's 400 INVALID_PARAMETER_VALUE messages.
 */
public final class MlflowRequest {
    private static final String SEE_DOCS = " See the API docs for more information about request parameters.";

    private final ObjectNode body;
    private final Map<String, List<String>> query;

    private MlflowRequest(ObjectNode body, Map<String, List<String>> query) {
        this.body = body;
        this.query = query;
    }

    public static MlflowRequest of(Context ctx) {
        if (ctx.method() == HandlerType.GET && ctx.queryString() != null && !ctx.queryString().isEmpty()) {
            return new MlflowRequest(null, ctx.queryParamMap());
        }
        if (ctx.method() == HandlerType.POST || ctx.method() == HandlerType.PUT) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw RegistryException.invalid("Bad Request. Content-Type must be one of [application/json], got "
                        + (type == null ? "none" : "'" + type + "'") + ".");
            }
        }
        return new MlflowRequest(parse(ctx.body()), null);
    }

    /** A request read from a JSON body alone (tests, and callers that already hold the body). */
    public static MlflowRequest ofJson(String json) {
        return new MlflowRequest(parse(json), null);
    }

    private static ObjectNode parse(String text) {
        try {
            JsonNode node = text == null || text.isBlank() ? null : MlflowJson.mapper().readTree(text);
            if (node != null && node.isTextual()) {
                node = MlflowJson.mapper().readTree(node.textValue());
            }
            return node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        } catch (IOException notJson) {
            // MLflow treats an unparsable body as an empty message; the required-field checks then say what is missing.
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /** The raw JSON value of a field (body requests only), or null. */
    public JsonNode node(String field) {
        if (body == null) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            value = body.get(camel(field));
        }
        return value == null || value.isNull() ? null : value;
    }

    public boolean has(String field) {
        return query != null ? query.containsKey(field) || query.containsKey(camel(field)) : node(field) != null;
    }

    /** A string field, or null when absent. A JSON number, boolean or object there is a type error, as in MLflow. */
    public String string(String field) {
        if (query != null) {
            List<String> values = queryValues(field);
            return values.isEmpty() ? null : values.get(0);
        }
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw typeError(field, value, "str");
        }
        return value.textValue();
    }

    /** A required string field: absent or empty is MLflow's "Missing value for required parameter". */
    public String required(String field) {
        String value = string(field);
        if (value == null || value.isEmpty()) {
            throw missing(field);
        }
        return value;
    }

    /** A string field with a default. */
    public String string(String field, String absent) {
        String value = string(field);
        return value == null ? absent : value;
    }

    /** An int64 field from a number or a decimal string (the Java client sends strings), or null. */
    public Long int64(String field) {
        JsonNode node = query == null ? node(field) : null;
        if (node != null && node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node != null && node.isNumber() && node.doubleValue() == Math.rint(node.doubleValue())) {
            return (long) node.doubleValue();
        }
        if (node != null && !node.isTextual()) {
            throw typeError(field, node, "int");
        }
        String text = query != null ? string(field) : node == null ? null : node.textValue();
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw RegistryException.invalid("Invalid value '" + text + "' for parameter '" + field
                    + "' supplied: expected an integer." + SEE_DOCS);
        }
    }

    /** A double field from a number or a string: a decimal, {@code NaN}, {@code Infinity}, {@code -Infinity}. */
    public Double doubleValue(String field) {
        JsonNode node = query == null ? node(field) : null;
        if (node != null && node.isNumber()) {
            return node.doubleValue();
        }
        if (node != null && !node.isTextual()) {
            throw typeError(field, node, "float");
        }
        String text = query != null ? string(field) : node == null ? null : node.textValue();
        if (text == null || text.isEmpty()) {
            return null;
        }
        switch (text.trim()) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    throw RegistryException.invalid("Invalid value '" + text + "' for parameter '" + field
                            + "' supplied: expected a number." + SEE_DOCS);
                }
        }
    }

    /** A bool field: JSON true/false, or in a query {@code true}/{@code false} in any case; null when absent. */
    public Boolean bool(String field) {
        if (query != null) {
            String text = string(field);
            if (text == null) {
                return null;
            }
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
            }
            throw RegistryException.invalid("Invalid boolean value '" + text + "' for parameter '" + field
                    + "': expected true or false.");
        }
        JsonNode node = node(field);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equalsIgnoreCase("true") || node.textValue().equalsIgnoreCase("false"))) {
            return Boolean.valueOf(node.textValue().toLowerCase(Locale.ROOT));
        }
        throw typeError(field, node, "bool");
    }

    /** A repeated string field: repeated query parameters, or a JSON array (null or absent: empty). */
    public List<String> strings(String field) {
        if (query != null) {
            return queryValues(field);
        }
        JsonNode node = node(field);
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (!node.isArray()) {
            throw typeError(field, node, "list");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw typeError(field, node, "list");
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** A repeated message field as JSON objects (for example tags {@code [{key, value}]}); absent: empty. */
    public List<JsonNode> objects(String field) {
        JsonNode node = node(field);
        List<JsonNode> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (!node.isArray()) {
            throw typeError(field, node, "list");
        }
        for (JsonNode item : node) {
            if (!item.isObject()) {
                throw typeError(field, node, "list");
            }
            values.add(item);
        }
        return values;
    }

    /** The run of a tracking request: {@code run_id}, or the deprecated {@code run_uuid} the Java client also sends. */
    public String runId() {
        String id = string("run_id");
        if (id == null || id.isEmpty()) {
            id = string("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw missing("run_id");
        }
        return id;
    }

    public static RegistryException missing(String field) {
        return RegistryException.invalid("Missing value for required parameter '" + field + "'." + SEE_DOCS);
    }

    private static RegistryException typeError(String field, JsonNode value, String expected) {
        return RegistryException.invalid("Invalid value " + value + " for parameter '" + field + "' supplied. Hint: "
                + "Value was of type '" + pythonType(value) + "', expected '" + expected + "'." + SEE_DOCS);
    }

    private static String pythonType(JsonNode value) {
        if (value.isTextual()) {
            return "str";
        } else if (value.isIntegralNumber()) {
            return "int";
        } else if (value.isNumber()) {
            return "float";
        } else if (value.isBoolean()) {
            return "bool";
        } else if (value.isArray()) {
            return "list";
        }
        return "dict";
    }

    private List<String> queryValues(String field) {
        List<String> values = query.get(field);
        if (values == null) {
            values = query.get(camel(field));
        }
        return values == null ? new ArrayList<>() : new ArrayList<>(values);
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

}
