package dev.cairn.core.tracking;

import dev.cairn.core.search.Clause;
import dev.cairn.core.search.OrderBy;
import java.util.List;

/** A validated experiment search, in canonical keys and with its tie-breaks appended ({@link SearchRules}). */
public record ExperimentQuery(List<Clause> filter, List<OrderBy> orderBy, ViewType view) {
    public ExperimentQuery {
        filter = List.copyOf(filter);
        orderBy = List.copyOf(orderBy);
    }
}
