package dev.cairn.core.store;

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
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionKey;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryAttempt;
import dev.cairn.core.webhook.DeliveryStatus;
import dev.cairn.core.webhook.Webhook;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The port for registry metadata. All access goes through a transaction: {@link #read} for consistent reads,
 * {@link #write} for changes, which commit together with the events they append or not at all.
 *
 * <p>Errors: every method throws {@link dev.cairn.core.RegistryException} only — {@code ALREADY_EXISTS} for a
 * unique-key violation, {@code UNAVAILABLE} when the database cannot be reached or stays busy, {@code INTERNAL}
 * otherwise. A missing row is an empty {@link Optional}, never an exception. Nothing reads deleted models.
 */
public interface MetadataStore extends AutoCloseable {

    /** Runs {@code work} in a read-only transaction and returns its result. */
    <T> T read(Function<Tx, T> work);

    /**
     * Runs {@code work} in a write transaction that is serialised with every other writer of the same model (and,
     * on SQLite, with every writer), commits when it returns and rolls back when it throws. A store may run
     * {@code work} more than once (PostgreSQL retries a transaction it chose as a deadlock victim), so {@code work}
     * must change nothing but the database, and must not catch a store exception and carry on.
     */
    <T> T write(Function<Tx, T> work);

    /**
     * The id and change counter of the live model called {@code name}, read in one statement outside any
     * transaction: the cheap check that lets a resolve be answered from memory while the model has not changed.
     */
    Optional<ModelStamp> modelStamp(String name);

    /** A model's surrogate id and its generation, which grows with every change to the model or its versions. */
    record ModelStamp(long id, long generation) {}

    @Override
    void close();

    /** What the registry can do inside one transaction. Lists return at most {@code limit} rows. */
    interface Tx extends TrackingTx {
        // --- models -----------------------------------------------------------------------------------------
        /** Inserts a model with {@code lastVersion} 0 and generation 0. ALREADY_EXISTS when the name is taken. */
        RegisteredModel insertModel(String name, String description, Map<String, String> tags, String owner, Instant now);

        Optional<RegisteredModel> findModel(String name);

        /** Finds the model and locks its row until the transaction ends (PostgreSQL: FOR UPDATE). */
        Optional<RegisteredModel> lockModel(String name);

        /** Models ordered by name, after {@code afterName} when given; name filter is a case-insensitive substring. */
        List<RegisteredModel> listModels(String nameContains, String afterName, int limit);

        void updateModelDescription(long modelId, String description);

        void setModelTag(long modelId, String key, String value);

        /** Returns whether the tag existed. */
        boolean deleteModelTag(long modelId, String key);

        /** Hides the model; its name becomes free, its versions and events stay. */
        void markModelDeleted(long modelId, Instant now);

        /** Sets updated_at and increments the model's generation; every write concerning the model calls it. */
        void touchModel(long modelId, Instant now);

        /** Gives the model a new name. ALREADY_EXISTS when a live model has it. */
        void renameModel(long modelId, String newName);

        /**
         * Live models matching the query's model-name and tag conditions, in its order (then by name), skipping
         * {@code offset} rows.
         */
        List<RegisteredModel> searchModels(RegistryQuery query, int offset, int limit);

        /** Increments the model's version counter and returns the new number. */
        int allocateVersion(long modelId);

        // --- versions ---------------------------------------------------------------------------------------
        /** Inserts a version with its metadata and lineage (no files yet). */
        void insertVersion(ModelVersion version);

        /** The version with its files, metrics, params, lineage, stage and aliases filled in. */
        Optional<ModelVersion> findVersion(long modelId, int version);

        /**
         * Versions of a model, newest first, below {@code beforeVersion} when given, optionally of one status and one
         * stage. DELETED versions are left out unless {@code status} asks for them.
         */
        List<ModelVersion> listVersions(long modelId, VersionStatus status, Stage stage, Integer beforeVersion, int limit);

        /**
         * Versions that are not DELETED, of live models, matching every condition of the query, in its order (then by
         * model name ascending and version descending), skipping {@code offset} rows. Filters and order run in SQL.
         */
        List<ModelVersion> searchVersions(RegistryQuery query, int offset, int limit);

        /** For each stage holding a version that is not DELETED, the highest such version; by version number. */
        List<ModelVersion> latestPerStage(long modelId);

        /** Records where MLflow clients download a version's files from. */
        void setStorageLocation(long modelId, int version, String location);

        /** The highest version number with this status. */
        Optional<Integer> highestVersion(long modelId, VersionStatus status);

        /** Version numbers currently in a stage, highest first. */
        List<Integer> versionsInStage(long modelId, Stage stage);

        void updateVersionStatus(long modelId, int version, VersionStatus status, String digest, Instant now);

        void updateVersionDescription(long modelId, int version, String description, Instant now);

        void setVersionTag(long modelId, int version, String key, String value);

        boolean deleteVersionTag(long modelId, int version, String key);

        void setStage(long modelId, int version, Stage stage, Instant now);

        // --- files --------------------------------------------------------------------------------------------
        /** Adds a file to a draft, replacing an earlier file at the same path. */
        void putFile(long modelId, int version, FileEntry file);

        Optional<FileEntry> findFile(long modelId, int version, String path);

        // --- aliases and pointer history ------------------------------------------------------------------------
        Map<String, Integer> aliases(long modelId);

        void setAlias(long modelId, String alias, int version);

        boolean deleteAlias(long modelId, String alias);

        void appendPointerChange(long modelId, PointerChange change);

        /** Every move of one pointer of a model, oldest first, with the time of each. */
        List<PointerChange> pointerHistory(long modelId, Pointer pointer);

        /** Every move of every pointer of a model made before {@code until}, oldest first, with the time of each. */
        List<PointerChange> pointerChangesBefore(long modelId, Instant until);

        // --- events -----------------------------------------------------------------------------------------
        /**
         * Appends an event and returns its sequence number. The event is linked into the audit chain: it stores the
         * hash of the event before it and its own {@link AuditChain#hash}, and sequence order is chain order.
         */
        long appendEvent(Event event);

        /** Events matching the filter, oldest first, after {@code afterSeq} when given. */
        List<Event> events(EventFilter filter, Long afterSeq, int limit);

        /** The sequence number of the newest event, 0 when there is none: one probe of the primary key. */
        long lastEventSeq();

        /** Stored events with their chain links exactly as stored, by sequence, after {@code afterSeq} when given. */
        List<AuditChain.Link> chain(Long afterSeq, int limit);

        // --- webhooks -----------------------------------------------------------------------------------------
        /** Stores a webhook of the model {@code modelId} (every model when null); its id is ignored. Returns the id. */
        long insertWebhook(Long modelId, Webhook webhook);

        /** The webhook, secret included, with its model's current name. */
        Optional<Webhook> findWebhook(long id);

        /** Every webhook, by id. */
        List<Webhook> listWebhooks();

        /** Replaces the webhook's stored secret (to seal one stored in plain text). */
        void setWebhookSecret(long id, String secret);

        /** Moves where the webhook starts: it receives the events after {@code afterSeq}. */
        void setWebhookStart(long id, long afterSeq);

        /** Deletes the webhook with its deliveries and their attempts; false when there was none. */
        boolean deleteWebhook(long id);

        /**
         * The newest event's sequence number (0 when there is none), holding the event order until the transaction
         * ends: no event commits before this transaction does, so a webhook starting after this number misses none.
         */
        long holdEventOrder();

        /**
         * The sequence number of the last event fanned out into deliveries, locked until the transaction ends so two
         * dispatchers never fan out the same events.
         */
        long lockWebhookCursor();

        void setWebhookCursor(long seq);

        /** Stores a delivery (its attempt log is ignored). ALREADY_EXISTS when its id is taken. */
        void insertDelivery(Delivery delivery);

        /** A delivery of one webhook, with its attempt log. */
        Optional<Delivery> findDelivery(long webhookId, String id);

        /**
         * Deliveries of a webhook with their attempt logs, newest first, older than the delivery {@code beforeId}
         * when given, of one status when given.
         */
        List<Delivery> listDeliveries(long webhookId, DeliveryStatus status, String beforeId, int limit);

        /**
         * For each webhook (or only {@code webhookId} when given), its oldest PENDING delivery when that one is due at
         * {@code now} and not leased: a webhook's deliveries go out one at a time, in order. Without attempt logs; the
         * longest-waiting first.
         */
        List<Delivery> dueDeliveries(Long webhookId, Instant now, int limit);

        /**
         * Leases a PENDING delivery until {@code until} unless an unexpired lease is held on it; whether this caller
         * got it.
         */
        boolean leaseDelivery(String id, Instant now, Instant until);

        /** Appends an attempt, counts it, sets the delivery's status and next attempt time, and ends its lease. */
        void recordAttempt(String id, DeliveryAttempt attempt, DeliveryStatus status, Instant nextAttemptAt);

        // --- users, tokens and grants -------------------------------------------------------------------------
        /** ALREADY_EXISTS when the name is taken. */
        User insertUser(String name, Role role, String createdBy, Instant now);

        Optional<User> findUser(String name);

        /** Users by name, after {@code afterName} when given. */
        List<User> listUsers(String afterName, int limit);

        void setUserRole(long userId, Role role);

        /** Stores a token of an existing user ({@code token.user} names it). ALREADY_EXISTS when id or hash is taken. */
        void insertToken(ApiToken token);

        /** The token with this secret's hash, revoked and expired ones included. */
        Optional<ApiToken> findTokenByHash(String hash);

        Optional<ApiToken> findToken(String id);

        /** Tokens of one user (or of everyone when {@code user} is null), by id, after {@code afterId} when given. */
        List<ApiToken> listTokens(String user, String afterId, int limit);

        /** Marks the token revoked; returns false when it was revoked already. */
        boolean revokeToken(String id, Instant now);

        /** Gives a user a role on one model, replacing an earlier grant there. */
        void setGrant(long modelId, long userId, Role role);

        boolean deleteGrant(long modelId, long userId);

        /** The user's role on the model when a grant gives one. */
        Optional<Role> grantedRole(long modelId, String user);

        /** Grants on one model, by user name. */
        List<Grant> grants(long modelId);

        // --- policies -----------------------------------------------------------------------------------------
        /** The model's own policy, or the registry's default when {@code modelId} is null. */
        Optional<Policy> policy(Long modelId);

        /** Sets the model's own policy, or the default when {@code modelId} is null. */
        void setPolicy(Long modelId, Policy policy);

        /** Drops the model's own policy (the default applies again), or the default one when null. */
        boolean deletePolicy(Long modelId);

        // --- transition requests ------------------------------------------------------------------------------
        /** Stores a PENDING request (its id and approvals are ignored) and returns its id. */
        long insertRequest(long modelId, TransitionRequest request);

        Optional<TransitionRequest> findRequest(long id);

        /**
         * Requests newest first, below {@code beforeId} when given, of one model (by name, live models only) and one
         * status when given.
         */
        List<TransitionRequest> listRequests(String model, RequestStatus status, Long beforeId, int limit);

        void addApproval(long requestId, TransitionRequest.Approval approval);

        /** Ends a PENDING request: sets its status, who decided, when and why. */
        void decideRequest(long requestId, RequestStatus status, String decidedBy, Instant at, String comment);

        // --- deployments ----------------------------------------------------------------------------------------
        /** Records an instance's heartbeat, replacing what the same instance reported for the model before. */
        void putDeployment(long modelId, Deployment deployment);

        /** What every instance reported for the model, by version (highest first), then by instance id. */
        List<Deployment> deployments(long modelId);

        /** Forgets the instances of every model last seen before {@code seenBefore}; returns how many. */
        int pruneDeployments(Instant seenBefore);

        // --- reverse lineage ----------------------------------------------------------------------------------
        // These leave out DELETED versions and deleted models; drafts and failed registrations are included, since
        // their lineage is recorded from the start.
        /** Versions whose lineage names a dataset with this URI, this name or this digest, by (model, version). */
        List<VersionKey> versionsUsingDataset(String uriNameOrDigest, VersionKey after, int limit);

        /** Versions whose code commit starts with {@code commitPrefix}. */
        List<VersionKey> versionsFromCommit(String commitPrefix, VersionKey after, int limit);

        /** Versions that name {@code parent} among their parents. */
        List<VersionKey> versionsDerivedFrom(VersionKey parent, VersionKey after, int limit);

        /** Every version of every live model that has files to verify (READY), by (model, version). */
        List<VersionKey> readyVersions(VersionKey after, int limit);
    }
}
