package dev.cairn.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * One appended change. {@code seq} is assigned by the store and only grows; {@code version} is null for model-level
 * events. The payload holds the change's details as text (for example {@code from}, {@code to}, {@code comment}).
 */
public record Event(long seq, Instant time, String actor, String model, Integer version, EventKind kind,
                    Map<String, String> payload) {
    public Event {
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }
}
