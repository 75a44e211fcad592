package dev.cairn.api;

import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the native REST API ({@code /api/v1}), shared by the server and the SDK. Field names are written
 * in snake_case on the wire; times are ISO-8601 UTC strings; absent (null) fields are left out.
 */
public final class ApiModels {
    private ApiModels() {}

    // --- errors -------------------------------------------------------------------------------------------------

    /** Every error: {@code {"error": {"code": "NOT_FOUND", "message": "...", "details": {...}}}}. */
    public record ErrorBody(ErrorDetail error) {}

    public record ErrorDetail(String code, String message, Map<String, Object> details) {}

    // --- models -------------------------------------------------------------------------------------------------

    /**
     * A registered model. {@code latest_version} is the highest number allocated so far; {@code stages} maps
     * Staging/Production to the version holding it; {@code aliases} maps alias to version.
     */
    public record Model(String name, String description, Map<String, String> tags, String owner, String createdAt,
                        String updatedAt, int latestVersion, Map<String, Integer> stages, Map<String, Integer> aliases) {}

    public record ModelList(List<Model> models, String nextPageToken) {}

    public record CreateModel(String name, String description, Map<String, String> tags) {}

    public record UpdateModel(String description) {}

    /** Body of {@code PUT .../tags/{key}}. */
    public record TagValue(String value) {}

    // --- versions -----------------------------------------------------------------------------------------------

    public record FileInfo(String path, long size, String sha256) {}

    public record Column(String name, String type, Boolean optional) {}

    public record Signature(List<Column> inputs, List<Column> outputs) {}

    public record Dataset(String name, String uri, String version, String digest, String role) {}

    public record Code(String repository, String commit, String branch, String path, Boolean dirty) {}

    public record Run(String id, String uri) {}

    public record Parent(String model, int version, String relation) {}

    public record Environment(String runtime, List<String> dependencies, String lockfileDigest) {}

    public record Lineage(List<Dataset> datasets, Code code, Run run, List<Parent> parents, Environment environment) {}

    /**
     * A model version. {@code digest} is {@code sha256:HEX} of the canonical manifest (null for a draft);
     * {@code size} is the sum of the file sizes; {@code stage} is None, Staging, Production or Archived.
     * {@code content_addressed} is false for a version registered through the MLflow API from a source whose files Cairn
     * does not hold (such as {@code s3://...}): it has no files, no digest, and cannot be verified.
     */
    public record Version(String name, int version, String status, String stage, List<String> aliases,
                         String description, Map<String, String> tags, Map<String, Double> metrics,
                         Map<String, String> params, Signature signature, String format, String source, String runId,
                         Lineage lineage, String digest, List<FileInfo> files, long size, String createdBy,
                         String createdAt, String updatedAt, Boolean contentAddressed) {}

    public record VersionList(List<Version> versions, String nextPageToken) {}

    /**
     * Body of {@code POST /api/v1/models/{name}/versions}: starts a draft. With {@code create_model} true the model is
     * created when missing.
     */
    public record CreateVersion(String description, Map<String, String> tags, Map<String, Double> metrics,
                               Map<String, String> params, Signature signature, String format, String source,
                               String runId, Lineage lineage, Boolean createModel) {}

    public record UpdateVersion(String description) {}

    // --- pointers -----------------------------------------------------------------------------------------------

    /** Body of {@code POST .../versions/{v}/stage}; {@code archive_existing} defaults to true. */
    public record Transition(String stage, String comment, Boolean archiveExisting) {}

    /** Body of {@code PUT /api/v1/models/{name}/aliases/{alias}}. */
    public record SetAlias(int version, String comment) {}

    /** Body of {@code POST /api/v1/models/{name}/rollback}: exactly one of {@code stage} and {@code alias}. */
    public record Rollback(String stage, String alias, Integer toVersion, String comment) {}

    // --- history ------------------------------------------------------------------------------------------------

    public record Event(long seq, String time, String actor, String model, Integer version, String kind,
                        Map<String, String> payload) {}

    public record EventList(List<Event> events, String nextPageToken) {}

    // --- compare ------------------------------------------------------------------------------------------------

    public record MetricRow(String name, List<Double> values, List<Double> deltas, List<Double> relativeDeltas) {}

    public record ParamRow(String name, List<String> values, boolean differs) {}

    public record LineageDiff(int version, boolean datasetsChanged, List<String> datasetsAdded,
                              List<String> datasetsRemoved, boolean commitChanged, String commit, boolean parentsChanged) {}

    public record ChangedFile(String path, long sizeBefore, long sizeAfter) {}

    public record FileDiff(int version, boolean identical, List<String> added, List<String> removed,
                           List<ChangedFile> changed, long sizeDelta) {}

    public record SignatureDiff(int version, boolean identical, boolean compatible, List<String> breaking) {}

    /** The first version is the baseline; every list of values is in the order of {@code versions}. */
    public record Comparison(String name, List<Integer> versions, List<String> digests, List<MetricRow> metrics,
                             List<ParamRow> params, List<LineageDiff> lineage, List<FileDiff> files,
                             List<SignatureDiff> signatures) {}

    // --- verify -------------------------------------------------------------------------------------------------

    /** {@code unverifiable}: a version that is not content-addressed; neither ok nor failed. */
    public record VersionCheck(String name, int version, String digest, int filesChecked, List<String> missing,
                               List<String> corrupt, boolean digestMatches, List<String> lineageWarnings, boolean ok,
                               Boolean unverifiable) {}

    public record VerifyReport(boolean ok, List<VersionCheck> versions) {}

    // --- health -------------------------------------------------------------------------------------------------

    public record Health(String status) {}
}
