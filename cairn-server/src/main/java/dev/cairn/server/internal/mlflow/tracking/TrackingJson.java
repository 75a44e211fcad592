package dev.cairn.server.internal.mlflow.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.core.tracking.ArtifactEntry;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import java.util.List;
import java.util.Map;

/**
 * The tracking messages as MLflow writes them (spec §2.2): fields MLflow always emits are marked ALWAYS, the rest
 * are left out when unset or empty. Tags and params are written sorted by key.
 */
final class TrackingJson {
    private TrackingJson() {}

    record Tag(String key, @JsonInclude(JsonInclude.Include.ALWAYS) String value) {}

    record ExperimentJson(String experimentId, String name, String artifactLocation, String lifecycleStage,
                          long lastUpdateTime, long creationTime, List<Tag> tags) {}

    record RunInfo(String runUuid, String experimentId, String runName,
                   @JsonInclude(JsonInclude.Include.ALWAYS) String userId, String status, long startTime,
                   Long endTime, String artifactUri, String lifecycleStage, String runId) {}

    record MetricJson(String key, double value, long timestamp, long step) {}

    record RunData(List<MetricJson> metrics, List<Tag> params, List<Tag> tags) {}

    record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}

    record DatasetInputJson(List<Tag> tags, Dataset dataset) {}

    record RunInputs(List<DatasetInputJson> datasetInputs) {}

    /** {@code inputs} is null in runs/create answers, which MLflow writes without it. */
    record RunJson(RunInfo info, RunData data, RunInputs inputs) {}

    record FileInfo(String path, @JsonInclude(JsonInclude.Include.ALWAYS) boolean isDir, Long fileSize) {}

    static ExperimentJson experiment(Experiment e) {
        return new ExperimentJson(e.id(), e.name(), e.artifactLocation(), stage(e.deleted()), e.lastUpdateTime(),
                e.creationTime(), tags(e.tags()));
    }

    static RunInfo info(Run r) {
        return new RunInfo(r.id(), r.experimentId(), r.name(), r.userId(), r.status().name(), r.startTime(),
                r.endTime(), r.artifactUri(), stage(r.deleted()), r.id());
    }

    static RunJson run(Run r, boolean withInputs) {
        RunData data = new RunData(r.latestMetrics().stream().map(TrackingJson::metric).toList(), tags(r.params()),
                tags(r.tags()));
        RunInputs inputs = withInputs ? new RunInputs(r.inputs().stream().map(TrackingJson::input).toList()) : null;
        return new RunJson(info(r), data, inputs);
    }

    static MetricJson metric(Metric m) {
        return new MetricJson(m.key(), m.value(), m.timestamp(), m.step());
    }

    static FileInfo file(ArtifactEntry entry) {
        return new FileInfo(entry.name(), entry.directory(), entry.directory() ? null : entry.size());
    }

    private static DatasetInputJson input(DatasetInput d) {
        return new DatasetInputJson(tags(d.tags()),
                new Dataset(d.name(), d.digest(), d.sourceType(), d.source(), d.schema(), d.profile()));
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Tag(e.getKey(), e.getValue())).toList();
    }

    private static String stage(boolean deleted) {
        return deleted ? "deleted" : "active";
    }
}
