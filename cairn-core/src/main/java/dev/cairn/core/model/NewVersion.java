package dev.cairn.core.model;

import java.util.Map;

/** What a caller states when it registers a version; files follow as uploads. {@code runLink} is MLflow's run link. */
public record NewVersion(
        String description,
        Map<String, String> tags,
        Map<String, Double> metrics,
        Map<String, String> params,
        Signature signature,
        String format,
        String source,
        String runId,
        Lineage lineage,
        String runLink) {

    public NewVersion {
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : tags;
        metrics = metrics == null ? Map.of() : metrics;
        params = params == null ? Map.of() : params;
        lineage = lineage == null ? Lineage.EMPTY : lineage;
    }

    public static NewVersion empty() {
        return new NewVersion(null, null, null, null, null, null, null, null, null, null);
    }
}
