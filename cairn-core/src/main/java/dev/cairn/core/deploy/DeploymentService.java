package dev.cairn.core.deploy;

import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Action;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Role;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Validate;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deployment records: serving instances report which version of a model they serve and since when (a heartbeat every
 * {@link #HEARTBEAT_INTERVAL}), and the registry answers "what is live where". Heartbeats are operational state, not
 * registry history: they append no audit event and leave the model's generation alone, so resolve caches and long polls
 * that key on it do not wake up every 30 seconds per instance.
 */
public final class DeploymentService {
    /** How often {@code LiveModel} reports by default. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    /** An instance is live while its last heartbeat is this recent: three missed heartbeats and it is stale. */
    public static final Duration LIVE_WINDOW = HEARTBEAT_INTERVAL.multipliedBy(3);
    /** Rows of instances not heard from for this long are forgotten. */
    public static final Duration KEEP = Duration.ofDays(7);
    /** How far in the future an instance's {@code since} may be: clocks of serving hosts drift. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    /** Pruning runs with a heartbeat at most this often, so heartbeats stay one small write. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    static final int MAX_INSTANCE_ID = 200;
    static final int MAX_HOST = 255;
    static final int MAX_REFERENCE = 1_024;

    private final MetadataStore store;
    private final Clock clock;
    private final AtomicReference<Instant> lastPrune = new AtomicReference<>(Instant.MIN);

    /** An instance's record and whether it reported within {@link #LIVE_WINDOW}. */
    public record Instance(Deployment deployment, boolean live) {}

    public DeploymentService(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Records that {@code instanceId} serves {@code version} of {@code model} since {@code since} (now when null), as
     * reported by {@code actor}, whose name the record keeps: an instance id says what a caller claims to be, the name
     * who the caller is.
     * Needs the viewer role on the model: serving instances use read-only tokens. INVALID_ARGUMENT for a bad instance
     * id, host or reference, a {@code since} in the future or a version that is not READY; NOT_FOUND for an unknown
     * model or version. Nothing is stored when it refuses.
     */
    public Instance heartbeat(Actor actor, String instanceId, String model, int version, String reference,
                              Instant since, String host) {
        String id = instanceId(instanceId);
        String ref = optional("reference", reference, MAX_REFERENCE);
        String hostName = optional("host", host, MAX_HOST);
        if (version < 1) {
            throw RegistryException.invalid("version must be a positive number, not " + version);
        }
        Instant now = clock.instant();
        if (since != null && since.isAfter(now.plus(CLOCK_SKEW))) {
            throw RegistryException.invalid("since " + since + " is in the future (the registry's time is " + now + ")");
        }
        boolean prune = dueForPrune(now);
        Deployment stored = store.write(tx -> {
            RegisteredModel found = model(tx, model);
            allowRead(tx, actor, found);
            ready(tx, found, version);
            Deployment row = new Deployment(found.name(), id, version, ref, since == null ? now : since, hostName,
                    actor.name(), now);
            tx.putDeployment(found.id(), row);
            if (prune) {
                tx.pruneDeployments(now.minus(KEEP));
            }
            return row;
        });
        return new Instance(stored, true);
    }

    /**
     * The instances serving the model, by version (highest first) then instance id: only the live ones, or with
     * {@code all} the stale ones as well (for up to {@link #KEEP}). Needs the viewer role on the model.
     */
    public List<Instance> deployments(Actor actor, String model, boolean all) {
        Instant now = clock.instant();
        Instant liveSince = now.minus(LIVE_WINDOW);
        List<Deployment> rows = store.read(tx -> {
            RegisteredModel found = model(tx, model);
            allowRead(tx, actor, found);
            return tx.deployments(found.id());
        });
        return rows.stream()
                .map(row -> new Instance(row, !row.lastSeen().isBefore(liveSince)))
                .filter(instance -> all || instance.live())
                .toList();
    }

    private boolean dueForPrune(Instant now) {
        Instant last = lastPrune.get();
        return !now.isBefore(last.plus(PRUNE_EVERY)) && lastPrune.compareAndSet(last, now);
    }

    private static RegisteredModel model(Tx tx, String name) {
        if (name == null || name.isEmpty()) {
            throw RegistryException.invalid("model must not be empty");
        }
        return tx.findModel(name).orElseThrow(() -> RegistryException.notFound("model '" + name + "' does not exist",
                Map.of("resource", "model", "model", name)));
    }

    /** The role check of every read of a model: a grant there, else the registry-wide role. */
    private static void allowRead(Tx tx, Actor actor, RegisteredModel model) {
        if (actor.governed()) {
            Role role = tx.grantedRole(model.id(), actor.name()).orElse(actor.role());
            Action.READ.check(actor, role, "model '" + model.name() + "'");
        }
    }

    private static void ready(Tx tx, RegisteredModel model, int version) {
        ModelVersion found = tx.findVersion(model.id(), version)
                .filter(v -> v.status() != VersionStatus.DELETED)
                .orElseThrow(() -> RegistryException.notFound("version " + version + " of model '" + model.name()
                        + "' does not exist", Map.of("resource", "version", "model", model.name(), "version", version)));
        if (found.status() != VersionStatus.READY) {
            throw RegistryException.invalid("version " + version + " of '" + model.name() + "' is " + found.status()
                    + "; only a READY (committed) version can be served");
        }
    }

    private static String instanceId(String id) {
        if (id == null || id.isBlank()) {
            throw RegistryException.invalid("instance_id must not be empty");
        }
        if (id.length() > MAX_INSTANCE_ID) {
            throw RegistryException.invalid("instance_id is " + id.length() + " characters long; the limit is "
                    + MAX_INSTANCE_ID);
        }
        if (id.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw RegistryException.invalid("instance_id must be printable text, without control characters");
        }
        return id;
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw RegistryException.invalid(field + " is " + value.length() + " characters long; the limit is " + max);
        }
        return Validate.text(field, value);
    }
}
