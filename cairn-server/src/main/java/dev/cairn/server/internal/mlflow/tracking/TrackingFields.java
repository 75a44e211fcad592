package dev.cairn.server.internal.mlflow.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.tracking.KeyValue;
import dev.cairn.core.tracking.Metric;
import dev.cairn.server.internal.mlflow.MlflowRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tracking request fields beyond MlflowRequest's scalars: proto enums, key/value lists and metrics. */
final class TrackingFields {
    private TrackingFields() {}

    /** A proto enum by name (any case) or by its proto number (1 for the first value); null when absent. */
    static <E extends Enum<E>> E enumField(MlflowRequest request, String field, Class<E> type) {
        JsonNode node = request.node(field);
        String text = node != null && node.isIntegralNumber() ? node.asText() : request.string(field);
        if (text == null || text.isEmpty()) {
            return null;
        }
        E[] values = type.getEnumConstants();
        for (E value : values) {
            if (value.name().equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        try {
            int number = Integer.parseInt(text.trim());
            if (number >= 1 && number <= values.length) {
                return values[number - 1];
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw RegistryException.invalid("Invalid value '" + text + "' for parameter '" + field + "': expected one of "
                + List.of(values).stream().map(v -> v.name().toUpperCase(Locale.ROOT)).toList());
    }

    /** A repeated {key, value} message field. */
    static List<KeyValue> keyValues(MlflowRequest request, String field) {
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode item : request.objects(field)) {
            MlflowRequest entry = MlflowRequest.ofJson(item.toString());
            out.add(new KeyValue(entry.required("key"), entry.string("value", "")));
        }
        return out;
    }

    /** A metric message: key, value and timestamp required, step 0 when absent. */
    static Metric metric(MlflowRequest request) {
        String key = request.required("key");
        Double value = request.doubleValue("value");
        if (value == null) {
            throw MlflowRequest.missing("value");
        }
        Long timestamp = request.int64("timestamp");
        if (timestamp == null) {
            throw MlflowRequest.missing("timestamp");
        }
        Long step = request.int64("step");
        return new Metric(key, value, timestamp, step == null ? 0 : step);
    }

    static List<Metric> metrics(MlflowRequest request, String field) {
        List<Metric> out = new ArrayList<>();
        for (JsonNode item : request.objects(field)) {
            out.add(metric(MlflowRequest.ofJson(item.toString())));
        }
        return out;
    }

    /** An int32 field such as runs/search max_results. */
    static Integer int32(MlflowRequest request, String field) {
        Long value = request.int64(field);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw RegistryException.invalid("Invalid value " + value + " for parameter '" + field
                    + "' supplied: out of the int32 range.");
        }
        return value.intValue();
    }
}
