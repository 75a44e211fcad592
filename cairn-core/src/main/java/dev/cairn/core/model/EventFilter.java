package dev.cairn.core.model;

import java.time.Instant;
import java.util.List;

/**
 * Which events to list; every part is optional (null or empty means any). {@code since} is inclusive, {@code until}
 * exclusive.
 */
public record EventFilter(String model, String actor, List<EventKind> kinds, Instant since, Instant until) {
    public static final EventFilter ALL = new EventFilter(null, null, List.of(), null, null);

    public EventFilter {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
    }

    public static EventFilter of(String model, List<EventKind> kinds) {
        return new EventFilter(model, null, kinds, null, null);
    }
}
