package dev.cairn.core.tracking;

import dev.cairn.core.search.Clause;
import dev.cairn.core.search.OrderBy;
import java.util.List;

/**
 * A validated run search: clauses and orderings use canonical attribute keys ({@link SearchRules}), and the ordering
 * already ends with the tie-breaks, so a store only translates it.
 */
public record RunQuery(List<String> experimentIds, List<Clause> filter, List<OrderBy> orderBy, ViewType view) {
    public RunQuery {
        experimentIds = List.copyOf(experimentIds);
        filter = List.copyOf(filter);
        orderBy = List.copyOf(orderBy);
    }
}
