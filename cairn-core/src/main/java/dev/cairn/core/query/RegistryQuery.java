package dev.cairn.core.query;

import java.util.List;
import java.util.Objects;

/**
 * A search over registered models or over model versions: conditions that must all hold, and the order of the
 * results (the store appends a tie-break so that pages never overlap). Deleted models and versions never match.
 */
public record RegistryQuery(List<Condition> conditions, List<Sort> order) {

    public enum SortKey { NAME, VERSION, CREATED, UPDATED }

    public record Sort(SortKey key, boolean ascending) {
        public Sort {
            Objects.requireNonNull(key, "key");
        }
    }

    public RegistryQuery {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        order = order == null ? List.of() : List.copyOf(order);
    }
}
