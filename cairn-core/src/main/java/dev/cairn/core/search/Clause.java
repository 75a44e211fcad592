package dev.cairn.core.search;

import java.util.Objects;
import java.util.Set;

/** One comparison of a filter. comparator is upper-case: "=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN". */
public record Clause(Entity entity, String key, String comparator, Value value) {
    static final Set<String> COMPARATORS = Set.of("=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN");

    public Clause {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!COMPARATORS.contains(comparator)) {
            throw new IllegalArgumentException("unknown comparator '" + comparator + "'");
        }
        String mismatch = mismatch(comparator, value);
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
    }

    /**
     * Why this comparator cannot take this kind of value, or null when it can. Shared with the parser so that a
     * filter string and a hand-built clause obey the same rule.
     */
    static String mismatch(String comparator, Value value) {
        boolean list = comparator.equals("IN") || comparator.equals("NOT IN");
        boolean like = comparator.equals("LIKE") || comparator.equals("ILIKE");
        if (list && !(value instanceof Value.Texts)) {
            return comparator + " needs a parenthesised list of quoted strings, e.g. run_id " + comparator + " ('a', 'b')";
        }
        if (!list && value instanceof Value.Texts) {
            return "a parenthesised list is only allowed after IN or NOT IN, not after " + comparator;
        }
        if (like && !(value instanceof Value.Text)) {
            return comparator + " needs a quoted string pattern, e.g. name " + comparator + " 'abc%'";
        }
        return null;
    }
}
