package dev.cairn.client;

import java.time.Instant;
import java.util.List;

/**
 * Which events of the audit log to list; every field may be null (no restriction).
 *
 * @param kinds event kinds such as {@code STAGE_TRANSITION}; an event of any of them matches
 * @param since events at or after this time
 * @param until events before this time
 */
public record AuditFilter(String model, String actor, List<String> kinds, Instant since, Instant until) {
    public AuditFilter {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
    }

    /** The whole log. */
    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null);
    }
}
