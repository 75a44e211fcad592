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

    // --- governance ---------------------------------------------------------------------------------------------

    /** {@code GET /api/v1/whoami}: the caller as the server sees it; {@code authenticated} is false without auth. */
    public record WhoAmI(String user, String role, boolean authenticated) {}

    /** {@code role}: viewer, editor, approver or admin. */
    public record User(String name, String role, String createdAt, String createdBy) {}

    public record UserList(List<User> users, String nextPageToken) {}

    /** {@code expires}: a lifetime for the first token such as {@code 30d}, or {@code never}; default 90 days. */
    public record CreateUser(String name, String role, String expires) {}

    public record UpdateUser(String role) {}

    /** An API token. {@code token}, the secret, appears only in the answer that creates it. */
    public record Token(String id, String user, String createdAt, String expiresAt, String revokedAt, boolean active,
                        String token) {}

    public record TokenList(List<Token> tokens, String nextPageToken) {}

    /** {@code user}: whose token (default: the caller); {@code expires}: {@code 30d}, {@code never}; default 90 days. */
    public record CreateToken(String user, String expires) {}

    public record NewUser(User user, Token token) {}

    public record Grant(String model, String user, String role) {}

    public record GrantList(List<Grant> grants) {}

    public record SetGrant(String role) {}

    /**
     * A promotion policy. Absent fields take their defaults: no thresholds, nothing required, {@code approvals} 0,
     * {@code four_eyes} true. {@code staging_for}: the least time in Staging, such as {@code 24h} (implies
     * {@code require_staging}).
     */
    public record Policy(Map<String, Double> minMetrics, Map<String, Double> maxMetrics, Boolean requireDatasetDigest,
                         Boolean requireCommit, Boolean requireCleanTree, Boolean requireStaging, String stagingFor,
                         Boolean requireCompatibleSignature, Integer approvals, Boolean fourEyes,
                         List<String> protectedAliases) {}

    /** The policy that governs a model; {@code source}: {@code model} (its own) or {@code default}. */
    public record PolicyView(String model, String source, Policy policy) {}

    public record Check(String check, boolean passed, String detail) {}

    /** What a promotion would meet: {@code allowed} when every check passed. */
    public record PromotionCheck(String model, int version, String target, boolean allowed, List<Check> checks) {}

    /** {@code target}: {@code production}, or an alias ({@code @name} is accepted too). */
    public record CreateRequest(String model, int version, String target, String comment) {}

    public record Decision(String comment) {}

    public record Approval(String approver, String time, String comment) {}

    /** {@code status}: pending, approved, rejected or cancelled. */
    public record Request(long id, String model, int version, String target, String requestedBy, String comment,
                          String status, String createdAt, List<Approval> approvals, String decidedBy, String decidedAt,
                          String decisionComment) {}

    public record RequestList(List<Request> requests, String nextPageToken) {}

    /**
     * {@code GET /api/v1/audit/verify}: {@code intact} when the hash chain recomputes; else {@code first_bad_seq} is
     * the first event that does not and {@code problem} says why. The head identifies the log's current end.
     */
    public record AuditReport(boolean intact, long checked, Long headSeq, String headHash, Long firstBadSeq,
                              String problem) {}

    /** Which version held each stage and alias of a model at {@code at} (now when absent). */
    public record Pointers(String model, String at, Map<String, Integer> stages, Map<String, Integer> aliases) {}

    // --- health -------------------------------------------------------------------------------------------------

    public record Health(String status) {}

    // --- webhooks -----------------------------------------------------------------------------------------------

    /**
     * {@code POST /api/v1/webhooks}. {@code model}: one model's events, or every model's when null; {@code events}:
     * topics such as {@code stage.transitioned} (every topic when empty); {@code secret}: the HMAC key, generated and
     * returned once in {@link NewWebhook} when null.
     */
    public record CreateWebhook(String url, String model, List<String> events, String secret, String description) {}

    /** A subscription; its secret is never shown after creation. */
    public record Webhook(long id, String url, String model, List<String> events, String description, String createdBy,
                          String createdAt, long afterSeq) {}

    /** The answer to creating a webhook: the subscription and its signing secret, shown this once. */
    public record NewWebhook(Webhook webhook, String secret) {}

    public record WebhookList(List<Webhook> webhooks) {}

    /** One HTTP attempt of a delivery: the receiver's status code (null when none came) or the error. */
    public record DeliveryAttempt(int attempt, String time, Integer statusCode, String error, long durationMillis) {}

    /**
     * One event (or test ping, {@code event_seq} null) sent to one webhook. {@code status}: {@code pending} (will be
     * tried at {@code next_attempt_at}), {@code delivered} or {@code failed} (retries ran out).
     */
    public record Delivery(String id, long webhookId, Long eventSeq, String topic, String status, int attempts,
                           String createdAt, String nextAttemptAt, String deliveredAt, Integer lastStatusCode,
                           String lastError, List<DeliveryAttempt> attemptLog) {}

    public record DeliveryList(List<Delivery> deliveries, String nextPageToken) {}

    // --- deployments --------------------------------------------------------------------------------------------

    /**
     * {@code POST /api/v1/deployments/heartbeat}: a serving instance says which version of which model it serves and
     * since when; {@code reference} is what it follows, such as {@code models:/fraud@production}.
     */
    public record Heartbeat(String instanceId, String model, int version, String reference, String since, String host) {}

    /**
     * What one instance reported last; {@code reported_by} is the caller that reported it (the token's user with
     * authentication), {@code live} whether its last heartbeat is recent.
     */
    public record Deployment(String instanceId, String model, int version, String reference, String since, String host,
                             String reportedBy, String lastSeen, boolean live) {}

    public record DeploymentList(List<Deployment> deployments) {}
}
