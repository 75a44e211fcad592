package dev.cairn.core;

import dev.cairn.core.governance.Action;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.Durations;
import dev.cairn.core.governance.Grant;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.governance.User;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.Validate;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Who may do what, and the checkpoints around Production: users and API tokens, per-model grants, promotion policies,
 * transition requests with approvals, and the audit log's hash chain. Authorisation of registry operations themselves
 * lives in {@link RegistryService}, where every API's changes pass.
 */
public final class GovernanceService {
    /** The name recorded for callers using the {@code CAIRN_ADMIN_TOKEN} token; no stored user may take it. */
    public static final String BOOTSTRAP_ADMIN = "bootstrap-admin";
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);
    /** How long a replica trusts a token it checked before it reads the store again (revocations elsewhere). */
    static final Duration AUTH_CACHE_TTL = Duration.ofSeconds(5);
    private static final int AUTH_CACHE_MAX = 10_000;
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final int CHAIN_PAGE = 1_000;

    private final RegistryService registry;
    private final MetadataStore store;
    private final Clock clock;
    private final String bootstrapHash;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CachedActor> authCache = new ConcurrentHashMap<>();

    private record CachedActor(Actor actor, String tokenId, Instant expiresAt, long checkedNanos) {}

    /** A new token: the secret is shown to its owner once and never stored. */
    public record IssuedToken(ApiToken token, String secret) {}

    public record NewUser(User user, IssuedToken token) {}

    /** The policy that governs a model and whether it is the model's own ({@code own}) or the registry default. */
    public record EffectivePolicy(String model, boolean own, Policy policy) {}

    /**
     * @param bootstrapAdminToken accepted as an admin's token when not null (the {@code CAIRN_ADMIN_TOKEN} variable)
     */
    public GovernanceService(RegistryService registry, MetadataStore store, Clock clock, String bootstrapAdminToken) {
        this.registry = registry;
        this.store = store;
        this.clock = clock;
        this.bootstrapHash = bootstrapAdminToken == null || bootstrapAdminToken.isEmpty() ? null : hash(bootstrapAdminToken);
    }

    // --- authentication -----------------------------------------------------------------------------------------

    /**
     * The user a token belongs to. UNAUTHENTICATED for a missing, unknown, expired or revoked token; the message never
     * repeats the token.
     */
    public Actor authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            throw RegistryException.unauthenticated("authentication required: send 'Authorization: Bearer <token>'");
        }
        String hash = hash(secret.strip());
        if (bootstrapHash != null && MessageDigest.isEqual(bytes(hash), bytes(bootstrapHash))) {
            return Actor.user(BOOTSTRAP_ADMIN, Role.ADMIN);
        }
        Instant now = clock.instant();
        CachedActor cached = authCache.get(hash);
        if (cached != null && System.nanoTime() - cached.checkedNanos() < AUTH_CACHE_TTL.toNanos()
                && (cached.expiresAt() == null || now.isBefore(cached.expiresAt()))) {
            return cached.actor();
        }
        authCache.remove(hash);
        return store.read(tx -> {
            ApiToken token = tx.findTokenByHash(hash).orElseThrow(() ->
                    RegistryException.unauthenticated("the token is not valid"));
            if (token.revokedAt() != null) {
                throw RegistryException.unauthenticated("token " + token.id() + " was revoked");
            }
            if (!token.activeAt(now)) {
                throw RegistryException.unauthenticated("token " + token.id() + " expired at " + token.expiresAt());
            }
            User user = tx.findUser(token.user()).orElseThrow(() ->
                    RegistryException.unauthenticated("the user of token " + token.id() + " no longer exists"));
            Actor actor = Actor.user(user.name(), user.role());
            if (authCache.size() >= AUTH_CACHE_MAX) {
                authCache.clear();
            }
            authCache.put(hash, new CachedActor(actor, token.id(), token.expiresAt(), System.nanoTime()));
            return actor;
        });
    }

    // --- users and tokens ---------------------------------------------------------------------------------------

    /** Creates a user with a first token ({@code expires}: {@code 30d}, {@code never}, or null for the default). */
    public NewUser createUser(Actor actor, String name, Role role, String expires) {
        Action.ADMINISTER.check(actor, actor.role(), "the registry");
        String valid = userName(name);
        Instant expiresAt = expiry(expires);
        return write(tx -> {
            User user = tx.insertUser(valid, role, actor.name(), now());
            append(tx, actor, null, EventKind.USER_CREATED, RegistryService.payload("user", valid, "role", role.label()));
            return new NewUser(user, issue(tx, actor, user.name(), expiresAt));
        });
    }

    public Page<User> listUsers(Integer limit, String pageToken) {
        int size = PageTokens.limit(limit);
        String after = PageTokens.decode("users", pageToken);
        return RegistryService.page(store.read(tx -> tx.listUsers(after, size + 1)), size,
                u -> PageTokens.encode("users", u.name()));
    }

    public User setUserRole(Actor actor, String name, Role role) {
        Action.ADMINISTER.check(actor, actor.role(), "the registry");
        User changed = write(tx -> {
            User user = user(tx, name);
            if (user.role() == role) {
                return user;
            }
            tx.setUserRole(user.id(), role);
            append(tx, actor, null, EventKind.USER_ROLE_SET,
                    RegistryService.payload("user", name, "from", user.role().label(), "to", role.label()));
            return tx.findUser(name).orElseThrow();
        });
        authCache.clear();
        return changed;
    }

    /** A new token for {@code user}, or for the caller when null; only admins make tokens for others. */
    public IssuedToken createToken(Actor actor, String user, String expires) {
        String owner = user == null || user.isBlank() ? actor.name() : user.strip();
        if (!owner.equals(actor.name())) {
            Action.ADMINISTER.check(actor, actor.role(), "the registry");
        } else if (owner.equals(BOOTSTRAP_ADMIN)) {
            throw RegistryException.invalid("the bootstrap admin (CAIRN_ADMIN_TOKEN) is not a stored user: name the user "
                    + "the token is for");
        }
        Instant expiresAt = expiry(expires);
        return write(tx -> {
            user(tx, owner);
            return issue(tx, actor, owner, expiresAt);
        });
    }

    /** Tokens of {@code user} (the caller's own when null and not an admin; everyone's for an admin). */
    public Page<ApiToken> listTokens(Actor actor, String user, Integer limit, String pageToken) {
        boolean admin = !actor.governed() || actor.role().includes(Role.ADMIN);
        String whose = user == null || user.isBlank() ? admin ? null : actor.name() : user.strip();
        if (whose == null || !whose.equals(actor.name())) {
            Action.ADMINISTER.check(actor, actor.role(), "the registry");
        }
        int size = PageTokens.limit(limit);
        String after = PageTokens.decode("tokens", pageToken);
        return RegistryService.page(store.read(tx -> tx.listTokens(whose, after, size + 1)), size,
                t -> PageTokens.encode("tokens", t.id()));
    }

    /** Revokes a token at once; the caller's own, or anyone's for an admin. Revoking twice changes nothing. */
    public ApiToken revokeToken(Actor actor, String id) {
        ApiToken revoked = write(tx -> {
            ApiToken token = tx.findToken(id).orElseThrow(() -> RegistryException.notFound("no token has id '" + id + "'"));
            if (!token.user().equals(actor.name())) {
                Action.ADMINISTER.check(actor, actor.role(), "the registry");
            }
            if (tx.revokeToken(id, now())) {
                append(tx, actor, null, EventKind.TOKEN_REVOKED, RegistryService.payload("user", token.user(), "token_id", id));
            }
            return tx.findToken(id).orElseThrow();
        });
        authCache.values().removeIf(c -> id.equals(c.tokenId()));
        return revoked;
    }

    private IssuedToken issue(Tx tx, Actor actor, String user, Instant expiresAt) {
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = "cairn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        ApiToken token = new ApiToken("tok_" + HexFormat.of().formatHex(idBytes), user, hash(secret), now(), expiresAt, null);
        tx.insertToken(token);
        append(tx, actor, null, EventKind.TOKEN_CREATED, RegistryService.payload("user", user, "token_id", token.id(),
                "expires_at", expiresAt == null ? "never" : expiresAt.toString()));
        return new IssuedToken(token, secret);
    }

    private Instant expiry(String expires) {
        if (expires != null && expires.strip().equalsIgnoreCase("never")) {
            return null;
        }
        Duration lifetime = expires == null || expires.isBlank() ? DEFAULT_TOKEN_LIFETIME : Durations.parse("expires", expires);
        return now().plus(lifetime);
    }

    // --- grants -------------------------------------------------------------------------------------------------

    public List<Grant> grants(String model) {
        return store.read(tx -> tx.grants(RegistryService.model(tx, model).id()));
    }

    /** Gives a user a role on one model (an admin of the registry or of that model may). */
    public Grant setGrant(Actor actor, String model, String user, Role role) {
        return registry.write(model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            RegistryService.allow(tx, actor, found, Action.ADMINISTER);
            tx.setGrant(found.id(), user(tx, user).id(), role);
            registry.record(tx, actor, found, null, EventKind.GRANT_SET, RegistryService.payload("user", user, "role", role.label()));
            return new Grant(found.name(), user, role);
        });
    }

    public void deleteGrant(Actor actor, String model, String user) {
        registry.write(model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            RegistryService.allow(tx, actor, found, Action.ADMINISTER);
            if (!tx.deleteGrant(found.id(), user(tx, user).id())) {
                throw RegistryException.notFound("user '" + user + "' has no grant on model '" + model + "'");
            }
            registry.record(tx, actor, found, null, EventKind.GRANT_DELETED, RegistryService.payload("user", user));
            return null;
        });
    }

    // --- policies -----------------------------------------------------------------------------------------------

    /** The policy that governs {@code model}, or the registry default when {@code model} is null. */
    public EffectivePolicy policy(String model) {
        return store.read(tx -> {
            if (model == null) {
                return new EffectivePolicy(null, false, tx.policy(null).orElse(Policy.NONE));
            }
            RegisteredModel found = RegistryService.model(tx, model);
            Optional<Policy> own = tx.policy(found.id());
            return new EffectivePolicy(found.name(), own.isPresent(), RegistryService.policyOf(tx, found));
        });
    }

    /** Replaces a model's own policy, or the default when {@code model} is null. */
    public EffectivePolicy setPolicy(Actor actor, String model, Policy policy) {
        if (model == null) {
            Action.ADMINISTER.check(actor, actor.role(), "the registry");
            write(tx -> {
                tx.setPolicy(null, policy);
                append(tx, actor, null, EventKind.POLICY_SET, Map.of("policy", describe(policy)));
                return null;
            });
            return new EffectivePolicy(null, false, policy);
        }
        registry.write(model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            RegistryService.allow(tx, actor, found, Action.ADMINISTER);
            tx.setPolicy(found.id(), policy);
            registry.record(tx, actor, found, null, EventKind.POLICY_SET, Map.of("policy", describe(policy)));
            return null;
        });
        return policy(model);
    }

    /** Drops a model's own policy: the default governs it again. */
    public EffectivePolicy deletePolicy(Actor actor, String model) {
        registry.write(model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            RegistryService.allow(tx, actor, found, Action.ADMINISTER);
            if (!tx.deletePolicy(found.id())) {
                throw RegistryException.notFound("model '" + model + "' has no policy of its own");
            }
            registry.record(tx, actor, found, null, EventKind.POLICY_DELETED, Map.of());
            return null;
        });
        return policy(model);
    }

    /** The policy in one line, as events record it. */
    public static String describe(Policy p) {
        StringBuilder text = new StringBuilder();
        p.minMetrics().forEach((k, v) -> text.append("; ").append(k).append(" >= ").append(v));
        p.maxMetrics().forEach((k, v) -> text.append("; ").append(k).append(" <= ").append(v));
        if (p.requireDatasetDigest()) {
            text.append("; dataset digest");
        }
        if (p.requireCommit()) {
            text.append("; commit");
        }
        if (p.requireCleanTree()) {
            text.append("; clean work tree");
        }
        if (p.requireStaging()) {
            text.append("; staging first").append(p.stagingFor() == null ? "" : " for " + Durations.format(p.stagingFor()));
        }
        if (p.requireCompatibleSignature()) {
            text.append("; compatible signature");
        }
        text.append("; approvals ").append(p.approvals()).append(p.fourEyes() ? " (four eyes)" : "");
        if (!p.protectedAliases().isEmpty()) {
            text.append("; protected aliases ").append(String.join(", ", p.protectedAliases()));
        }
        return text.substring(2);
    }

    // --- transition requests ------------------------------------------------------------------------------------

    /** Asks approvers to move a READY version to Production or a protected alias. */
    public TransitionRequest createRequest(Actor actor, String model, int version, Pointer target, String comment) {
        Pointer pointer = RegistryService.livePointer(target);
        String note = Validate.description(comment);
        long id = registry.write(model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            RegistryService.allow(tx, actor, found, Action.REQUEST);
            RegistryService.requireReady(RegistryService.version(tx, found, version), "request its promotion");
            if (!RegistryService.policyOf(tx, found).governs(pointer)) {
                throw RegistryException.invalid("alias '" + pointer.name() + "' of '" + model
                        + "' is not protected: an editor sets it directly, no request needed");
            }
            for (TransitionRequest open : tx.listRequests(found.name(), RequestStatus.PENDING, null, 1_000)) {
                if (open.version() == version && open.target().equals(pointer)) {
                    throw RegistryException.alreadyExists("request " + open.id() + " already asks to move version "
                            + version + " of '" + model + "' to " + RegistryService.targetLabel(pointer));
                }
            }
            TransitionRequest request = new TransitionRequest(0, found.name(), version, pointer, actor.name(), note,
                    RequestStatus.PENDING, now(), List.of(), null, null, null);
            long newId = tx.insertRequest(found.id(), request);
            registry.record(tx, actor, found, version, EventKind.REQUEST_CREATED, RegistryService.payload(
                    "request", Long.toString(newId), "target", RegistryService.targetLabel(pointer), "comment", note));
            return newId;
        });
        return request(id);
    }

    public TransitionRequest request(long id) {
        return store.read(tx -> tx.findRequest(id)).orElseThrow(() -> requestNotFound(id));
    }

    public Page<TransitionRequest> listRequests(String model, RequestStatus status, Integer limit, String pageToken) {
        int size = PageTokens.limit(limit);
        Long before = PageTokens.decodeLong("requests", pageToken);
        return RegistryService.page(store.read(tx -> tx.listRequests(model, status, before, size + 1)), size,
                r -> PageTokens.encode("requests", Long.toString(r.id())));
    }

    /**
     * Approves a pending request. With the approvals its model's policy asks for (at least one), the transition is
     * made in the same transaction, after every other check of the policy passes; a refusal changes nothing.
     */
    public TransitionRequest approve(Actor actor, long id, String comment) {
        String note = Validate.description(comment);
        String model = request(id).model();
        registry.gatedWrite(actor, model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            TransitionRequest request = pending(tx, id, "approve");
            RegistryService.allow(tx, actor, found, Action.PROMOTE);
            Policy policy = RegistryService.policyOf(tx, found);
            if (actor.governed() && policy.fourEyes() && actor.name().equals(request.requestedBy())) {
                throw RegistryException.permissionDenied("user '" + actor.name() + "' asked for request " + id
                        + " and may not approve it: another approver must (four-eyes rule)");
            }
            if (request.approvals().stream().anyMatch(a -> a.approver().equals(actor.name()))) {
                throw RegistryException.precondition("user '" + actor.name() + "' approved request " + id + " already");
            }
            tx.addApproval(id, new TransitionRequest.Approval(actor.name(), now(), note));
            registry.record(tx, actor, found, request.version(), EventKind.REQUEST_APPROVED,
                    RegistryService.payload("request", Long.toString(id), "comment", note));
            int approvals = request.approvals().size() + 1;
            if (actor.governed() && approvals < Math.max(1, policy.approvals())) {
                return null;
            }
            ModelVersion candidate = RegistryService.requireReady(
                    RegistryService.version(tx, found, request.version()), "promote it");
            registry.gate(tx, actor, found, candidate, request.target(), approvals);
            Map<String, String> extra = Map.of("request", Long.toString(id));
            if (request.target().kind() == Pointer.Kind.STAGE) {
                registry.moveToStage(tx, actor, found, request.version(), Stage.PRODUCTION, request.comment(), true, extra);
            } else {
                registry.moveAlias(tx, actor, found, request.target().name(), request.version(), request.comment(), extra);
            }
            tx.decideRequest(id, RequestStatus.APPROVED, actor.name(), now(), note);
            return null;
        });
        return request(id);
    }

    public TransitionRequest reject(Actor actor, long id, String comment) {
        String note = Validate.description(comment);
        return decide(actor, id, RequestStatus.REJECTED, note, EventKind.REQUEST_REJECTED);
    }

    /** Withdraws a pending request: its requester or an admin may. */
    public TransitionRequest cancel(Actor actor, long id) {
        return decide(actor, id, RequestStatus.CANCELLED, "", EventKind.REQUEST_CANCELLED);
    }

    private TransitionRequest decide(Actor actor, long id, RequestStatus status, String note, EventKind kind) {
        String model = request(id).model();
        registry.write(model, tx -> {
            RegisteredModel found = RegistryService.lockModel(tx, model);
            TransitionRequest request = pending(tx, id, status == RequestStatus.REJECTED ? "reject" : "cancel");
            if (status == RequestStatus.REJECTED) {
                RegistryService.allow(tx, actor, found, Action.PROMOTE);
            } else if (!request.requestedBy().equals(actor.name())) {
                RegistryService.allow(tx, actor, found, Action.ADMINISTER);
            }
            tx.decideRequest(id, status, actor.name(), now(), note);
            registry.record(tx, actor, found, request.version(), kind,
                    RegistryService.payload("request", Long.toString(id), "comment", note));
            return null;
        });
        return request(id);
    }

    private static TransitionRequest pending(Tx tx, long id, String action) {
        TransitionRequest request = tx.findRequest(id).orElseThrow(() -> requestNotFound(id));
        if (request.status() != RequestStatus.PENDING) {
            throw RegistryException.precondition("cannot " + action + " request " + id + ": it is "
                    + request.status().name().toLowerCase(java.util.Locale.ROOT) + " already");
        }
        return request;
    }

    private static RegistryException requestNotFound(long id) {
        return RegistryException.notFound("no transition request has id " + id);
    }

    // --- audit --------------------------------------------------------------------------------------------------

    /**
     * Recomputes the audit chain from the first event: each stored link must name the hash of the event before it,
     * and each event must hash to what is stored. With {@code expectedHead} (a head hash recorded earlier), also
     * reports a log whose recorded head is gone: events deleted from its end.
     */
    public AuditChain.Report verifyAudit(String expectedHead) {
        String previous = AuditChain.GENESIS;
        Long previousSeq = null;
        long checked = 0;
        boolean headSeen = expectedHead == null;
        Long after = null;
        while (true) {
            Long from = after;
            List<AuditChain.Link> links = store.read(tx -> tx.chain(from, CHAIN_PAGE));
            for (AuditChain.Link link : links) {
                long seq = link.event().seq();
                if (link.hash() == null || link.previousHash() == null) {
                    return broken(checked, previousSeq, previous, seq, "event " + seq + " has no hash: it is not part of the chain");
                }
                if (!link.previousHash().equals(previous)) {
                    return broken(checked, previousSeq, previous, seq, "event " + seq + " does not follow "
                            + (previousSeq == null ? "the start of the log" : "event " + previousSeq)
                            + ": an event before it was deleted, reordered or altered and re-hashed");
                }
                if (!AuditChain.hash(previous, link.event()).equals(link.hash())) {
                    return broken(checked, previousSeq, previous, seq, "event " + seq + " was altered: its contents do not match its hash");
                }
                previous = link.hash();
                previousSeq = seq;
                headSeen |= previous.equals(expectedHead);
                checked++;
            }
            if (links.size() < CHAIN_PAGE) {
                break;
            }
            after = previousSeq;
        }
        if (!headSeen) {
            return new AuditChain.Report(false, checked, previousSeq, previousSeq == null ? null : previous, null,
                    "no event has the expected head hash " + expectedHead + ": events were deleted from the end of the log");
        }
        return new AuditChain.Report(true, checked, previousSeq, previousSeq == null ? null : previous, null, null);
    }

    private static AuditChain.Report broken(long checked, Long headSeq, String headHash, long badSeq, String problem) {
        return new AuditChain.Report(false, checked, headSeq, headSeq == null ? null : headHash, badSeq, problem);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private <T> T write(java.util.function.Function<Tx, T> work) {
        return store.write(work);
    }

    private void append(Tx tx, Actor actor, String model, EventKind kind, Map<String, String> payload) {
        tx.appendEvent(new Event(0, now(), actor.name(), model, null, kind, payload));
    }

    private static User user(Tx tx, String name) {
        return tx.findUser(name).orElseThrow(() -> RegistryException.notFound("no user is called '" + name + "'"));
    }

    private static String userName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw RegistryException.invalid("user name '" + name + "' must be 1 to 100 letters, digits, '.', '_', '@' or '-',"
                    + " starting with a letter or digit");
        }
        if (name.equals(BOOTSTRAP_ADMIN) || name.equals(Actor.ANONYMOUS)) {
            throw RegistryException.invalid("user name '" + name + "' is reserved");
        }
        return name;
    }

    /** Now, in the store's precision (milliseconds), so what a call answers is what a later read gives. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** The sha256 of a token, as stored. */
    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(secret)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
