package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.ApiModels.AuditReport;
import dev.cairn.api.ApiModels.Comparison;
import dev.cairn.api.ApiModels.CreateModel;
import dev.cairn.api.ApiModels.CreateRequest;
import dev.cairn.api.ApiModels.CreateToken;
import dev.cairn.api.ApiModels.CreateUser;
import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.CreateWebhook;
import dev.cairn.api.ApiModels.Decision;
import dev.cairn.api.ApiModels.Delivery;
import dev.cairn.api.ApiModels.Deployment;
import dev.cairn.api.ApiModels.DeploymentList;
import dev.cairn.api.ApiModels.DeliveryList;
import dev.cairn.api.ApiModels.EventList;
import dev.cairn.api.ApiModels.FileInfo;
import dev.cairn.api.ApiModels.Grant;
import dev.cairn.api.ApiModels.GrantList;
import dev.cairn.api.ApiModels.Health;
import dev.cairn.api.ApiModels.Heartbeat;
import dev.cairn.api.ApiModels.Model;
import dev.cairn.api.ApiModels.ModelList;
import dev.cairn.api.ApiModels.NewUser;
import dev.cairn.api.ApiModels.NewWebhook;
import dev.cairn.api.ApiModels.Pointers;
import dev.cairn.api.ApiModels.Policy;
import dev.cairn.api.ApiModels.PolicyView;
import dev.cairn.api.ApiModels.PromotionCheck;
import dev.cairn.api.ApiModels.Request;
import dev.cairn.api.ApiModels.RequestList;
import dev.cairn.api.ApiModels.Rollback;
import dev.cairn.api.ApiModels.SetAlias;
import dev.cairn.api.ApiModels.SetGrant;
import dev.cairn.api.ApiModels.TagValue;
import dev.cairn.api.ApiModels.Token;
import dev.cairn.api.ApiModels.TokenList;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.UpdateModel;
import dev.cairn.api.ApiModels.UpdateUser;
import dev.cairn.api.ApiModels.UpdateVersion;
import dev.cairn.api.ApiModels.User;
import dev.cairn.api.ApiModels.UserList;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.VersionList;
import dev.cairn.api.ApiModels.VerifyReport;
import dev.cairn.api.ApiModels.Webhook;
import dev.cairn.api.ApiModels.WebhookList;
import dev.cairn.api.ApiModels.WhoAmI;
import dev.cairn.api.Json;
import dev.cairn.client.internal.BlobCache;
import dev.cairn.client.internal.CountingPublisher;
import dev.cairn.client.internal.Downloads;
import dev.cairn.client.internal.Query;
import dev.cairn.client.internal.Sha256;
import dev.cairn.client.internal.Transport;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.cairn.client.internal.UrlPaths.path;
import static dev.cairn.client.internal.UrlPaths.segment;

/**
 * The Java SDK of Cairn's native API ({@code /api/v1}): one method per route, answering the records of
 * {@code dev.cairn.api.ApiModels}. Thread-safe; build one per server and share it.
 *
 * <p>Every method throws a {@link CairnException} when the server refuses the request: {@link NotFoundException},
 * {@link InvalidArgumentException}, {@link ConflictException} (with {@link PolicyBlockedException} for a promotion
 * refused by policy), {@link UnauthenticatedException} and {@link PermissionDeniedException} for the common cases, and
 * {@link CairnConnectionException} when the server cannot be reached. List methods take {@code limit} and
 * {@code pageToken} (both may be null) and answer one page with its {@code next_page_token}.
 */
public final class CairnClient {
    private static final String API = "/api/v1";
    /** How long a heartbeat may take before it is given up (the next one follows anyway). */
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
    /** How long after its wait a long poll is given up: the server answers by then unless it is gone. */
    static final Duration WATCH_MARGIN = Duration.ofSeconds(10);

    private final Transport transport;
    private final Duration requestTimeout;

    private CairnClient(Builder builder) {
        this.requestTimeout = builder.requestTimeout;
        this.transport = new Transport(builder.baseUrl, builder.user, builder.token, builder.connectTimeout,
                builder.requestTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's base URL, without a trailing slash. */
    public String baseUrl() {
        return transport.baseUrl();
    }

    // --- health -------------------------------------------------------------------------------------------------

    /** {@code GET /healthz}: the process is up. */
    public Health health() {
        return transport.json("GET", "/healthz", null, Health.class);
    }

    /** {@code GET /readyz}: the database and blob store answer; 503 becomes a {@link CairnException}. */
    public Health ready() {
        return transport.json("GET", "/readyz", null, Health.class);
    }

    /** {@code GET /api/v1/openapi.json}: the OpenAPI document, as JSON text. */
    public String openApi() {
        return transport.json("GET", API + "/openapi.json", null, JsonNode.class).toString();
    }

    // --- models -------------------------------------------------------------------------------------------------

    /** Models whose name contains {@code query} (case-insensitive; null for all), by name. */
    public ModelList listModels(String query, Integer limit, String pageToken) {
        return get(API + "/models" + new Query().add("q", query).add("limit", limit).add("page_token", pageToken),
                ModelList.class);
    }

    public Model createModel(CreateModel model) {
        return transport.json("POST", API + "/models", model, Model.class);
    }

    public Model getModel(String name) {
        return get(model(name), Model.class);
    }

    public Model updateModel(String name, UpdateModel update) {
        return transport.json("PATCH", model(name), update, Model.class);
    }

    /** Refused with a {@link ConflictException} while a version holds Staging, Production or an alias. */
    public void deleteModel(String name) {
        transport.json("DELETE", model(name), null, null);
    }

    public Model setModelTag(String name, String key, String value) {
        return transport.json("PUT", model(name) + "/tags/" + segment(key), new TagValue(value), Model.class);
    }

    public Model deleteModelTag(String name, String key) {
        return transport.json("DELETE", model(name) + "/tags/" + segment(key), null, Model.class);
    }

    // --- versions -----------------------------------------------------------------------------------------------

    /** Versions of a model, newest first; {@code status} and {@code stage} filter when not null. */
    public VersionList listVersions(String name, String status, String stage, Integer limit, String pageToken) {
        return get(model(name) + "/versions" + new Query().add("status", status).add("stage", stage)
                .add("limit", limit).add("page_token", pageToken), VersionList.class);
    }

    /** Starts a draft version ({@code PENDING_REGISTRATION}); upload its files, then {@link #commit} it. */
    public Version createVersion(String name, CreateVersion version) {
        return transport.json("POST", model(name) + "/versions", version, Version.class);
    }

    public Version getVersion(String name, int version) {
        return get(version(name, version), Version.class);
    }

    public Version updateVersion(String name, int version, UpdateVersion update) {
        return transport.json("PATCH", version(name, version), update, Version.class);
    }

    /** Marks a version DELETED: hidden from listings, its number never reused. */
    public Version deleteVersion(String name, int version) {
        return transport.json("DELETE", version(name, version), null, Version.class);
    }

    public Version setVersionTag(String name, int version, String key, String value) {
        return transport.json("PUT", version(name, version) + "/tags/" + segment(key), new TagValue(value), Version.class);
    }

    public Version deleteVersionTag(String name, int version, String key) {
        return transport.json("DELETE", version(name, version) + "/tags/" + segment(key), null, Version.class);
    }

    /** Seals a draft: it becomes READY and immutable, with its manifest digest. */
    public Version commit(String name, int version) {
        return transport.json("POST", version(name, version) + "/commit", null, Version.class);
    }

    // --- files --------------------------------------------------------------------------------------------------

    /**
     * Uploads one file into a draft as {@code artifactPath}, streaming it from disk. Its sha256 is computed first and
     * sent as {@code X-Content-Sha256}, so the server keeps nothing if the bytes it receives differ.
     */
    public FileInfo uploadFile(String name, int version, String artifactPath, Path file, Progress progress) {
        String sha256 = Sha256.of(file);
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        HttpRequest request = transport.request(filePath(name, version, artifactPath))
                .timeout(transferTimeout(body.contentLength()))
                .header("Content-Type", "application/octet-stream")
                .header("X-Content-Sha256", sha256)
                .PUT(new CountingPublisher(body, artifactPath, progress == null ? Progress.NONE : progress))
                .build();
        return transport.read(transport.send(request, HttpResponse.BodyHandlers.ofByteArray()), FileInfo.class);
    }

    /** The manifest of a version (a draft's files so far), sorted by path. */
    public List<FileInfo> listFiles(String name, int version) {
        return get(version(name, version) + "/files", FileList.class).files();
    }

    /**
     * Downloads one file of a version to {@code target}, streaming, and verifies its size and sha256 against
     * {@code file} before moving it into place; on a mismatch it throws {@link ChecksumMismatchException} and
     * {@code target} is left untouched.
     */
    public void downloadFile(String name, int version, FileInfo file, Path target, Progress progress) {
        HttpRequest request = transport.request(filePath(name, version, file.path()))
                .timeout(transferTimeout(file.size()))
                .header("Accept", "application/octet-stream")
                .GET()
                .build();
        HttpResponse<InputStream> response = transport.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw transport.error(response);
        }
        Downloads.write(response.body(), file, target, progress == null ? Progress.NONE : progress);
    }

    /**
     * Opens a file of a version from byte {@code offset} with a Range request, for {@link LiveModel}'s resumable
     * cache. The answer says where the body starts: 0 when the server sent the whole file instead.
     */
    BlobCache.Opened openFile(Version version, FileInfo file, long offset) {
        HttpRequest.Builder builder = transport.request(filePath(version.name(), version.version(), file.path()))
                .timeout(transferTimeout(file.size() - offset))
                .header("Accept", "application/octet-stream");
        if (offset > 0) {
            builder.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = transport.send(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 206) {
            return new BlobCache.Opened(response.body(), offset);
        }
        if (response.statusCode() != 200) {
            throw transport.error(response);
        }
        return new BlobCache.Opened(response.body(), 0);
    }

    /**
     * Downloads every file of {@code version} under {@code dir} at its artifact path, each verified against the
     * manifest. Paths that would land outside {@code dir} are refused before anything is written.
     *
     * @return the written files, in manifest order
     */
    public List<Path> downloadVersion(Version version, Path dir, Progress progress) {
        List<FileInfo> files = version.files() == null ? listFiles(version.name(), version.version()) : version.files();
        List<Path> targets = files.stream().map(f -> Downloads.target(dir, f.path())).toList();
        for (int i = 0; i < files.size(); i++) {
            downloadFile(version.name(), version.version(), files.get(i), targets.get(i), progress);
        }
        return targets;
    }

    // --- stages, aliases, rollback --------------------------------------------------------------------------------

    public Version transition(String name, int version, Transition transition) {
        return transport.json("POST", version(name, version) + "/stage", transition, Version.class);
    }

    public Version setAlias(String name, String alias, SetAlias target) {
        return transport.json("PUT", model(name) + "/aliases/" + segment(alias), target, Version.class);
    }

    public void deleteAlias(String name, String alias) {
        transport.json("DELETE", model(name) + "/aliases/" + segment(alias), null, null);
    }

    /** Moves a stage or alias back to an earlier holder; answers the restored version. */
    public Version rollback(String name, Rollback rollback) {
        return transport.json("POST", model(name) + "/rollback", rollback, Version.class);
    }

    // --- resolve ------------------------------------------------------------------------------------------------

    /**
     * Resolves a reference: {@code models:/NAME/7}, {@code models:/NAME/Production}, {@code models:/NAME/latest},
     * {@code models:/NAME@ALIAS}, or the same without {@code models:/}.
     */
    public Resolution resolve(String reference) {
        HttpResponse<byte[]> response = transport.send(transport.request(resolvePath(reference, null)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Resolution(transport.read(response, Version.class), response.headers().firstValue("ETag").orElse(null));
    }

    /**
     * Waits up to {@code wait} (at most 60 seconds; zero asks once) for the resolution of {@code reference} to differ
     * from the one tagged {@code etag}. Answers the new resolution, or empty when nothing changed in that time. The
     * server answers within {@code wait}, so the call gives up 10 seconds later (or after the request
     * timeout, if shorter): a server that vanished without closing the connection is noticed in time.
     */
    public Optional<Resolution> watch(String reference, String etag, Duration wait) {
        Objects.requireNonNull(etag, "etag");
        long seconds = Math.max(0, Math.min(60, wait.toSeconds()));
        HttpRequest request = transport.request(resolvePath(reference, seconds == 0 ? null : seconds))
                .timeout(Duration.ofSeconds(seconds).plus(
                        requestTimeout.compareTo(WATCH_MARGIN) < 0 ? requestTimeout : WATCH_MARGIN))
                .header("If-None-Match", etag)
                .GET()
                .build();
        HttpResponse<byte[]> response = transport.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 304) {
            return Optional.empty();
        }
        Version version = transport.read(response, Version.class);
        return Optional.of(new Resolution(version, response.headers().firstValue("ETag").orElse(null)));
    }

    // --- compare, lineage, history, verify -----------------------------------------------------------------------

    /** Two or more versions side by side; the first is the baseline of every delta. */
    public Comparison compare(String name, List<Integer> versions) {
        String list = versions.stream().map(String::valueOf).collect(Collectors.joining(","));
        return get(model(name) + "/compare" + new Query().add("versions", list), Comparison.class);
    }

    /** Versions trained on a dataset, given by URI, name or {@code sha256:} digest. */
    public VersionList versionsUsingDataset(String dataset, Integer limit, String pageToken) {
        return lineage("dataset", dataset, limit, pageToken);
    }

    /** Versions built from a commit (a prefix of at least 4 characters). */
    public VersionList versionsFromCommit(String commit, Integer limit, String pageToken) {
        return lineage("commit", commit, limit, pageToken);
    }

    /** Versions that list {@code model} version {@code version} as a parent. */
    public VersionList versionsDerivedFrom(String model, int version, Integer limit, String pageToken) {
        return lineage("parent", model + ":" + version, limit, pageToken);
    }

    /** The model's events, oldest first; {@code kinds} (e.g. {@code STAGE_TRANSITION}) filter when not empty. */
    public EventList history(String name, List<String> kinds, Integer limit, String pageToken) {
        return get(model(name) + "/history" + new Query().addAll("kind", kinds).add("limit", limit)
                .add("page_token", pageToken), EventList.class);
    }

    /** The audit log of the whole registry, or of one model when {@code model} is not null. */
    public EventList events(String model, List<String> kinds, Integer limit, String pageToken) {
        return get(API + "/events" + new Query().add("model", model).addAll("kind", kinds).add("limit", limit)
                .add("page_token", pageToken), EventList.class);
    }

    /** Recomputes the sha256 of every file of one version. */
    public VerifyReport verify(String name, int version) {
        return get(version(name, version) + "/verify", VerifyReport.class);
    }

    /** Verifies every READY version of a model. */
    public VerifyReport verify(String name) {
        return get(model(name) + "/verify", VerifyReport.class);
    }

    /** Verifies the whole registry. */
    public VerifyReport verifyAll() {
        return transport.json("POST", API + "/verify", null, VerifyReport.class);
    }

    // --- identity, users, tokens ----------------------------------------------------------------------------------

    /** {@code GET /api/v1/whoami}: the caller as the server sees it. */
    public WhoAmI whoami() {
        return get(API + "/whoami", WhoAmI.class);
    }

    public UserList listUsers(Integer limit, String pageToken) {
        return get(API + "/users" + new Query().add("limit", limit).add("page_token", pageToken), UserList.class);
    }

    /** Creates a user and its first token, whose secret ({@code token.token}) is shown in this answer only. */
    public NewUser createUser(CreateUser user) {
        return transport.json("POST", API + "/users", user, NewUser.class);
    }

    public User updateUser(String name, UpdateUser update) {
        return transport.json("PATCH", API + "/users/" + segment(name), update, User.class);
    }

    /** Tokens of {@code user}, or of the caller when null; secrets are never listed. */
    public TokenList listTokens(String user, Integer limit, String pageToken) {
        return get(API + "/tokens" + new Query().add("user", user).add("limit", limit).add("page_token", pageToken),
                TokenList.class);
    }

    /** A new token; its secret ({@code token}) is shown in this answer only. */
    public Token createToken(CreateToken token) {
        return transport.json("POST", API + "/tokens", token, Token.class);
    }

    /** Revokes a token at once; answers it, revoked. */
    public Token revokeToken(String id) {
        return transport.json("DELETE", API + "/tokens/" + segment(id), null, Token.class);
    }

    // --- grants and policies --------------------------------------------------------------------------------------

    /** The per-model grants of a model: roles that replace a user's own role on this model. */
    public GrantList listGrants(String model) {
        return get(model(model) + "/grants", GrantList.class);
    }

    public Grant setGrant(String model, String user, String role) {
        return transport.json("PUT", model(model) + "/grants/" + segment(user), new SetGrant(role), Grant.class);
    }

    public void deleteGrant(String model, String user) {
        transport.json("DELETE", model(model) + "/grants/" + segment(user), null, null);
    }

    /** The registry's default policy, which governs every model without one of its own. */
    public PolicyView defaultPolicy() {
        return get(API + "/policies/default", PolicyView.class);
    }

    public PolicyView setDefaultPolicy(Policy policy) {
        return transport.json("PUT", API + "/policies/default", policy, PolicyView.class);
    }

    /** The policy that governs a model: its own, or the default ({@code source} says which). */
    public PolicyView policy(String model) {
        return get(model(model) + "/policy", PolicyView.class);
    }

    /** Replaces a model's own policy whole with {@code policy}. */
    public PolicyView setPolicy(String model, Policy policy) {
        return transport.json("PUT", model(model) + "/policy", policy, PolicyView.class);
    }

    /** Drops a model's own policy; answers the policy that governs it now (the default). */
    public PolicyView deletePolicy(String model) {
        return transport.json("DELETE", model(model) + "/policy", null, PolicyView.class);
    }

    /**
     * What moving a version to {@code target} ({@code production} or an alias) would meet, without moving it: a dry
     * run of the policy.
     */
    public PromotionCheck promotionCheck(String name, int version, String target) {
        return get(version(name, version) + "/promotion-check" + new Query().add("target", target),
                PromotionCheck.class);
    }

    // --- transition requests --------------------------------------------------------------------------------------

    /** Asks for a version to be moved to Production or a protected alias; an approver decides. */
    public Request createRequest(CreateRequest request) {
        return transport.json("POST", API + "/requests", request, Request.class);
    }

    /** Requests, newest first; {@code model} and {@code status} filter when not null. */
    public RequestList listRequests(String model, String status, Integer limit, String pageToken) {
        return get(API + "/requests" + new Query().add("model", model).add("status", status).add("limit", limit)
                .add("page_token", pageToken), RequestList.class);
    }

    public Request getRequest(long id) {
        return get(request(id), Request.class);
    }

    /** Approves a request; with the approvals its policy needs, the transition happens in the same step. */
    public Request approveRequest(long id, String comment) {
        return transport.json("POST", request(id) + "/approve", new Decision(comment), Request.class);
    }

    public Request rejectRequest(long id, String comment) {
        return transport.json("POST", request(id) + "/reject", new Decision(comment), Request.class);
    }

    /** Withdraws a pending request. */
    public Request cancelRequest(long id) {
        return transport.json("POST", request(id) + "/cancel", null, Request.class);
    }

    // --- audit ----------------------------------------------------------------------------------------------------

    /** Events of the audit log that match {@code filter}, oldest first. */
    public EventList audit(AuditFilter filter, Integer limit, String pageToken) {
        return get(API + "/audit" + new Query().add("model", filter.model()).add("actor", filter.actor())
                .addAll("kind", filter.kinds()).add("since", filter.since()).add("until", filter.until())
                .add("limit", limit).add("page_token", pageToken), EventList.class);
    }

    /**
     * Recomputes the audit log's hash chain. With {@code expectHead} (a head hash noted earlier) the log is also
     * reported broken when that event is no longer part of it.
     */
    public AuditReport verifyAudit(String expectHead) {
        return get(API + "/audit/verify" + new Query().add("expect_head", expectHead), AuditReport.class);
    }

    /** Which version held each stage and alias of a model at {@code at}, or now when null. */
    public Pointers pointers(String name, Instant at) {
        return get(model(name) + "/pointers" + new Query().add("at", at), Pointers.class);
    }

    // --- deployments --------------------------------------------------------------------------------------------

    /**
     * Reports that this serving instance serves a version (a viewer's token is enough). {@link LiveModel} sends these
     * by itself; call it directly only when serving without LiveModel.
     */
    public Deployment heartbeat(Heartbeat heartbeat) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(heartbeat);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the heartbeat as JSON", e);
        }
        // A short timeout: a registry that hangs must not hold a serving instance's heartbeat thread for long.
        HttpRequest request = transport.request(API + "/deployments/heartbeat")
                .timeout(requestTimeout.compareTo(HEARTBEAT_TIMEOUT) < 0 ? requestTimeout : HEARTBEAT_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return transport.read(transport.send(request, HttpResponse.BodyHandlers.ofByteArray()), Deployment.class);
    }

    /**
     * Which instances serve which version of the model now, by version (highest first): the live ones (a heartbeat in
     * the last 90 s), or with {@code all} also those that stopped reporting in the last 7 days.
     */
    public DeploymentList deployments(String model, boolean all) {
        return get(model(model) + "/deployments" + new Query().add("all", all ? "true" : null), DeploymentList.class);
    }

    // --- webhooks -----------------------------------------------------------------------------------------------

    /**
     * Subscribes {@code url} to events (admin only). Without a secret the server generates one; either way
     * {@link NewWebhook#secret()} is the only time it is shown. Receivers on loopback or private addresses are refused
     * unless the server allows them.
     */
    public NewWebhook createWebhook(CreateWebhook webhook) {
        return transport.json("POST", API + "/webhooks", webhook, NewWebhook.class);
    }

    public WebhookList listWebhooks() {
        return get(API + "/webhooks", WebhookList.class);
    }

    public Webhook getWebhook(long id) {
        return get(webhook(id), Webhook.class);
    }

    /** Removes the subscription together with its deliveries; answers it as it was. */
    public Webhook deleteWebhook(long id) {
        return transport.json("DELETE", webhook(id), null, Webhook.class);
    }

    /**
     * Sends a {@code ping} delivery now, one attempt, and answers it: {@code delivered}, or {@code pending} with the
     * receiver's status code or the error.
     */
    public Delivery testWebhook(long id) {
        return transport.json("POST", webhook(id) + "/test", null, Delivery.class);
    }

    /** A webhook's deliveries, newest first, each with its attempts; {@code status} filters when not null. */
    public DeliveryList deliveries(long id, String status, Integer limit, String pageToken) {
        return get(webhook(id) + "/deliveries" + new Query().add("status", status).add("limit", limit)
                .add("page_token", pageToken), DeliveryList.class);
    }

    public Delivery delivery(long id, String deliveryId) {
        return get(webhook(id) + "/deliveries/" + segment(deliveryId), Delivery.class);
    }

    /** Sends a delivery's event again as a new delivery (a new id), pending now; answers the new delivery. */
    public Delivery replay(long id, String deliveryId) {
        return transport.json("POST", webhook(id) + "/deliveries/" + segment(deliveryId) + "/replay", null,
                Delivery.class);
    }

    // --- plumbing -----------------------------------------------------------------------------------------------

    /** Body of {@code GET .../files}. */
    private record FileList(List<FileInfo> files) {
        FileList {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    private <T> T get(String pathAndQuery, Class<T> type) {
        return transport.json("GET", pathAndQuery, null, type);
    }

    private VersionList lineage(String by, String value, Integer limit, String pageToken) {
        return get(API + "/lineage" + new Query().add(by, value).add("limit", limit).add("page_token", pageToken),
                VersionList.class);
    }

    private static String model(String name) {
        return API + "/models/" + segment(name);
    }

    private static String version(String name, int version) {
        return model(name) + "/versions/" + version;
    }

    private static String request(long id) {
        return API + "/requests/" + id;
    }

    private static String webhook(long id) {
        return API + "/webhooks/" + id;
    }

    private static String filePath(String name, int version, String artifactPath) {
        return version(name, version) + "/files/" + path(artifactPath);
    }

    private static String resolvePath(String reference, Long waitSeconds) {
        return API + "/resolve" + new Query().add("ref", reference).add("wait", waitSeconds);
    }

    /** Large transfers get time in proportion to their size (at a pessimistic 1 MB/s) on top of the base timeout. */
    private Duration transferTimeout(long bytes) {
        return requestTimeout.plusSeconds(Math.max(0, bytes) / 1_000_000);
    }

    /** Configures a {@link CairnClient}; only the base URL is required. */
    public static final class Builder {
        private String baseUrl;
        private String user;
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** The server, e.g. {@code http://127.0.0.1:8080}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * The acting user recorded on every change, sent as {@code X-Cairn-User}; a server with authentication
         * records the token's user instead.
         */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /**
         * An API token, sent as {@code Authorization: Bearer TOKEN} on every request; needed when the server runs
         * with authentication. It never appears in messages.
         */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token.strip();
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        /** How long one request may take; transfers and long polls get extra time on top. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout);
            return this;
        }

        public CairnClient build() {
            String problem = baseUrl == null ? "no server URL given" : null;
            if (problem == null) {
                try {
                    URI uri = URI.create(baseUrl);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        problem = "server URL '" + baseUrl + "' must look like http://HOST:PORT";
                    }
                } catch (IllegalArgumentException e) {
                    problem = "server URL '" + baseUrl + "' is not a URL: " + e.getMessage();
                }
            }
            if (problem == null && token != null && !token.chars().allMatch(c -> c > ' ' && c < 127)) {
                // The token itself is left out: it is a secret, even when mistyped.
                problem = "the token contains characters a token never has (spaces, control or non-ASCII characters)";
            }
            if (problem != null) {
                throw new InvalidArgumentException(0, problem, Map.of());
            }
            return new CairnClient(this);
        }
    }
}
