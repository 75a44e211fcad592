package dev.cairn.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One numbered version of a model. Files, digest, metrics, params, signature, format, source, run and lineage never
 * change once the version is READY; description and tags stay editable; stage and aliases are the registry's pointers.
 *
 * <p>{@code contentAddressed} is false for a version that only refers to files kept elsewhere (an MLflow source such as
 * {@code s3://...} whose bytes Cairn never saw): it has no manifest, so nothing can be verified. {@code runLink} is
 * MLflow's link to the training run. {@code storageLocation} is where MLflow clients download the files from
 * ({@code mlflow-artifacts:/...}, or the source as given), null when the version was never published.
 */
public record ModelVersion(
        long modelId,
        String modelName,
        int version,
        VersionStatus status,
        Stage stage,
        List<String> aliases,
        String description,
        Map<String, String> tags,
        Map<String, Double> metrics,
        Map<String, String> params,
        Signature signature,
        String format,
        String source,
        String runId,
        Lineage lineage,
        Manifest manifest,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        boolean contentAddressed,
        String runLink,
        String storageLocation) {

    public ModelVersion {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(status, "status");
        stage = stage == null ? Stage.NONE : stage;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        params = params == null ? Map.of() : Map.copyOf(params);
        lineage = lineage == null ? Lineage.EMPTY : lineage;
        manifest = manifest == null ? new Manifest(List.of(), null) : manifest;
    }

    public ModelVersion withPointers(Stage newStage, List<String> newAliases) {
        return new ModelVersion(modelId, modelName, version, status, newStage, newAliases, description, tags, metrics,
                params, signature, format, source, runId, lineage, manifest, createdBy, createdAt, updatedAt,
                contentAddressed, runLink, storageLocation);
    }

    public ModelVersion withManifest(Manifest newManifest) {
        return new ModelVersion(modelId, modelName, version, status, stage, aliases, description, tags, metrics,
                params, signature, format, source, runId, lineage, newManifest, createdBy, createdAt, updatedAt,
                contentAddressed, runLink, storageLocation);
    }
}
