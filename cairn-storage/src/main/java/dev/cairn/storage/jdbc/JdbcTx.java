package dev.cairn.storage.jdbc;

import dev.cairn.core.deploy.Deployment;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.Grant;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.governance.User;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionKey;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryAttempt;
import dev.cairn.core.webhook.DeliveryStatus;
import dev.cairn.core.webhook.Webhook;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One transaction's view of the registry tables. Versions are read and written by {@link VersionTable}, events by
 * {@link EventLog}, users, tokens and grants by {@link UserTable}, policies by {@link PolicyTable} and transition
 * requests by {@link RequestTable}.
 */
final class JdbcTx extends JdbcTrackingTx implements MetadataStore.Tx {
    private static final String MODEL_COLUMNS =
            "id, name, description, owner, created_at, updated_at, last_version, generation";

    private final VersionTable versions;
    private final EventLog events;
    private final UserTable users;
    private final PolicyTable policies;
    private final RequestTable requests;
    private final WebhookTable webhooks;
    private final DeploymentTable deployments;

    JdbcTx(Sql sql, Dialect dialect, JsonText json) {
        super(sql, dialect, json);
        this.versions = new VersionTable(sql, dialect, json);
        this.events = new EventLog(sql, dialect, json);
        this.users = new UserTable(sql);
        this.policies = new PolicyTable(sql, json);
        this.requests = new RequestTable(sql);
        this.webhooks = new WebhookTable(sql, dialect);
        this.deployments = new DeploymentTable(sql);
    }

    // --- models -------------------------------------------------------------------------------------------------

    @Override
    public RegisteredModel insertModel(String name, String description, Map<String, String> tags, String owner,
                                       Instant now) {
        dialect.lockModelName(sql, name);
        sql.insertUnique("model '" + name + "' already exists",
                "INSERT INTO models (name, description, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                name, description == null ? "" : description, owner, now, now);
        long id = sql.scalar("SELECT id FROM models WHERE name = ? AND deleted_at IS NULL", name);
        if (tags != null) {
            tags.forEach((key, value) -> setModelTag(id, key, value));
        }
        return findModel(name).orElseThrow();
    }

    @Override
    public Optional<RegisteredModel> findModel(String name) {
        return model(name, "");
    }

    @Override
    public Optional<RegisteredModel> lockModel(String name) {
        dialect.lockModelName(sql, name);
        return model(name, dialect.lockClause());
    }

    private Optional<RegisteredModel> model(String name, String lock) {
        Optional<RegisteredModel> row = sql.one("SELECT " + MODEL_COLUMNS
                + " FROM models WHERE name = ? AND deleted_at IS NULL" + lock, rs -> modelRow(rs, Map.of()), name);
        return row.map(m -> withTags(m, modelTags(List.of(m.id())).getOrDefault(m.id(), Map.of())));
    }

    @Override
    public List<RegisteredModel> listModels(String nameContains, String afterName, int limit) {
        StringBuilder query = new StringBuilder("SELECT " + MODEL_COLUMNS + " FROM models WHERE deleted_at IS NULL");
        List<Object> args = new ArrayList<>();
        if (afterName != null) {
            query.append(" AND name > ?");
            args.add(afterName);
        }
        if (nameContains != null && !nameContains.isEmpty()) {
            query.append(" AND lower(name) LIKE ? ESCAPE '\\'");
            args.add("%" + escapeLike(nameContains.toLowerCase(Locale.ROOT)) + "%");
        }
        query.append(" ORDER BY name LIMIT ?");
        args.add(limit);
        List<RegisteredModel> rows = sql.list(query.toString(), rs -> modelRow(rs, Map.of()), args.toArray());
        Map<Long, Map<String, String>> tags = modelTags(rows.stream().map(RegisteredModel::id).toList());
        return rows.stream().map(m -> withTags(m, tags.getOrDefault(m.id(), Map.of()))).toList();
    }

    @Override
    public void updateModelDescription(long modelId, String description) {
        sql.update("UPDATE models SET description = ? WHERE id = ?", description, modelId);
    }

    @Override
    public void setModelTag(long modelId, String key, String value) {
        sql.update("INSERT INTO model_tags (model_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value", modelId, key, value);
    }

    @Override
    public boolean deleteModelTag(long modelId, String key) {
        return sql.update("DELETE FROM model_tags WHERE model_id = ? AND key = ?", modelId, key) > 0;
    }

    @Override
    public void markModelDeleted(long modelId, Instant now) {
        sql.update("UPDATE models SET deleted_at = ?, updated_at = ?, generation = generation + 1"
                + " WHERE id = ? AND deleted_at IS NULL", now, now, modelId);
    }

    @Override
    public void touchModel(long modelId, Instant now) {
        sql.update("UPDATE models SET updated_at = ?, generation = generation + 1 WHERE id = ?", now, modelId);
    }

    @Override
    public void renameModel(long modelId, String newName) {
        dialect.lockModelName(sql, newName);
        sql.insertUnique("model '" + newName + "' already exists", "UPDATE models SET name = ? WHERE id = ?",
                newName, modelId);
    }

    @Override
    public List<RegisteredModel> searchModels(RegistryQuery query, int offset, int limit) {
        RegistrySearch.Statement statement = RegistrySearch.models(dialect, MODEL_COLUMNS, query, offset, limit);
        List<RegisteredModel> rows = sql.list(statement.sql(), rs -> modelRow(rs, Map.of()), statement.args().toArray());
        Map<Long, Map<String, String>> tags = modelTags(rows.stream().map(RegisteredModel::id).toList());
        return rows.stream().map(m -> withTags(m, tags.getOrDefault(m.id(), Map.of()))).toList();
    }

    @Override
    public int allocateVersion(long modelId) {
        return (int) sql.scalar("UPDATE models SET last_version = last_version + 1 WHERE id = ? RETURNING last_version",
                modelId);
    }

    private Map<Long, Map<String, String>> modelTags(List<Long> modelIds) {
        if (modelIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, Map<String, String>> tags = new HashMap<>();
        sql.each("SELECT model_id, key, value FROM model_tags WHERE model_id IN (" + placeholders(modelIds.size()) + ")",
                rs -> tags.computeIfAbsent(rs.getLong("model_id"), id -> new TreeMap<>())
                        .put(rs.getString("key"), rs.getString("value")),
                modelIds.toArray());
        return tags;
    }

    private static RegisteredModel modelRow(ResultSet rs, Map<String, String> tags) throws SQLException {
        return new RegisteredModel(rs.getLong("id"), rs.getString("name"), rs.getString("description"), tags,
                rs.getString("owner"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                rs.getInt("last_version"), rs.getLong("generation"));
    }

    private static RegisteredModel withTags(RegisteredModel m, Map<String, String> tags) {
        return new RegisteredModel(m.id(), m.name(), m.description(), tags, m.owner(), m.createdAt(), m.updatedAt(),
                m.lastVersion(), m.generation());
    }

    // --- versions -----------------------------------------------------------------------------------------------

    @Override
    public void insertVersion(ModelVersion version) {
        versions.insert(version);
    }

    @Override
    public Optional<ModelVersion> findVersion(long modelId, int version) {
        return versions.find(modelId, version);
    }

    @Override
    public List<ModelVersion> listVersions(long modelId, VersionStatus status, Stage stage, Integer beforeVersion,
                                           int limit) {
        return versions.list(modelId, status, stage, beforeVersion, limit);
    }

    @Override
    public List<ModelVersion> searchVersions(RegistryQuery query, int offset, int limit) {
        RegistrySearch.Statement statement = RegistrySearch.versions(dialect, query, offset, limit);
        List<VersionTable.Key> keys = sql.list(statement.sql(),
                rs -> new VersionTable.Key(rs.getLong(1), rs.getInt(2)), statement.args().toArray());
        return versions.load(keys);
    }

    @Override
    public List<ModelVersion> latestPerStage(long modelId) {
        return versions.latestPerStage(modelId);
    }

    @Override
    public void setStorageLocation(long modelId, int version, String location) {
        sql.update("UPDATE versions SET storage_location = ? WHERE model_id = ? AND version = ?", location, modelId, version);
    }

    @Override
    public Optional<Integer> highestVersion(long modelId, VersionStatus status) {
        return sql.one("SELECT version FROM versions WHERE model_id = ? AND status = ? ORDER BY version DESC LIMIT 1",
                rs -> rs.getInt(1), modelId, status);
    }

    @Override
    public List<Integer> versionsInStage(long modelId, Stage stage) {
        return sql.list("SELECT version FROM versions WHERE model_id = ? AND stage = ? ORDER BY version DESC",
                rs -> rs.getInt(1), modelId, stage);
    }

    @Override
    public void updateVersionStatus(long modelId, int version, VersionStatus status, String digest, Instant now) {
        sql.update("UPDATE versions SET status = ?, digest = ?, updated_at = ? WHERE model_id = ? AND version = ?",
                status, digest, now, modelId, version);
    }

    @Override
    public void updateVersionDescription(long modelId, int version, String description, Instant now) {
        sql.update("UPDATE versions SET description = ?, updated_at = ? WHERE model_id = ? AND version = ?",
                description, now, modelId, version);
    }

    @Override
    public void setVersionTag(long modelId, int version, String key, String value) {
        sql.update("INSERT INTO version_tags (model_id, version, key, value) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (model_id, version, key) DO UPDATE SET value = excluded.value", modelId, version, key, value);
    }

    @Override
    public boolean deleteVersionTag(long modelId, int version, String key) {
        return sql.update("DELETE FROM version_tags WHERE model_id = ? AND version = ? AND key = ?",
                modelId, version, key) > 0;
    }

    @Override
    public void setStage(long modelId, int version, Stage stage, Instant now) {
        sql.update("UPDATE versions SET stage = ?, updated_at = ? WHERE model_id = ? AND version = ?",
                stage, now, modelId, version);
    }

    // --- files --------------------------------------------------------------------------------------------------

    @Override
    public void putFile(long modelId, int version, FileEntry file) {
        sql.update("INSERT INTO version_files (model_id, version, path, size, sha256) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (model_id, version, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256",
                modelId, version, file.path(), file.size(), file.sha256());
    }

    @Override
    public Optional<FileEntry> findFile(long modelId, int version, String path) {
        return sql.one("SELECT path, size, sha256 FROM version_files WHERE model_id = ? AND version = ? AND path = ?",
                rs -> new FileEntry(rs.getString("path"), rs.getLong("size"), rs.getString("sha256")),
                modelId, version, path);
    }

    // --- aliases and pointer history ----------------------------------------------------------------------------

    @Override
    public Map<String, Integer> aliases(long modelId) {
        Map<String, Integer> aliases = new TreeMap<>();
        sql.each("SELECT alias, version FROM aliases WHERE model_id = ?",
                rs -> aliases.put(rs.getString("alias"), rs.getInt("version")), modelId);
        return Collections.unmodifiableMap(aliases);
    }

    @Override
    public void setAlias(long modelId, String alias, int version) {
        sql.update("INSERT INTO aliases (model_id, alias, version) VALUES (?, ?, ?)"
                + " ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version", modelId, alias, version);
    }

    @Override
    public boolean deleteAlias(long modelId, String alias) {
        return sql.update("DELETE FROM aliases WHERE model_id = ? AND alias = ?", modelId, alias) > 0;
    }

    @Override
    public void appendPointerChange(long modelId, PointerChange change) {
        sql.update("INSERT INTO pointer_changes (model_id, pointer, version, rollback, event_seq) VALUES (?, ?, ?, ?, ?)",
                modelId, change.pointer().key(), change.version(), change.rollback(), change.eventSeq());
    }

    @Override
    public List<PointerChange> pointerHistory(long modelId, Pointer pointer) {
        return sql.list("SELECT p.event_seq, p.pointer, p.version, p.rollback, e.time FROM pointer_changes p"
                + " LEFT JOIN events e ON e.seq = p.event_seq WHERE p.model_id = ? AND p.pointer = ? ORDER BY p.id",
                JdbcTx::pointerChange, modelId, pointer.key());
    }

    @Override
    public List<PointerChange> pointerChangesBefore(long modelId, Instant until) {
        return sql.list("SELECT p.event_seq, p.pointer, p.version, p.rollback, e.time FROM pointer_changes p"
                + " JOIN events e ON e.seq = p.event_seq WHERE p.model_id = ? AND e.time < ? ORDER BY p.id",
                JdbcTx::pointerChange, modelId, Sql.millisFrom(until));
    }

    private static PointerChange pointerChange(ResultSet rs) throws SQLException {
        return new PointerChange(rs.getLong("event_seq"), Pointer.fromKey(rs.getString("pointer")),
                Sql.integer(rs, "version"), rs.getInt("rollback") != 0, Sql.instant(rs, "time"));
    }

    // --- events -------------------------------------------------------------------------------------------------

    @Override
    public long appendEvent(Event event) {
        return events.append(event);
    }

    @Override
    public List<Event> events(EventFilter filter, Long afterSeq, int limit) {
        return events.list(filter, afterSeq, limit);
    }

    @Override
    public long lastEventSeq() {
        return events.lastSeq();
    }

    @Override
    public List<AuditChain.Link> chain(Long afterSeq, int limit) {
        return events.chain(afterSeq, limit);
    }

    /** Whether some events were written before the audit chain existed (they have no hash). */
    boolean hasUnhashedEvents() {
        return events.hasUnhashed();
    }

    /** Links events written before the audit chain existed into it; the store calls this when it opens. */
    long chainUnhashedEvents() {
        return events.chainUnhashed();
    }

    // --- users, tokens and grants -------------------------------------------------------------------------------

    @Override
    public User insertUser(String name, Role role, String createdBy, Instant now) {
        return users.insert(name, role, createdBy, now);
    }

    @Override
    public Optional<User> findUser(String name) {
        return users.find(name);
    }

    @Override
    public List<User> listUsers(String afterName, int limit) {
        return users.list(afterName, limit);
    }

    @Override
    public void setUserRole(long userId, Role role) {
        users.setRole(userId, role);
    }

    @Override
    public void insertToken(ApiToken token) {
        users.insertToken(token);
    }

    @Override
    public Optional<ApiToken> findTokenByHash(String hash) {
        return users.findTokenByHash(hash);
    }

    @Override
    public Optional<ApiToken> findToken(String id) {
        return users.findToken(id);
    }

    @Override
    public List<ApiToken> listTokens(String user, String afterId, int limit) {
        return users.listTokens(user, afterId, limit);
    }

    @Override
    public boolean revokeToken(String id, Instant now) {
        return users.revokeToken(id, now);
    }

    @Override
    public void setGrant(long modelId, long userId, Role role) {
        users.setGrant(modelId, userId, role);
    }

    @Override
    public boolean deleteGrant(long modelId, long userId) {
        return users.deleteGrant(modelId, userId);
    }

    @Override
    public Optional<Role> grantedRole(long modelId, String user) {
        return users.grantedRole(modelId, user);
    }

    @Override
    public List<Grant> grants(long modelId) {
        return users.grants(modelId);
    }

    // --- policies -----------------------------------------------------------------------------------------------

    @Override
    public Optional<Policy> policy(Long modelId) {
        return policies.find(modelId);
    }

    @Override
    public void setPolicy(Long modelId, Policy policy) {
        policies.set(modelId, policy);
    }

    @Override
    public boolean deletePolicy(Long modelId) {
        return policies.delete(modelId);
    }

    // --- transition requests ------------------------------------------------------------------------------------

    @Override
    public long insertRequest(long modelId, TransitionRequest request) {
        return requests.insert(modelId, request);
    }

    @Override
    public Optional<TransitionRequest> findRequest(long id) {
        return requests.find(id);
    }

    @Override
    public List<TransitionRequest> listRequests(String model, RequestStatus status, Long beforeId, int limit) {
        return requests.list(model, status, beforeId, limit);
    }

    @Override
    public void addApproval(long requestId, TransitionRequest.Approval approval) {
        requests.addApproval(requestId, approval);
    }

    @Override
    public void decideRequest(long requestId, RequestStatus status, String decidedBy, Instant at, String comment) {
        requests.decide(requestId, status, decidedBy, at, comment);
    }

    // --- webhooks -----------------------------------------------------------------------------------------------

    @Override
    public long insertWebhook(Long modelId, Webhook webhook) {
        return webhooks.insert(modelId, webhook);
    }

    @Override
    public void setWebhookSecret(long id, String secret) {
        webhooks.setSecret(id, secret);
    }

    @Override
    public void setWebhookStart(long id, long afterSeq) {
        webhooks.setStart(id, afterSeq);
    }

    @Override
    public Optional<Webhook> findWebhook(long id) {
        return webhooks.find(id);
    }

    @Override
    public List<Webhook> listWebhooks() {
        return webhooks.list();
    }

    @Override
    public boolean deleteWebhook(long id) {
        return webhooks.delete(id);
    }

    @Override
    public long holdEventOrder() {
        return webhooks.holdEventOrder();
    }

    @Override
    public long lockWebhookCursor() {
        return webhooks.lockCursor();
    }

    @Override
    public void setWebhookCursor(long seq) {
        webhooks.setCursor(seq);
    }

    @Override
    public void insertDelivery(Delivery delivery) {
        webhooks.insertDelivery(delivery);
    }

    @Override
    public Optional<Delivery> findDelivery(long webhookId, String id) {
        return webhooks.findDelivery(webhookId, id);
    }

    @Override
    public List<Delivery> listDeliveries(long webhookId, DeliveryStatus status, String beforeId, int limit) {
        return webhooks.listDeliveries(webhookId, status, beforeId, limit);
    }

    @Override
    public List<Delivery> dueDeliveries(Long webhookId, Instant now, int limit) {
        return webhooks.due(webhookId, now, limit);
    }

    @Override
    public boolean leaseDelivery(String id, Instant now, Instant until) {
        return webhooks.lease(id, now, until);
    }

    @Override
    public void recordAttempt(String id, DeliveryAttempt attempt, DeliveryStatus status, Instant nextAttemptAt) {
        webhooks.recordAttempt(id, attempt, status, nextAttemptAt);
    }

    // --- deployments --------------------------------------------------------------------------------------------

    @Override
    public void putDeployment(long modelId, Deployment deployment) {
        deployments.put(modelId, deployment);
    }

    @Override
    public List<Deployment> deployments(long modelId) {
        return deployments.list(modelId);
    }

    @Override
    public int pruneDeployments(Instant seenBefore) {
        return deployments.prune(seenBefore);
    }

    // --- reverse lineage ----------------------------------------------------------------------------------------

    @Override
    public List<VersionKey> versionsUsingDataset(String uriNameOrDigest, VersionKey after, int limit) {
        return lineage("version_datasets", "(x.uri = ? OR x.name = ? OR x.digest = ?)", after, limit,
                uriNameOrDigest, uriNameOrDigest, datasetDigest(uriNameOrDigest));
    }

    @Override
    public List<VersionKey> versionsFromCommit(String commitPrefix, VersionKey after, int limit) {
        String prefix = commitPrefix.toLowerCase(Locale.ROOT);
        // A range rather than LIKE: an index range scan on every database, and no wildcard escaping.
        String upper = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        return lineage("version_code", "x.commit_key >= ? AND x.commit_key < ?", after, limit, prefix, upper);
    }

    @Override
    public List<VersionKey> versionsDerivedFrom(VersionKey parent, VersionKey after, int limit) {
        return lineage("version_parents", "x.parent_model = ? AND x.parent_version = ?", after, limit,
                parent.model(), parent.version());
    }

    @Override
    public List<VersionKey> readyVersions(VersionKey after, int limit) {
        List<Object> args = new ArrayList<>(List.of(VersionStatus.READY));
        String query = "SELECT m.name, v.version FROM versions v JOIN models m ON m.id = v.model_id"
                + " WHERE m.deleted_at IS NULL AND v.status = ?" + afterKey(after, "v.version", args)
                + " ORDER BY m.name, v.version LIMIT ?";
        args.add(limit);
        return sql.list(query, JdbcTx::versionKey, args.toArray());
    }

    /**
     * Live versions (not DELETED, of live models) with a row in {@code table} matching {@code condition}, by
     * (model name, version) after {@code after}. CROSS JOIN makes SQLite start from the lineage table's index and sort
     * the few matches, instead of walking every model in name order; PostgreSQL plans it as an ordinary join.
     */
    private List<VersionKey> lineage(String table, String condition, VersionKey after, int limit, Object... match) {
        List<Object> args = new ArrayList<>(List.of(match));
        args.add(VersionStatus.DELETED);
        String query = "SELECT DISTINCT m.name, x.version FROM " + table + " x CROSS JOIN models m CROSS JOIN versions v"
                + " WHERE " + condition + " AND m.id = x.model_id AND v.model_id = x.model_id AND v.version = x.version"
                + " AND m.deleted_at IS NULL AND v.status <> ?"
                + afterKey(after, "x.version", args)
                + " ORDER BY m.name, x.version LIMIT ?";
        args.add(limit);
        return sql.list(query, JdbcTx::versionKey, args.toArray());
    }

    private static String afterKey(VersionKey after, String versionColumn, List<Object> args) {
        if (after == null) {
            return "";
        }
        args.addAll(List.of(after.model(), after.model(), after.version()));
        return " AND (m.name > ? OR (m.name = ? AND " + versionColumn + " > ?))";
    }

    private static VersionKey versionKey(ResultSet rs) throws SQLException {
        return new VersionKey(rs.getString(1), rs.getInt(2));
    }

    /** sha256 dataset digests are stored as {@code sha256:HEX}, so a bare hex one finds them too; others as given. */
    private static String datasetDigest(String needle) {
        String lower = needle.toLowerCase(Locale.ROOT);
        return lower.matches("[0-9a-f]{64}") ? "sha256:" + lower : lower.matches("sha256:[0-9a-f]{64}") ? lower : needle;
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
