package dev.cairn.server.internal.mlflow.registry;

import dev.cairn.core.RegistryException;
import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.search.Clause;
import dev.cairn.core.search.Entity;
import dev.cairn.core.search.OrderBy;
import dev.cairn.core.search.SearchFilter;
import dev.cairn.core.search.Value;
import dev.cairn.server.internal.mlflow.MlflowException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What MLflow's registry searches accept (spec §4.1–§4.3), turned into a {@link RegistryQuery}: which identifiers,
 * comparators and values each search takes, and its order_by keys. Anything else is MLflow's 400.
 */
final class RegistrySearches {
    private static final List<String> STRING_COMPARATORS = List.of("=", "!=", "LIKE", "ILIKE");
    private static final List<String> NUMERIC_COMPARATORS = List.of("=", "!=", "<", "<=", ">", ">=");
    private static final Map<String, Condition.Op> OPS = Map.of("=", Condition.Op.EQ, "!=", Condition.Op.NE,
            "<", Condition.Op.LT, "<=", Condition.Op.LE, ">", Condition.Op.GT, ">=", Condition.Op.GE,
            "LIKE", Condition.Op.LIKE, "ILIKE", Condition.Op.ILIKE, "IN", Condition.Op.IN);
    private static final Map<String, RegistryQuery.SortKey> MODEL_ORDER = Map.of("name", RegistryQuery.SortKey.NAME,
            "timestamp", RegistryQuery.SortKey.UPDATED, "last_updated_timestamp", RegistryQuery.SortKey.UPDATED);
    private static final Map<String, RegistryQuery.SortKey> VERSION_ORDER = Map.of("name", RegistryQuery.SortKey.NAME,
            "version_number", RegistryQuery.SortKey.VERSION, "creation_timestamp", RegistryQuery.SortKey.CREATED,
            "last_updated_timestamp", RegistryQuery.SortKey.UPDATED);

    private RegistrySearches() {}

    /** registered-models/search: {@code name} and tags; default order name ascending. */
    static RegistryQuery models(String filter, List<String> orderBy) {
        List<Condition> conditions = new ArrayList<>();
        for (Clause clause : SearchFilter.parse(filter)) {
            if (clause.entity() == Entity.TAG) {
                conditions.add(tag(clause));
            } else if (clause.entity() == Entity.ATTRIBUTE && clause.key().equals("name")) {
                conditions.add(Condition.text(Condition.Field.MODEL_NAME, op(clause, STRING_COMPARATORS), text(clause)));
            } else if (clause.entity() == Entity.ATTRIBUTE) {
                throw RegistryException.invalid("Invalid attribute key '" + clause.key()
                        + "' specified. Valid keys are '{'name'}'");
            } else {
                throw invalidEntity(clause);
            }
        }
        return new RegistryQuery(conditions, order(orderBy, MODEL_ORDER, List.of()));
    }

    /**
     * model-versions/search: {@code name}, {@code run_id} (also IN), {@code source_path}, {@code version_number} and
     * tags, as MLflow; and, a Cairn extension, the metrics recorded at registration ({@code metrics.auc > 0.9}).
     * Default order last_updated_timestamp descending.
     */
    static RegistryQuery versions(String filter, List<String> orderBy) {
        List<Condition> conditions = new ArrayList<>();
        for (Clause clause : SearchFilter.parse(filter)) {
            if (clause.entity() == Entity.TAG) {
                conditions.add(tag(clause));
                continue;
            }
            if (clause.entity() == Entity.METRIC) {
                conditions.add(metric(clause));
                continue;
            }
            if (clause.entity() != Entity.ATTRIBUTE) {
                throw invalidEntity(clause);
            }
            conditions.add(switch (clause.key()) {
                case "name" -> Condition.text(Condition.Field.MODEL_NAME, op(clause, STRING_COMPARATORS), text(clause));
                case "source_path" -> Condition.text(Condition.Field.SOURCE, op(clause, STRING_COMPARATORS), text(clause));
                case "run_id" -> runId(clause);
                case "version_number" -> Condition.version(op(clause, NUMERIC_COMPARATORS), number(clause));
                default -> throw RegistryException.invalid("Invalid attribute key '" + clause.key() + "' specified. "
                        + "Valid keys are '{'name', 'run_id', 'source_path', 'version_number'}'");
            });
        }
        return new RegistryQuery(conditions, order(orderBy, VERSION_ORDER,
                List.of(new RegistryQuery.Sort(RegistryQuery.SortKey.UPDATED, false))));
    }

    private static Condition runId(Clause clause) {
        if (clause.comparator().equals("IN")) {
            return Condition.texts(Condition.Field.RUN_ID, Condition.Op.IN, ((Value.Texts) clause.value()).texts());
        }
        List<String> allowed = new ArrayList<>(STRING_COMPARATORS);
        allowed.add("IN");
        return Condition.text(Condition.Field.RUN_ID, op(clause, allowed), text(clause));
    }

    private static Condition tag(Clause clause) {
        return Condition.tag(clause.key(), op(clause, STRING_COMPARATORS), text(clause));
    }

    private static Condition.Op op(Clause clause, List<String> allowed) {
        if (!allowed.contains(clause.comparator())) {
            throw RegistryException.invalid("Invalid comparator '" + clause.comparator() + "' not one of '"
                    + allowed + "' for '" + clause.key() + "'");
        }
        return OPS.get(clause.comparator());
    }

    private static String text(Clause clause) {
        if (clause.value() instanceof Value.Text text) {
            return text.text();
        }
        throw RegistryException.invalid("Invalid clause(s) in filter string: the value of '" + clause.key()
                + "' must be a quoted string, e.g. " + clause.key() + " " + clause.comparator() + " 'value'");
    }

    private static Condition metric(Clause clause) {
        if (clause.value() instanceof Value.Number n) {
            return Condition.metric(clause.key(), op(clause, NUMERIC_COMPARATORS), n.number().doubleValue());
        }
        throw RegistryException.invalid("Invalid clause(s) in filter string: metrics." + clause.key()
                + " compares with an unquoted number, e.g. metrics." + clause.key() + " > 0.9");
    }

    private static long number(Clause clause) {
        if (clause.value() instanceof Value.Number n) {
            try {
                return n.number().longValueExact();
            } catch (ArithmeticException notAnInteger) {
                throw RegistryException.invalid("Invalid version_number " + n.number() + ": expected an integer");
            }
        }
        throw RegistryException.invalid("Invalid clause(s) in filter string: version_number compares with an unquoted "
                + "integer, e.g. version_number >= 2");
    }

    private static RegistryException invalidEntity(Clause clause) {
        return RegistryException.invalid("Invalid entity type '" + clause.entity().name().toLowerCase(java.util.Locale.ROOT)
                + "' in filter: registry searches take attributes and tags only");
    }

    /** order_by keys; a key given twice is MLflow's uncoded error, a 500. */
    private static List<RegistryQuery.Sort> order(List<String> orderBy, Map<String, RegistryQuery.SortKey> keys,
                                                  List<RegistryQuery.Sort> absent) {
        List<RegistryQuery.Sort> sorts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : orderBy) {
            if (text == null || text.isBlank()) {
                continue;
            }
            OrderBy parsed = OrderBy.parse(text);
            RegistryQuery.SortKey key = parsed.entity() == Entity.ATTRIBUTE ? keys.get(parsed.key()) : null;
            if (key == null) {
                throw RegistryException.invalid("Invalid order by key '" + parsed.key() + "' specified. Valid keys are "
                        + "'" + new java.util.TreeSet<>(keys.keySet()) + "'");
            }
            if (!seen.add(parsed.key())) {
                throw new MlflowException("INTERNAL_ERROR", 500, "`order_by` contains duplicate fields: " + orderBy);
            }
            sorts.add(new RegistryQuery.Sort(key, parsed.ascending()));
        }
        return sorts.isEmpty() ? absent : sorts;
    }
}
