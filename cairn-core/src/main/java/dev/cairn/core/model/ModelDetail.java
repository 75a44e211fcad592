package dev.cairn.core.model;

import java.util.List;
import java.util.Map;

/**
 * A model with what MLflow shows alongside it: the highest live version in each stage that has one (by stage order,
 * then version) and its aliases.
 */
public record ModelDetail(RegisteredModel model, List<ModelVersion> latestVersions, Map<String, Integer> aliases) {
    public ModelDetail {
        latestVersions = List.copyOf(latestVersions);
        aliases = Map.copyOf(aliases);
    }
}
