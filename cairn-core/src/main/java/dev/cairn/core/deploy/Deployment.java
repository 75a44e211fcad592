package dev.cairn.core.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * What one serving instance last reported: that it serves {@code version} of {@code model} since {@code since},
 * following {@code reference} (such as {@code models:/fraud@production}, or null), on {@code host} (or null), who
 * reported it (the caller's name: the token's user with authentication), and when the registry last heard from it.
 */
public record Deployment(String model, String instanceId, int version, String reference, Instant since, String host,
                         String reportedBy, Instant lastSeen) {
    public Deployment {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reportedBy, "reportedBy");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
