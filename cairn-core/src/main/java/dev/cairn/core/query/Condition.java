package dev.cairn.core.query;

import java.util.List;
import java.util.Objects;

/**
 * One comparison of a registry search: a field (a tag or a metric when {@code field} is TAG or METRIC, named by
 * {@code key}), an operator and its operand: {@code texts} for text fields (one value, several for IN and NOT IN),
 * {@code number} for the version number, {@code value} for a metric. Text comparisons are case-sensitive except
 * ILIKE; LIKE patterns use % and _, with no escape. A version without the tag or metric never matches.
 */
public record Condition(Field field, String key, Op op, List<String> texts, Long number, Double value) {

    public enum Field { MODEL_NAME, RUN_ID, SOURCE, VERSION, TAG, METRIC }

    public enum Op { EQ, NE, LT, LE, GT, GE, LIKE, ILIKE, IN, NOT_IN }

    public Condition {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(op, "op");
        texts = texts == null ? List.of() : List.copyOf(texts);
        boolean keyed = field == Field.TAG || field == Field.METRIC;
        if (keyed != (key != null)) {
            throw new IllegalArgumentException("a key is needed for TAG and METRIC conditions and only for them");
        }
        boolean ordering = op == Op.EQ || op == Op.NE || op == Op.LT || op == Op.LE || op == Op.GT || op == Op.GE;
        if (field == Field.VERSION || field == Field.METRIC) {
            boolean operand = field == Field.VERSION ? number != null && value == null : value != null && number == null;
            if (!operand || !ordering || !texts.isEmpty()) {
                throw new IllegalArgumentException(field + " compares with a number and =, !=, <, <=, >, >=");
            }
        } else if (number != null || value != null || texts.isEmpty()
                || (texts.size() > 1 && op != Op.IN && op != Op.NOT_IN)) {
            throw new IllegalArgumentException(field + " compares with text: one value, or a list after IN");
        } else if (op == Op.LT || op == Op.LE || op == Op.GT || op == Op.GE) {
            throw new IllegalArgumentException(field + " does not take ordering comparisons");
        }
    }

    public static Condition text(Field field, Op op, String value) {
        return new Condition(field, null, op, List.of(value), null, null);
    }

    public static Condition texts(Field field, Op op, List<String> values) {
        return new Condition(field, null, op, values, null, null);
    }

    public static Condition tag(String key, Op op, String value) {
        return new Condition(Field.TAG, key, op, List.of(value), null, null);
    }

    public static Condition version(Op op, long number) {
        return new Condition(Field.VERSION, null, op, List.of(), number, null);
    }

    /** A metric recorded at registration, compared with a number: {@code metrics.auc > 0.9}. */
    public static Condition metric(String name, Op op, double value) {
        return new Condition(Field.METRIC, name, op, List.of(), null, value);
    }
}
