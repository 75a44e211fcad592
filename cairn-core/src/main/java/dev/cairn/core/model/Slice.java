package dev.cairn.core.model;

import java.util.List;

/** One page of an offset-paged search; {@code hasMore} when rows follow the page. */
public record Slice<T>(List<T> items, boolean hasMore) {
    public Slice {
        items = List.copyOf(items);
    }
}
