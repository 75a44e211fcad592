package dev.cairn.server.internal.mlflow.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.cairn.core.model.ModelDetail;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.VersionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MLflow's registry messages (spec §2.1) as written by MLflow 2.x: versions as strings, times in epoch milliseconds,
 * stages by their MLflow names, empty lists left out. The string fields MLflow emits even when empty are marked
 * ALWAYS, the rest follow {@link dev.cairn.server.internal.mlflow.MlflowJson}'s NON_EMPTY rule.
 */
final class RegistryReplies {
    private RegistryReplies() {}

    record Tag(String key, String value) {}

    record Alias(String alias, String version) {}

    record Model(String name, Long creationTimestamp, Long lastUpdatedTimestamp, String userId, String description,
                 List<Version> latestVersions, List<Tag> tags, List<Alias> aliases) {}

    record Version(String name, String version, Long creationTimestamp, Long lastUpdatedTimestamp, String userId,
                   @JsonInclude(Include.ALWAYS) String currentStage, @JsonInclude(Include.ALWAYS) String description,
                   @JsonInclude(Include.ALWAYS) String source, @JsonInclude(Include.ALWAYS) String runId,
                   String status, List<Tag> tags, @JsonInclude(Include.ALWAYS) String runLink, List<String> aliases) {}

    record ModelReply(Model registeredModel) {}

    record VersionReply(Version modelVersion) {}

    record VersionsReply(List<Version> modelVersions) {}

    record ModelPage(List<Model> registeredModels, String nextPageToken) {}

    record VersionPage(List<Version> modelVersions, String nextPageToken) {}

    record DownloadUri(@JsonInclude(Include.ALWAYS) String artifactUri) {}

    static Model model(ModelDetail detail) {
        RegisteredModel m = detail.model();
        Map<String, Integer> aliases = new TreeMap<>(detail.aliases());
        return new Model(m.name(), millis(m.createdAt()), millis(m.updatedAt()), m.owner(), m.description(),
                detail.latestVersions().stream().map(v -> version(v, false)).toList(), tags(m.tags()),
                aliases.entrySet().stream().map(e -> new Alias(e.getKey(), e.getValue().toString())).toList());
    }

    /** A version; {@code withAliases} false where MLflow leaves them out (search results, latest_versions). */
    static Version version(ModelVersion v, boolean withAliases) {
        return new Version(v.modelName(), Integer.toString(v.version()), millis(v.createdAt()), millis(v.updatedAt()),
                v.createdBy(), v.stage().label(), v.description(), orEmpty(v.source()), orEmpty(v.runId()),
                status(v.status()), tags(v.tags()), orEmpty(v.runLink()), withAliases ? v.aliases() : List.of());
    }

    /**
     * MLflow has three statuses. A Cairn draft or failed registration says so; every version that is or was
     * registered, including one whose files retention purged, is READY (its metadata and lineage still are).
     */
    static String status(VersionStatus status) {
        return switch (status) {
            case PENDING_REGISTRATION -> "PENDING_REGISTRATION";
            case FAILED_REGISTRATION -> "FAILED_REGISTRATION";
            default -> "READY";
        };
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
