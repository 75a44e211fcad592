package dev.cairn.core.query;

import java.util.List;
import java.util.Objects;

/**
 * One comparison of a registry search: a field (a tag when {@code field} is TAG, named by {@code tagKey}), an
 * operator and its operand, {@code texts} for text fields (one value, several for IN and NOT IN) or {@code number}
 * for the version number. Text comparisons are case-sensitive except ILIKE; LIKE patterns use % and _, with no escape.
 */
public record Condition(Field field, String tagKey, Op op, List<String> texts, Long number) {

    public enum Field { MODEL_NAME, RUN_ID, SOURCE, VERSION, TAG }

    public enum Op { EQ, NE, LT, LE, GT, GE, LIKE, ILIKE, IN, NOT_IN }

    public Condition {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(op, "op");
        texts = texts == null ? List.of() : List.copyOf(texts);
        if ((field == Field.TAG) != (tagKey != null)) {
            throw new IllegalArgumentException("a tag key is needed for TAG conditions and only for them");
        }
        if (field == Field.VERSION) {
            if (number == null || op == Op.LIKE || op == Op.ILIKE || op == Op.IN || op == Op.NOT_IN) {
                throw new IllegalArgumentException("the version number compares with a number and =, !=, <, <=, >, >=");
            }
        } else if (number != null || texts.isEmpty() || (texts.size() > 1 && op != Op.IN && op != Op.NOT_IN)) {
            throw new IllegalArgumentException(field + " compares with text: one value, or a list after IN");
        } else if (op == Op.LT || op == Op.LE || op == Op.GT || op == Op.GE) {
            throw new IllegalArgumentException(field + " does not take ordering comparisons");
        }
    }

    public static Condition text(Field field, Op op, String value) {
        return new Condition(field, null, op, List.of(value), null);
    }

    public static Condition texts(Field field, Op op, List<String> values) {
        return new Condition(field, null, op, values, null);
    }

    public static Condition tag(String key, Op op, String value) {
        return new Condition(Field.TAG, key, op, List.of(value), null);
    }

    public static Condition version(Op op, long number) {
        return new Condition(Field.VERSION, null, op, List.of(), number);
    }
}
