package dev.cairn.storage.jdbc;

import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry searches as one parameterised SQL query each: conditions in the WHERE clause, order and paging in ORDER
 * BY / LIMIT / OFFSET, so only the rows of the page leave the database. Text comparisons are case-sensitive as in
 * MLflow; how a dialect matches a pattern with or without case is its own ({@link Dialect#caseSensitiveLike}).
 */
final class RegistrySearch {
    /** A statement and its arguments. */
    record Statement(String sql, List<Object> args) {}

    private RegistrySearch() {}

    /** Selects {@code model_id, version} of the matching versions. */
    static Statement versions(Dialect dialect, RegistryQuery query, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>(query.conditions());
        // An equality on a tag drives the query from the (key, value) index, or else a metric comparison from the
        // (name, value) index; the other conditions are checked on those rows only.
        Condition driver = conditions.stream()
                .filter(c -> c.field() == Condition.Field.TAG && c.op() == Condition.Op.EQ).findFirst()
                .or(() -> conditions.stream().filter(c -> c.field() == Condition.Field.METRIC
                        && c.op() != Condition.Op.NE).findFirst())
                .orElse(null);
        StringBuilder sql = new StringBuilder("SELECT v.model_id, v.version FROM ");
        if (driver != null && driver.field() == Condition.Field.TAG) {
            conditions.remove(driver);
            sql.append("version_tags d CROSS JOIN versions v CROSS JOIN models m WHERE d.key = ? AND d.value = ?"
                    + " AND v.model_id = d.model_id AND v.version = d.version AND m.id = v.model_id");
            args.add(driver.key());
            args.add(driver.texts().get(0));
        } else if (driver != null) {
            conditions.remove(driver);
            sql.append("version_metrics d CROSS JOIN versions v CROSS JOIN models m WHERE d.name = ? AND d.value "
                    + symbol(driver.op()) + " ? AND v.model_id = d.model_id AND v.version = d.version"
                    + " AND m.id = v.model_id");
            args.add(driver.key());
            args.add(driver.value());
        } else {
            sql.append("versions v JOIN models m ON m.id = v.model_id WHERE 1 = 1");
        }
        sql.append(" AND m.deleted_at IS NULL AND v.status <> ?");
        args.add(VersionStatus.DELETED);
        for (Condition c : conditions) {
            sql.append(" AND ").append(versionCondition(dialect, c, args));
        }
        sql.append(" ORDER BY ").append(order(query.order(), true));
        return page(sql, args, offset, limit);
    }

    /** Selects the model columns of the matching live models. */
    static Statement models(Dialect dialect, String columns, RegistryQuery query, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + columns + " FROM models m WHERE m.deleted_at IS NULL");
        for (Condition c : query.conditions()) {
            String condition = switch (c.field()) {
                case MODEL_NAME -> text(dialect, "m.name", c, args);
                case TAG -> tag(dialect, "model_tags", "t.model_id = m.id", c, args);
                default -> throw new IllegalArgumentException("models cannot be searched by " + c.field());
            };
            sql.append(" AND ").append(condition);
        }
        sql.append(" ORDER BY ").append(order(query.order(), false));
        return page(sql, args, offset, limit);
    }

    private static Statement page(StringBuilder sql, List<Object> args, int offset, int limit) {
        sql.append(" LIMIT ? OFFSET ?");
        args.add(limit);
        args.add(offset);
        return new Statement(sql.toString(), args);
    }

    private static String versionCondition(Dialect dialect, Condition c, List<Object> args) {
        return switch (c.field()) {
            case MODEL_NAME -> text(dialect, "m.name", c, args);
            case RUN_ID -> text(dialect, orEmpty("v.run_id", c), c, args);
            case SOURCE -> text(dialect, orEmpty("v.source", c), c, args);
            case VERSION -> {
                args.add(c.number());
                yield "v.version " + symbol(c.op()) + " ?";
            }
            case TAG -> tag(dialect, "version_tags", "t.model_id = v.model_id AND t.version = v.version", c, args);
            case METRIC -> {
                args.add(c.key());
                args.add(c.value());
                yield "EXISTS (SELECT 1 FROM version_metrics t WHERE t.model_id = v.model_id AND t.version = v.version"
                        + " AND t.name = ? AND t.value " + symbol(c.op()) + " ?)";
            }
        };
    }

    /**
     * MLflow keeps "" where Cairn keeps NULL, so "!=" and NOT IN must match those versions as MLflow's do: the column
     * reads as {@code COALESCE(column, '')}. An equality or IN list without "" cannot match NULL either way, so it keeps
     * the bare column, which the column's index serves (no database uses a plain index for the COALESCE).
     */
    private static String orEmpty(String column, Condition c) {
        boolean indexable = (c.op() == Condition.Op.EQ || c.op() == Condition.Op.IN)
                && c.texts().stream().noneMatch(String::isEmpty);
        return indexable ? column : "COALESCE(" + column + ", '')";
    }

    /** A tag condition: the row has the tag and its value compares as asked (a missing tag never matches). */
    private static String tag(Dialect dialect, String table, String join, Condition c, List<Object> args) {
        args.add(c.key());
        return "EXISTS (SELECT 1 FROM " + table + " t WHERE " + join + " AND t.key = ? AND "
                + text(dialect, "t.value", c, args) + ")";
    }

    private static String text(Dialect dialect, String column, Condition c, List<Object> args) {
        switch (c.op()) {
            case LIKE -> {
                args.add(dialect.likePattern(c.texts().get(0)));
                return dialect.caseSensitiveLike(column);
            }
            case ILIKE -> {
                args.add(c.texts().get(0));
                return dialect.caseInsensitiveLike(column);
            }
            case IN, NOT_IN -> {
                args.addAll(c.texts());
                return column + (c.op() == Condition.Op.IN ? " IN (" : " NOT IN (") + JdbcTx.placeholders(c.texts().size()) + ")";
            }
            default -> {
                args.add(c.texts().get(0));
                return column + " " + symbol(c.op()) + " ?";
            }
        }
    }

    private static String symbol(Condition.Op op) {
        return switch (op) {
            case EQ -> "=";
            case NE -> "<>";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    /** The ORDER BY list, with MLflow's tie-breaks appended: name ascending, then (versions) version descending. */
    private static String order(List<RegistryQuery.Sort> order, boolean versions) {
        List<String> terms = new ArrayList<>();
        boolean name = false;
        boolean version = false;
        for (RegistryQuery.Sort sort : order) {
            String column = switch (sort.key()) {
                case NAME -> "m.name";
                case VERSION -> {
                    if (!versions) {
                        throw new IllegalArgumentException("models have no version number to sort by");
                    }
                    yield "v.version";
                }
                case CREATED -> versions ? "v.created_at" : "m.created_at";
                case UPDATED -> versions ? "v.updated_at" : "m.updated_at";
            };
            name |= sort.key() == RegistryQuery.SortKey.NAME;
            version |= sort.key() == RegistryQuery.SortKey.VERSION;
            terms.add(column + (sort.ascending() ? " ASC" : " DESC"));
        }
        if (!name) {
            terms.add("m.name ASC");
        }
        if (versions && !version) {
            terms.add("v.version DESC");
        }
        return String.join(", ", terms);
    }
}
