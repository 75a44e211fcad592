package dev.cairn.core.tracking;

import dev.cairn.core.RegistryException;
import dev.cairn.core.search.Clause;
import dev.cairn.core.search.Entity;
import dev.cairn.core.search.OrderBy;
import dev.cairn.core.search.SearchFilter;
import dev.cairn.core.search.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What MLflow's run and experiment searches accept (spec §5.1, §5.11): which identifiers, comparators and value
 * kinds. Attribute keys come out canonical (run_name for "run name", start_time for created), so a store maps each
 * to one column and never sees an identifier it does not know.
 */
public final class SearchRules {
    private static final Set<String> NUMERIC = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> STRING = Set.of("=", "!=", "LIKE", "ILIKE");
    private static final Set<String> STRING_OR_LIST = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");

    private static final Map<String, String> RUN_STRING_ATTRIBUTES = Map.of(
            "run_id", "run_id", "run_name", "run_name", "run name", "run_name", "status", "status",
            "user_id", "user_id", "artifact_uri", "artifact_uri");
    private static final Map<String, String> RUN_NUMERIC_ATTRIBUTES = Map.of(
            "start_time", "start_time", "end_time", "end_time", "created", "start_time");
    private static final Set<String> DATASET_KEYS = Set.of("name", "digest", "context");
    private static final Set<String> EXPERIMENT_STRING_ATTRIBUTES = Set.of("name");
    private static final Set<String> EXPERIMENT_NUMERIC_ATTRIBUTES = Set.of("creation_time", "last_update_time");
    private static final Set<String> EXPERIMENT_ORDER_KEYS =
            Set.of("name", "experiment_id", "creation_time", "last_update_time");

    private SearchRules() {}

    public static RunQuery runs(List<String> experimentIds, String filter, List<String> orderBy, ViewType view) {
        List<Clause> clauses = new ArrayList<>();
        for (Clause clause : SearchFilter.parse(filter)) {
            clauses.add(runClause(clause));
        }
        List<OrderBy> order = new ArrayList<>();
        for (String text : orderBy) {
            if (text != null && !text.isBlank()) {
                order.add(runOrder(OrderBy.parse(text)));
            }
        }
        if (order.stream().noneMatch(o -> o.entity() == Entity.ATTRIBUTE && o.key().equals("start_time"))) {
            order.add(new OrderBy(Entity.ATTRIBUTE, "start_time", false));
        }
        if (order.stream().noneMatch(o -> o.entity() == Entity.ATTRIBUTE && o.key().equals("run_id"))) {
            order.add(new OrderBy(Entity.ATTRIBUTE, "run_id", true));
        }
        return new RunQuery(experimentIds, clauses, order, view);
    }

    public static ExperimentQuery experiments(String filter, List<String> orderBy, ViewType view) {
        List<Clause> clauses = new ArrayList<>();
        for (Clause clause : SearchFilter.parse(filter)) {
            clauses.add(experimentClause(clause));
        }
        List<OrderBy> order = new ArrayList<>();
        for (String text : orderBy) {
            if (text != null && !text.isBlank()) {
                OrderBy o = OrderBy.parse(text);
                String key = o.key().toLowerCase(Locale.ROOT);
                if (o.entity() != Entity.ATTRIBUTE || !EXPERIMENT_ORDER_KEYS.contains(key)) {
                    throw RegistryException.invalid("Invalid order_by entity: '" + text.strip()
                            + "'. Experiments can be ordered by " + String.join(", ", sorted(EXPERIMENT_ORDER_KEYS)));
                }
                order.add(new OrderBy(Entity.ATTRIBUTE, key, o.ascending()));
            }
        }
        if (order.isEmpty()) {
            order.add(new OrderBy(Entity.ATTRIBUTE, "creation_time", false));
            order.add(new OrderBy(Entity.ATTRIBUTE, "experiment_id", true));
        } else if (order.stream().noneMatch(o -> o.key().equals("experiment_id"))) {
            order.add(new OrderBy(Entity.ATTRIBUTE, "experiment_id", false));
        }
        return new ExperimentQuery(clauses, order, view);
    }

    private static Clause runClause(Clause clause) {
        return switch (clause.entity()) {
            case METRIC -> numeric(clause, clause.key(), "metric");
            case PARAM, TAG -> string(clause, clause.key(), STRING, clause.entity().name().toLowerCase(Locale.ROOT));
            case DATASET -> {
                String key = clause.key().toLowerCase(Locale.ROOT);
                if (!DATASET_KEYS.contains(key)) {
                    throw RegistryException.invalid("Invalid dataset attribute key '" + clause.key()
                            + "'. Valid keys are " + String.join(", ", sorted(DATASET_KEYS)));
                }
                yield string(clause, key, STRING_OR_LIST, "dataset attribute");
            }
            case ATTRIBUTE -> {
                String key = clause.key().toLowerCase(Locale.ROOT);
                if (RUN_NUMERIC_ATTRIBUTES.containsKey(key)) {
                    yield numeric(clause, RUN_NUMERIC_ATTRIBUTES.get(key), "attribute");
                }
                String canonical = RUN_STRING_ATTRIBUTES.get(key);
                if (canonical == null) {
                    throw RegistryException.invalid("Invalid attribute key '" + clause.key()
                            + "' specified. Valid keys are " + String.join(", ", sorted(runAttributes())));
                }
                yield string(clause, canonical, canonical.equals("run_id") ? STRING_OR_LIST : STRING, "attribute");
            }
        };
    }

    private static OrderBy runOrder(OrderBy order) {
        if (order.entity() == Entity.DATASET) {
            throw RegistryException.invalid("Invalid order_by entity: datasets cannot be ordered by");
        }
        if (order.entity() != Entity.ATTRIBUTE) {
            return order;
        }
        String key = order.key().toLowerCase(Locale.ROOT);
        String canonical = RUN_NUMERIC_ATTRIBUTES.getOrDefault(key, RUN_STRING_ATTRIBUTES.get(key));
        if (canonical == null) {
            throw RegistryException.invalid("Invalid attribute key '" + order.key()
                    + "' specified. Valid keys are " + String.join(", ", sorted(runAttributes())));
        }
        return new OrderBy(Entity.ATTRIBUTE, canonical, order.ascending());
    }

    private static Clause experimentClause(Clause clause) {
        if (clause.entity() == Entity.TAG) {
            return string(clause, clause.key(), STRING, "tag");
        }
        String key = clause.key().toLowerCase(Locale.ROOT);
        if (clause.entity() == Entity.ATTRIBUTE && EXPERIMENT_STRING_ATTRIBUTES.contains(key)) {
            return string(clause, key, STRING, "attribute");
        }
        if (clause.entity() == Entity.ATTRIBUTE && EXPERIMENT_NUMERIC_ATTRIBUTES.contains(key)) {
            return numeric(clause, key, "attribute");
        }
        String written = clause.entity() == Entity.ATTRIBUTE ? clause.key()
                : clause.entity().name().toLowerCase(Locale.ROOT) + "s." + clause.key();
        throw RegistryException.invalid("Invalid attribute key '" + written + "' specified. Experiments can be "
                + "filtered by name, creation_time, last_update_time and tags.<key>");
    }

    private static Clause numeric(Clause clause, String key, String what) {
        if (!NUMERIC.contains(clause.comparator())) {
            throw RegistryException.invalid("Invalid comparator '" + clause.comparator() + "' not one of '"
                    + String.join(", ", sortedComparators(NUMERIC)) + "' for " + what + " '" + clause.key() + "'");
        }
        if (!(clause.value() instanceof Value.Number)) {
            throw RegistryException.invalid("Expected numeric value type for " + what + " '" + clause.key()
                    + "'. Found " + describe(clause.value()));
        }
        return new Clause(clause.entity(), key, clause.comparator(), clause.value());
    }

    private static Clause string(Clause clause, String key, Set<String> allowed, String what) {
        if (!allowed.contains(clause.comparator())) {
            throw RegistryException.invalid("Invalid comparator '" + clause.comparator() + "' not one of '"
                    + String.join(", ", sortedComparators(allowed)) + "' for " + what + " '" + clause.key() + "'");
        }
        if (clause.value() instanceof Value.Number) {
            throw RegistryException.invalid("Expected a quoted string value for " + what + " '" + clause.key()
                    + "'. Found " + describe(clause.value()));
        }
        return new Clause(clause.entity(), key, clause.comparator(), clause.value());
    }

    private static String describe(Value value) {
        if (value instanceof Value.Number n) {
            return "the number " + n.number().toPlainString();
        }
        if (value instanceof Value.Text t) {
            return "the string '" + t.text() + "'";
        }
        return "a list of " + ((Value.Texts) value).texts().size() + " strings";
    }

    private static List<String> runAttributes() {
        List<String> keys = new ArrayList<>(RUN_STRING_ATTRIBUTES.keySet());
        keys.addAll(RUN_NUMERIC_ATTRIBUTES.keySet());
        return keys;
    }

    private static List<String> sorted(Collection<String> keys) {
        return keys.stream().sorted().toList();
    }

    private static List<String> sortedComparators(Set<String> comparators) {
        List<String> order = List.of("=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN");
        return order.stream().filter(comparators::contains).toList();
    }
}
