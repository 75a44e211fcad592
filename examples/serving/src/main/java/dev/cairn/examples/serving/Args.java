package dev.cairn.examples.serving;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Command-line options of the form {@code --name value}, checked against the names a command knows. Kept tiny so the
 * example needs no command-line library; a mistake is an {@link IllegalArgumentException} that names it.
 */
final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    static Args parse(String[] args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "' (options: --"
                        + String.join(", --", new TreeSet<>(known)) + ")");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (values.put(name.substring(2), args[i + 1]) != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
        }
        return new Args(values);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long longValue(String name, long fallback) {
        String value = values.get(name);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    int intValue(String name, int fallback, int min, int max) {
        long value = longValue(name, fallback);
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", got "
                    + value);
        }
        return (int) value;
    }

    double fraction(String name) {
        String value = values.get(name);
        double parsed;
        try {
            parsed = value == null ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new IllegalArgumentException("--" + name + " must be between 0 and 1, got " + value);
        }
        return parsed;
    }
}
