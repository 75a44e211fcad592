package dev.cairn.core.tracking;

import java.util.Map;

/** An MLflow experiment: a named group of runs. Times are epoch milliseconds, as MLflow keeps them. */
public record Experiment(String id, String name, String artifactLocation, boolean deleted, long creationTime,
                         long lastUpdateTime, Map<String, String> tags) {
    public Experiment {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
