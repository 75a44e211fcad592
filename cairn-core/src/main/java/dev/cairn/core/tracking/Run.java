package dev.cairn.core.tracking;

import java.util.List;
import java.util.Map;

/**
 * A training run: its info, the latest value of each metric (MLflow's rule: greatest (step, timestamp, value)), its
 * params, tags and dataset inputs. {@code endTime} is null while unset. {@code artifactUri} is where its artifacts
 * live, {@code mlflow-artifacts:/<experiment>/<run>/artifacts} for runs whose artifacts Cairn stores.
 */
public record Run(String id, String experimentId, String name, String userId, RunStatus status, long startTime,
                  Long endTime, String artifactUri, boolean deleted, List<Metric> latestMetrics,
                  Map<String, String> params, Map<String, String> tags, List<DatasetInput> inputs) {
    public Run {
        latestMetrics = latestMetrics == null ? List.of() : List.copyOf(latestMetrics);
        params = params == null ? Map.of() : Map.copyOf(params);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }
}
