package dev.cairn.core.tracking;

import java.util.Map;

/** A dataset a run logged as input (MLflow's DatasetInput): the dataset's identity and the input's tags. */
public record DatasetInput(String name, String digest, String sourceType, String source, String schema,
                           String profile, Map<String, String> tags) {
    public DatasetInput {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
