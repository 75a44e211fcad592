package dev.cairn.storage.jdbc;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.search.Clause;
import dev.cairn.core.search.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A query being assembled from validated search clauses: SQL text with placeholders and the values bound to them,
 * kept in step, so no value is ever spliced into the text. Column names come only from the callers' fixed maps.
 */
final class SearchSql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    SearchSql append(String sql, Object... values) {
        text.append(sql);
        Collections.addAll(args, values);
        return this;
    }

    String text() {
        return text.toString();
    }

    Object[] args() {
        return args.toArray();
    }

    /** {@code column <comparator> value} for a validated clause; LIKE is case-sensitive, ILIKE is not, as in MLflow. */
    SearchSql compare(Dialect dialect, String column, Clause clause) {
        String comparator = clause.comparator();
        Value value = clause.value();
        if (value instanceof Value.Texts list) {
            text.append(column).append(comparator.equals("IN") ? " IN (" : " NOT IN (");
            for (int i = 0; i < list.texts().size(); i++) {
                text.append(i == 0 ? "?" : ", ?");
                args.add(list.texts().get(i));
            }
            text.append(')');
            return this;
        }
        Object bound = value instanceof Value.Number n ? number(n.number()) : ((Value.Text) value).text();
        switch (comparator) {
            case "LIKE" -> append(dialect.caseSensitiveLike(column), dialect.likePattern((String) bound));
            case "ILIKE" -> append(dialect.caseInsensitiveLike(column), bound);
            case "=", "!=", "<", "<=", ">", ">=" -> append(column + " " + comparator + " ?", bound);
            default -> throw new RegistryException(ErrorCode.INTERNAL, "unexpected comparator " + comparator);
        }
        return this;
    }

    /** Whole numbers bind as integers so that millisecond times compare exactly. */
    static Object number(BigDecimal number) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException fractional) {
            return number.doubleValue();
        }
    }

    /** A LIKE pattern (% and _ wildcards, no escape character) as the equivalent SQLite GLOB pattern. */
    static String glob(String like) {
        StringBuilder out = new StringBuilder(like.length() + 8);
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            switch (c) {
                case '%' -> out.append('*');
                case '_' -> out.append('?');
                case '*', '?', '[' -> out.append('[').append(c).append(']');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
