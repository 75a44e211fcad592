package dev.cairn.core;

import dev.cairn.core.compare.Comparison;
import dev.cairn.core.governance.Action;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.PromotionCheck;
import dev.cairn.core.governance.PromotionRules;
import dev.cairn.core.governance.Role;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelDetail;
import dev.cairn.core.model.ModelPointers;
import dev.cairn.core.model.ModelSummary;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Slice;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.Validate;
import dev.cairn.core.model.VersionKey;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.resolve.Reference;
import dev.cairn.core.resolve.Resolution;
import dev.cairn.core.resolve.RollbackPlan;
import dev.cairn.core.store.BlobStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.source.ArtifactSource;
import dev.cairn.core.source.RunImport;
import dev.cairn.core.store.MetadataStore.Tx;
import dev.cairn.core.tracking.Artifact;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.verify.VerifyReport;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry: every operation of DESIGN.md §1. Each change runs in one write transaction together with the event
 * that records it; file contents go to the blob store before the transaction that references them. Each change is
 * also checked here, inside its transaction, against the actor's role on the model (a grant there, else their
 * registry-wide role) and, for Production and protected aliases, against the model's promotion policy: every API
 * passes through these methods, so none can get around them.
 */
public final class RegistryService {
    private final MetadataStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final ResolveCache resolveCache = new ResolveCache();
    private final ChangeSignal changes = new ChangeSignal();

    public RegistryService(MetadataStore store, BlobStore blobs, Clock clock) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
    }

    // --- models -------------------------------------------------------------------------------------------------

    public RegisteredModel createModel(Actor actor, String name, String description, Map<String, String> tags) {
        Validate.modelName(name);
        String text = Validate.description(description);
        Map<String, String> validTags = Validate.tags(tags == null ? Map.of() : tags);
        Action.EDIT.check(actor, actor.role(), "the registry");
        return write(name, tx -> insertModel(tx, actor, name, text, validTags));
    }

    public RegisteredModel getModel(String name) {
        return store.read(tx -> model(tx, name));
    }

    public ModelPointers pointers(String name) {
        return store.read(tx -> pointers(tx, model(tx, name).id()));
    }

    /** Models ordered by name, each with its pointers, read in one transaction. */
    public Page<ModelSummary> listModels(String nameContains, Integer limit, String pageToken) {
        int size = PageTokens.limit(limit);
        String after = PageTokens.decode("models", pageToken);
        List<ModelSummary> rows = store.read(tx -> tx.listModels(nameContains, after, size + 1).stream()
                .map(m -> new ModelSummary(m, pointers(tx, m.id()))).toList());
        return page(rows, size, m -> PageTokens.encode("models", m.model().name()));
    }

    public RegisteredModel updateModel(Actor actor, String name, String description) {
        String text = Validate.description(description);
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            tx.updateModelDescription(model.id(), text);
            record(tx, actor, model, null, EventKind.MODEL_UPDATED, Map.of("description", text));
            return model(tx, name);
        });
    }

    public RegisteredModel setModelTag(Actor actor, String name, String key, String value) {
        Validate.tag(key, value);
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            tx.setModelTag(model.id(), key, value);
            record(tx, actor, model, null, EventKind.MODEL_TAG_SET, Map.of("key", key, "value", value));
            return model(tx, name);
        });
    }

    public RegisteredModel deleteModelTag(Actor actor, String name, String key) {
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            if (!tx.deleteModelTag(model.id(), key)) {
                throw RegistryException.notFound("model '" + name + "' has no tag '" + key + "'",
                        Map.of("resource", "tag", "model", name, "key", key));
            }
            record(tx, actor, model, null, EventKind.MODEL_TAG_DELETED, Map.of("key", key));
            return model(tx, name);
        });
    }

    /** Deletes a model unless one of its versions still serves: holds Production, Staging or an alias. */
    public void deleteModel(Actor actor, String name) {
        write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.ADMINISTER);
            ModelPointers pointers = pointers(tx, model.id());
            if (!pointers.stages().isEmpty() || !pointers.aliases().isEmpty()) {
                throw RegistryException.precondition("model '" + name + "' still serves: " + describe(pointers)
                        + "; move those versions out of Staging and Production and delete the aliases first");
            }
            tx.markModelDeleted(model.id(), now());
            // Its name may be taken again: the new model's versions must not show the old files.
            tx.deleteArtifacts(PUBLISHED_ROOT + name);
            record(tx, actor, model, null, EventKind.MODEL_DELETED, Map.of());
            return null;
        });
    }

    /**
     * Renames a model: one row changes, since everything else refers to the model by id; versions, tags, aliases and
     * pointer history follow. Events recorded before keep the old name (the audit log is never rewritten).
     */
    public RegisteredModel renameModel(Actor actor, String name, String newName) {
        Validate.modelName(newName);
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.ADMINISTER);
            if (name.equals(newName)) {
                return model;
            }
            tx.renameModel(model.id(), newName);
            RegisteredModel renamed = model(tx, newName);
            record(tx, actor, renamed, null, EventKind.MODEL_RENAMED, payload("from", name, "to", newName));
            return model(tx, newName);
        });
    }

    /** A model with its latest version per stage and its aliases, read in one transaction. */
    public ModelDetail modelDetail(String name) {
        return store.read(tx -> detail(tx, model(tx, name)));
    }

    /** Models matching a query (model-name and tag conditions), {@code limit} from {@code offset}, in the query's order. */
    public Slice<ModelDetail> searchModels(RegistryQuery query, int offset, int limit) {
        checkSlice(offset, limit);
        List<ModelDetail> rows = store.read(tx -> tx.searchModels(query, offset, limit + 1).stream()
                .map(m -> detail(tx, m)).toList());
        return slice(rows, limit);
    }

    private static ModelDetail detail(Tx tx, RegisteredModel model) {
        return new ModelDetail(model, tx.latestPerStage(model.id()), tx.aliases(model.id()));
    }

    // --- versions -----------------------------------------------------------------------------------------------

    /** Live versions of live models matching a query, {@code limit} from {@code offset}, in the query's order. */
    public Slice<ModelVersion> searchVersions(RegistryQuery query, int offset, int limit) {
        checkSlice(offset, limit);
        return slice(store.read(tx -> tx.searchVersions(query, offset, limit + 1)), limit);
    }

    /** The version an alias points at. */
    public ModelVersion versionByAlias(String name, String alias) {
        return store.read(tx -> {
            RegisteredModel model = model(tx, name);
            Integer version = tx.aliases(model.id()).get(alias);
            if (version == null) {
                throw aliasNotFound(name, alias);
            }
            return version(tx, model, version);
        });
    }

    /**
     * Registers a READY version of an existing model in one transaction from {@code spec.source()} (how MLflow
     * registers): the files of a run ({@code runs:/}), of the artifact index ({@code mlflow-artifacts:/}) or of another
     * version ({@code models:/name/N}) become its manifest — the blobs are already stored, so nothing is copied —
     * and the run named by {@code spec.runId()} or by the source, when Cairn tracks it, gives its metrics, params and
     * lineage. A source whose files Cairn does not hold is kept as an external reference: READY, no files, not
     * content-addressed. Either way the version and its events are written together or not at all.
     */
    public ModelVersion registerFromSource(Actor actor, String name, NewVersion spec) {
        NewVersion given = validate(spec);
        ArtifactSource source = ArtifactSource.parse(given.source());
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            String runId = given.runId() == null || given.runId().isEmpty()
                    ? source instanceof ArtifactSource.RunArtifacts r ? r.runId() : null : given.runId();
            Optional<Run> run = runId == null ? Optional.empty() : tx.findRun(runId);
            String location = given.source();
            List<FileEntry> files = List.of();
            if (source instanceof ArtifactSource.RunArtifacts r) {
                Optional<Run> owner = r.runId().equals(runId) ? run : tx.findRun(r.runId());
                String root = owner.map(o -> ArtifactSource.indexPath(o.artifactUri())).orElse(null);
                if (root != null) {
                    files = indexedFiles(tx, r.path().isEmpty() ? root : root + "/" + r.path());
                }
            } else if (source instanceof ArtifactSource.Indexed i) {
                files = indexedFiles(tx, i.path());
            } else if (source instanceof ArtifactSource.ModelFiles m) {
                ModelVersion origin = visible(version(tx, model(tx, m.model()), m.version()));
                if (origin.contentAddressed() && origin.status() == VersionStatus.READY) {
                    files = origin.manifest().files();
                }
                location = downloadLocation(origin);
            }
            NewVersion full = validate(new NewVersion(given.description(), given.tags(),
                    run.map(RunImport::metrics).orElse(Map.of()), run.map(Run::params).orElse(Map.of()), null, null,
                    given.source(), given.runId(), run.map(RunImport::lineage).orElse(Lineage.EMPTY), given.runLink()));
            int number = tx.allocateVersion(model.id());
            Instant now = now();
            boolean contentAddressed = !files.isEmpty();
            Manifest manifest = contentAddressed ? Manifest.of(files) : new Manifest(List.of(), null);
            tx.insertVersion(new ModelVersion(model.id(), name, number, VersionStatus.READY, Stage.NONE, List.of(),
                    full.description(), full.tags(), full.metrics(), full.params(), null, null, full.source(),
                    full.runId(), full.lineage(), manifest, actor.name(), now, now, contentAddressed, full.runLink(), location));
            record(tx, actor, model, number, EventKind.VERSION_CREATED, payload("source", String.valueOf(full.source())));
            if (contentAddressed) {
                publish(tx, name, number, manifest);
                record(tx, actor, model, number, EventKind.VERSION_COMMITTED, Map.of("digest", manifest.digest(),
                        "files", Integer.toString(manifest.files().size()), "size", Long.toString(manifest.totalSize())));
            } else {
                record(tx, actor, model, number, EventKind.VERSION_COMMITTED, payload("external", String.valueOf(location)));
            }
            return version(tx, model, number);
        });
    }

    /**
     * Where MLflow clients download a version's files from: where it was registered from when that was an MLflow
     * source, the artifact-index directory its files were published under, or else its source.
     */
    public static String downloadLocation(ModelVersion version) {
        return version.storageLocation() != null ? version.storageLocation() : version.source();
    }

    /**
     * Starts a version: allocates its number and records its metadata and lineage as a draft
     * ({@code PENDING_REGISTRATION}). Creates the model first when {@code createModel} and it does not exist.
     */
    public ModelVersion createVersion(Actor actor, String name, NewVersion spec, boolean createModel) {
        Validate.modelName(name);
        NewVersion valid = validate(spec);
        return write(name, tx -> {
            RegisteredModel model = createModel
                    ? tx.lockModel(name).orElseGet(() -> {
                        Action.EDIT.check(actor, actor.role(), "the registry");
                        return insertModel(tx, actor, name, "", Map.of());
                    })
                    : lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            checkParents(tx, name, valid.lineage());
            int number = tx.allocateVersion(model.id());
            Instant now = now();
            tx.insertVersion(new ModelVersion(model.id(), name, number, VersionStatus.PENDING_REGISTRATION, Stage.NONE,
                    List.of(), valid.description(), valid.tags(), valid.metrics(), valid.params(), valid.signature(),
                    valid.format(), valid.source(), valid.runId(), valid.lineage(), null, actor.name(), now, now, true,
                    valid.runLink(), null));
            record(tx, actor, model, number, EventKind.VERSION_CREATED, Map.of());
            return version(tx, model, number);
        });
    }

    /**
     * Streams one file of a draft into the blob store and adds it to the draft's manifest. When
     * {@code declaredSha256} is given and the content does not match, nothing is kept.
     */
    public FileEntry addFile(Actor actor, String name, int version, String path, InputStream content,
                             Optional<String> declaredSha256) {
        String normal = Validate.artifactPath(path);
        Optional<String> declared = declaredSha256.map(d -> Validate.sha256("declared sha256", d));
        store.read(tx -> { // refuse before streaming a byte, and again below, where it counts
            RegisteredModel model = model(tx, name);
            allow(tx, actor, model, Action.EDIT);
            return requireDraft(version(tx, model, version));
        });
        BlobStore.BlobInfo blob = blobs.put(content, declared);
        FileEntry file = new FileEntry(normal, blob.size(), blob.sha256());
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            requireDraft(version(tx, model, version));
            tx.putFile(model.id(), version, file);
            record(tx, actor, model, version, EventKind.FILE_ADDED,
                    Map.of("path", normal, "size", Long.toString(file.size()), "sha256", file.sha256()));
            return file;
        });
    }

    /** Seals a draft: computes its root digest and makes it READY and immutable. */
    public ModelVersion commit(Actor actor, String name, int version) {
        ModelVersion draft = store.read(tx -> requireDraft(version(tx, model(tx, name), version)));
        if (draft.manifest().files().isEmpty()) {
            throw RegistryException.precondition("version " + version + " of '" + name
                    + "' has no files; upload at least one file before committing");
        }
        for (FileEntry file : draft.manifest().files()) {
            if (blobs.size(file.sha256()).isEmpty()) {
                throw RegistryException.precondition("file '" + file.path() + "' of version " + version
                        + " is not in the blob store; upload it again");
            }
        }
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            ModelVersion current = requireDraft(version(tx, model, version));
            Manifest manifest = Manifest.of(current.manifest().files());
            if (manifest.files().isEmpty()) {
                throw RegistryException.precondition("version " + version + " of '" + name + "' has no files");
            }
            tx.updateVersionStatus(model.id(), version, VersionStatus.READY, manifest.digest(), now());
            String location = publish(tx, name, version, manifest);
            if (location != null) {
                tx.setStorageLocation(model.id(), version, location);
            }
            record(tx, actor, model, version, EventKind.VERSION_COMMITTED, Map.of("digest", manifest.digest(),
                    "files", Integer.toString(manifest.files().size()), "size", Long.toString(manifest.totalSize())));
            return version(tx, model, version);
        });
    }

    public ModelVersion getVersion(String name, int version) {
        return store.read(tx -> version(tx, model(tx, name), version));
    }

    public Page<ModelVersion> listVersions(String name, VersionStatus status, Stage stage, Integer limit, String pageToken) {
        int size = PageTokens.limit(limit);
        Integer before = PageTokens.decodeInt("versions", pageToken);
        List<ModelVersion> rows = store.read(tx ->
                tx.listVersions(model(tx, name).id(), status, stage, before, size + 1));
        return page(rows, size, v -> PageTokens.encode("versions", Integer.toString(v.version())));
    }

    public ModelVersion updateVersion(Actor actor, String name, int version, String description) {
        String text = Validate.description(description);
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            visible(version(tx, model, version));
            tx.updateVersionDescription(model.id(), version, text, now());
            record(tx, actor, model, version, EventKind.VERSION_UPDATED, Map.of("description", text));
            return version(tx, model, version);
        });
    }

    public ModelVersion setVersionTag(Actor actor, String name, int version, String key, String value) {
        Validate.tag(key, value);
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            visible(version(tx, model, version));
            tx.setVersionTag(model.id(), version, key, value);
            record(tx, actor, model, version, EventKind.VERSION_TAG_SET, Map.of("key", key, "value", value));
            return version(tx, model, version);
        });
    }

    public ModelVersion deleteVersionTag(Actor actor, String name, int version, String key) {
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.EDIT);
            visible(version(tx, model, version));
            if (!tx.deleteVersionTag(model.id(), version, key)) {
                throw RegistryException.notFound("version " + version + " of '" + name + "' has no tag '" + key + "'",
                        Map.of("resource", "tag", "model", name, "version", version, "key", key));
            }
            record(tx, actor, model, version, EventKind.VERSION_TAG_DELETED, Map.of("key", key));
            return version(tx, model, version);
        });
    }

    /** Hides a version; its number stays taken. Refused while it holds Staging, Production or an alias. */
    public ModelVersion deleteVersion(Actor actor, String name, int version) {
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.ADMINISTER);
            ModelVersion target = visible(version(tx, model, version));
            if (target.stage().isLive() || !target.aliases().isEmpty()) {
                throw RegistryException.precondition("version " + version + " of '" + name + "' still serves ("
                        + (target.stage().isLive() ? target.stage().label() : "")
                        + (target.stage().isLive() && !target.aliases().isEmpty() ? ", " : "")
                        + String.join(", ", target.aliases().stream().map(a -> "@" + a).toList())
                        + "); move it out of its stage and delete its aliases first");
            }
            tx.updateVersionStatus(model.id(), version, VersionStatus.DELETED, target.manifest().digest(), now());
            tx.deleteArtifacts(publishedPath(name, version)); // a deleted version is not downloadable either
            record(tx, actor, model, version, EventKind.VERSION_DELETED, Map.of());
            return version(tx, model, version);
        });
    }

    // --- stages, aliases, rollback ------------------------------------------------------------------------------

    /**
     * Moves a READY version to a stage. With {@code archiveExisting} (the default everywhere but in the MLflow API
     * when a client says otherwise), the previous occupants of Staging or Production are archived in the same
     * transaction. Moving a version into or out of Production needs the approver role, and into Production must pass
     * the model's promotion policy.
     */
    public ModelVersion transition(Actor actor, String name, int version, Stage to, String comment,
                                   boolean archiveExisting) {
        String note = Validate.description(comment);
        return gatedWrite(actor, name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            ModelVersion target = requireReady(version(tx, model, version), "move it to " + to.label());
            allow(tx, actor, model, to == Stage.PRODUCTION || target.stage() == Stage.PRODUCTION
                    ? Action.PROMOTE : Action.EDIT);
            if (target.stage() == to && (!archiveExisting || tx.versionsInStage(model.id(), to).size() <= 1)) {
                return target;
            }
            if (to == Stage.PRODUCTION) {
                gate(tx, actor, model, target, Pointer.stage(to), null);
            }
            return moveToStage(tx, actor, model, version, to, note, archiveExisting, Map.of());
        });
    }

    /** Points an alias at a READY version; a protected alias needs the approver role and must pass the policy. */
    public ModelVersion setAlias(Actor actor, String name, String alias, int version, String comment) {
        Validate.alias(alias);
        String note = Validate.description(comment);
        return gatedWrite(actor, name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            ModelVersion target = requireReady(version(tx, model, version), "point @" + alias + " at it");
            Pointer pointer = Pointer.alias(alias);
            boolean governed = policyOf(tx, model).governs(pointer);
            allow(tx, actor, model, governed ? Action.PROMOTE : Action.EDIT);
            Integer previous = tx.aliases(model.id()).get(alias);
            if (previous != null && previous == version) {
                return target;
            }
            if (governed) {
                gate(tx, actor, model, target, pointer, null);
            }
            return moveAlias(tx, actor, model, alias, version, note, Map.of());
        });
    }

    public void deleteAlias(Actor actor, String name, String alias, String comment) {
        String note = Validate.description(comment);
        write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, policyOf(tx, model).governs(Pointer.alias(alias)) ? Action.PROMOTE : Action.EDIT);
            Integer previous = tx.aliases(model.id()).get(alias);
            if (previous == null || !tx.deleteAlias(model.id(), alias)) {
                throw aliasNotFound(name, alias);
            }
            long seq = record(tx, actor, model, previous, EventKind.ALIAS_DELETED,
                    payload("alias", alias, "from", previous.toString(), "comment", note));
            tx.appendPointerChange(model.id(), new PointerChange(seq, Pointer.alias(alias), null, false));
            return null;
        });
    }

    /**
     * What a promotion of {@code version} to {@code target} would meet, changing nothing: whether the actor's role
     * allows it and every check of the policy that governs the target (none for Staging or an unprotected alias).
     */
    public PromotionCheck.Report checkPromotion(Actor actor, String name, int version, Pointer target) {
        Pointer pointer = livePointer(target);
        return store.read(tx -> {
            RegisteredModel model = model(tx, name);
            ModelVersion candidate = requireReady(version(tx, model, version), "promote it");
            Policy policy = policyOf(tx, model);
            boolean governed = policy.governs(pointer);
            List<PromotionCheck> checks = new ArrayList<>();
            if (actor.governed()) {
                Role role = tx.grantedRole(model.id(), actor.name()).orElse(actor.role());
                Role needed = governed ? Action.PROMOTE.least() : Action.EDIT.least();
                checks.add(new PromotionCheck("role: " + needed.label(), role.includes(needed), role.includes(needed)
                        ? "'" + actor.name() + "' is " + role.label() : "'" + actor.name() + "' is " + role.label()
                        + (role.includes(Action.REQUEST.least()) ? ": file a transition request instead" : "")));
            }
            if (governed) {
                checks.addAll(PromotionRules.evaluate(policy, promotion(tx, actor, model, candidate, pointer, null)));
            }
            return new PromotionCheck.Report(name, version, targetLabel(pointer), checks);
        });
    }

    /** The policy that governs a model: its own, else the registry's default, else none. */
    static Policy policyOf(Tx tx, RegisteredModel model) {
        return tx.policy(model.id()).or(() -> tx.policy(null)).orElse(Policy.NONE);
    }

    /** Refuses, with every failed check, a promotion the policy does not allow. */
    void gate(Tx tx, Actor actor, RegisteredModel model, ModelVersion candidate, Pointer pointer, Integer approvals) {
        PromotionRules.Promotion promotion = promotion(tx, actor, model, candidate, pointer, approvals);
        List<PromotionCheck> checks = PromotionRules.evaluate(policyOf(tx, model), promotion);
        PromotionCheck.Report report = new PromotionCheck.Report(model.name(), candidate.version(), targetLabel(pointer), checks);
        if (!report.allowed()) {
            throw new PromotionBlocked(report);
        }
    }

    private PromotionRules.Promotion promotion(Tx tx, Actor actor, RegisteredModel model, ModelVersion candidate,
                                               Pointer pointer, Integer approvals) {
        Integer holder = pointer.kind() == Pointer.Kind.STAGE
                ? tx.versionsInStage(model.id(), Stage.PRODUCTION).stream().findFirst().orElse(null)
                : tx.aliases(model.id()).get(pointer.name());
        ModelVersion current = holder == null ? null : version(tx, model, holder);
        return new PromotionRules.Promotion(candidate, pointer, current,
                tx.pointerHistory(model.id(), Pointer.stage(Stage.STAGING)), approvals, actor.governed(), now());
    }

    /** The target as the API names it: {@code production}, or the alias. */
    public static String targetLabel(Pointer pointer) {
        return pointer.kind() == Pointer.Kind.STAGE ? pointer.name().toLowerCase(java.util.Locale.ROOT) : pointer.name();
    }

    /** Production, or an alias: the pointers a promotion can aim at. */
    static Pointer livePointer(Pointer target) {
        if (target.kind() == Pointer.Kind.STAGE) {
            Stage stage = Stage.parse(target.name());
            if (stage != Stage.PRODUCTION) {
                throw RegistryException.invalid("a promotion aims at Production or an alias, not " + stage.label());
            }
            return Pointer.stage(stage);
        }
        Validate.alias(target.name());
        return target;
    }

    /** Moves a version to a stage and records it; {@code extra} adds to the event's payload (a request id). */
    ModelVersion moveToStage(Tx tx, Actor actor, RegisteredModel model, int version, Stage to, String note,
                             boolean archiveExisting, Map<String, String> extra) {
        ModelVersion target = version(tx, model, version);
        List<Integer> archived = !to.isLive() || !archiveExisting ? List.of()
                : tx.versionsInStage(model.id(), to).stream().filter(v -> v != version).toList();
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("from", target.stage().label());
        payload.put("to", to.label());
        payload.put("comment", note);
        if (!archived.isEmpty()) {
            payload.put("archived", join(archived));
        }
        payload.putAll(extra);
        long seq = record(tx, actor, model, version, EventKind.STAGE_TRANSITION, payload);
        moveStage(tx, model, version, to, archiveExisting, false, seq);
        return version(tx, model, version);
    }

    /** Points an alias at a version and records it; {@code extra} adds to the event's payload. */
    ModelVersion moveAlias(Tx tx, Actor actor, RegisteredModel model, String alias, int version, String note,
                           Map<String, String> extra) {
        Integer previous = tx.aliases(model.id()).get(alias);
        tx.setAlias(model.id(), alias, version);
        Map<String, String> payload = new LinkedHashMap<>(payload(
                "alias", alias, "from", previous == null ? "" : previous.toString(),
                "to", Integer.toString(version), "comment", note));
        payload.putAll(extra);
        long seq = record(tx, actor, model, version, EventKind.ALIAS_SET, payload);
        tx.appendPointerChange(model.id(), new PointerChange(seq, Pointer.alias(alias), version, false));
        return version(tx, model, version);
    }

    /**
     * Moves a stage or an alias back to its previous holder, or to {@code to} when that version held it earlier, as a
     * new transition of kind ROLLBACK. Refused when there is no earlier holder or its files were purged.
     */
    public ModelVersion rollback(Actor actor, String name, Pointer pointer, Optional<Integer> to, String comment) {
        String note = Validate.description(comment);
        if (pointer.kind() == Pointer.Kind.STAGE) {
            Stage stage = Stage.parse(pointer.name());
            if (!stage.isLive()) {
                throw RegistryException.invalid("only Staging, Production and aliases can be rolled back, not " + stage.label());
            }
            pointer = Pointer.stage(stage);
        } else {
            Validate.alias(pointer.name());
        }
        Pointer target = pointer;
        return write(name, tx -> {
            RegisteredModel model = lockModel(tx, name);
            allow(tx, actor, model, Action.PROMOTE);
            int version = RollbackPlan.target(target, tx.pointerHistory(model.id(), target), to);
            ModelVersion restored = version(tx, model, version);
            if (restored.status() != VersionStatus.READY) {
                throw RegistryException.precondition("cannot roll back " + target + " of '" + name + "' to version "
                        + version + ": it is " + restored.status() + (restored.status() == VersionStatus.ARTIFACTS_PURGED
                        ? " (its files were purged)" : ""));
            }
            Integer from = pointers(tx, model.id()).holder(target);
            Map<String, String> payload = payload("pointer", target.toString(), "from", from == null ? "" : from.toString(),
                    "to", Integer.toString(version), "comment", note);
            if (target.kind() == Pointer.Kind.STAGE) {
                long seq = record(tx, actor, model, version, EventKind.ROLLBACK, payload);
                moveStage(tx, model, version, Stage.parse(target.name()), true, true, seq);
            } else {
                tx.setAlias(model.id(), target.name(), version);
                long seq = record(tx, actor, model, version, EventKind.ROLLBACK, payload);
                tx.appendPointerChange(model.id(), new PointerChange(seq, target, version, true));
            }
            return version(tx, model, version);
        });
    }

    // --- resolve ------------------------------------------------------------------------------------------------

    public Resolution resolve(String reference) {
        return resolve(Reference.parse(reference));
    }

    /** Resolves a reference to one version; served from memory while the model has not changed. */
    public Resolution resolve(Reference reference) {
        MetadataStore.ModelStamp stamp = store.modelStamp(reference.model())
                .orElseThrow(() -> modelNotFound(reference.model()));
        Resolution cached = resolveCache.get(reference, stamp);
        if (cached != null) {
            return cached;
        }
        return store.read(tx -> {
            RegisteredModel model = model(tx, reference.model());
            int number = select(tx, model, reference);
            ModelVersion version = version(tx, model, number);
            Resolution resolution = new Resolution(reference, version,
                    "\"" + model.id() + "." + model.generation() + "." + number + "\"");
            resolveCache.put(reference, new MetadataStore.ModelStamp(model.id(), model.generation()), resolution);
            return resolution;
        });
    }

    /**
     * Resolves a reference, first waiting up to {@code timeout} while its ETag still equals {@code etag}: a long
     * poll. Changes made through this process wake the wait at once; changes made by another replica are seen
     * within the poll interval.
     */
    public Resolution awaitChange(Reference reference, String etag, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long version = changes.current();
            Resolution now = resolve(reference);
            long left = deadline - System.nanoTime();
            if (!now.etag().equals(etag) || left <= 0) {
                return now;
            }
            changes.awaitAfter(version, Math.min(left, ChangeSignal.POLL_NANOS));
            if (Thread.currentThread().isInterrupted()) {
                return resolve(reference); // shutting down: answer now rather than spin until the deadline
            }
        }
    }

    /** How often waiters look for changes made by other replicas, which this process is not told of. */
    public static final Duration CHANGE_POLL = Duration.ofNanos(ChangeSignal.POLL_NANOS);

    /** A number that grows with every change this process commits; see {@link #awaitChange(long, Duration)}. */
    public long changeCount() {
        return changes.current();
    }

    /** Waits until this process commits a change after {@link #changeCount()} was {@code seen}, or the timeout. */
    public void awaitChange(long seen, Duration timeout) {
        changes.awaitAfter(seen, timeout.toNanos());
    }

    // --- files --------------------------------------------------------------------------------------------------

    /** The manifest entry of one file of a version. */
    public FileEntry file(String name, int version, String path) {
        String normal = Validate.artifactPath(path);
        return store.read(tx -> {
            ModelVersion found = visible(version(tx, model(tx, name), version));
            if (found.status() == VersionStatus.ARTIFACTS_PURGED) {
                throw RegistryException.precondition("the files of version " + version + " of '" + name + "' were purged");
            }
            return found.manifest().files().stream().filter(f -> f.path().equals(normal)).findFirst()
                    .orElseThrow(() -> RegistryException.notFound("version " + version + " of '" + name
                            + "' has no file '" + normal + "'"));
        });
    }

    /** Opens {@code length} bytes (-1: to the end) of a file from {@code offset}. */
    public InputStream openFile(FileEntry file, long offset, long length) {
        return blobs.open(file.sha256(), offset, length);
    }

    // --- compare, lineage, history, verify ---------------------------------------------------------------------

    public Comparison compare(String name, List<Integer> versions) {
        if (versions.size() < 2) {
            throw RegistryException.invalid("compare needs at least two versions, got " + versions.size());
        }
        if (new LinkedHashSet<>(versions).size() != versions.size()) {
            throw RegistryException.invalid("compare lists a version twice: " + versions);
        }
        return store.read(tx -> {
            RegisteredModel model = model(tx, name);
            List<ModelVersion> found = new ArrayList<>();
            for (int v : versions) {
                found.add(visible(version(tx, model, v)));
            }
            return Comparison.of(found);
        });
    }

    public Page<ModelVersion> versionsUsingDataset(String uriNameOrDigest, Integer limit, String pageToken) {
        String needle = required("dataset", uriNameOrDigest);
        return lineagePage(pageToken, limit, (tx, after, size) -> tx.versionsUsingDataset(needle, after, size));
    }

    public Page<ModelVersion> versionsFromCommit(String commit, Integer limit, String pageToken) {
        String prefix = required("commit", commit).toLowerCase(java.util.Locale.ROOT);
        if (prefix.length() < 4) {
            throw RegistryException.invalid("commit '" + commit + "' is too short: give at least 4 characters");
        }
        return lineagePage(pageToken, limit, (tx, after, size) -> tx.versionsFromCommit(prefix, after, size));
    }

    public Page<ModelVersion> versionsDerivedFrom(String model, int version, Integer limit, String pageToken) {
        VersionKey parent = new VersionKey(Validate.modelName(model), version);
        return lineagePage(pageToken, limit, (tx, after, size) -> tx.versionsDerivedFrom(parent, after, size));
    }

    /** Events of one model (or of all when {@code model} is null), oldest first. */
    /** Events matching the filter, oldest first: a model's history, the audit log, the feed. */
    public Page<Event> events(EventFilter filter, Integer limit, String pageToken) {
        return eventPage(filter, limit, PageTokens.decodeLong("events", pageToken));
    }

    /** Events matching the filter with a sequence number above {@code afterSeq}, oldest first: how a feed resumes. */
    public Page<Event> eventsAfter(EventFilter filter, long afterSeq, Integer limit) {
        return eventPage(filter, limit, afterSeq);
    }

    /** The sequence number of the newest event, 0 when there is none: where a reader of only new events starts. */
    public long lastEventSeq() {
        return store.read((Tx tx) -> tx.lastEventSeq());
    }

    private Page<Event> eventPage(EventFilter filter, Integer limit, Long after) {
        int size = PageTokens.limit(limit);
        String model = filter.model();
        List<Event> rows = store.read(tx -> {
            List<Event> found = tx.events(filter, after, size + 1);
            // A deleted model keeps its events; only a name that never existed is an error.
            if (model != null && found.isEmpty() && after == null && tx.findModel(model).isEmpty()
                    && tx.events(EventFilter.of(model, List.of()), null, 1).isEmpty()) {
                throw RegistryException.notFound("model '" + model + "' does not exist");
            }
            return found;
        });
        return page(rows, size, e -> PageTokens.encode("events", Long.toString(e.seq())));
    }

    /**
     * Which version held each stage and alias of a model just before {@code at}: the pointers as they were then,
     * from the recorded moves.
     */
    public ModelPointers pointersAt(String name, Instant at) {
        return store.read(tx -> {
            Map<String, Integer> stages = new TreeMap<>();
            Map<String, Integer> aliases = new TreeMap<>();
            for (PointerChange change : tx.pointerChangesBefore(model(tx, name).id(), at)) {
                Pointer pointer = change.pointer();
                if (pointer.kind() == Pointer.Kind.STAGE) {
                    putOrRemove(stages, pointer.name(), change.version());
                } else {
                    putOrRemove(aliases, pointer.name(), change.version());
                }
            }
            return new ModelPointers(stages, aliases);
        });
    }

    private static <K> void putOrRemove(Map<K, Integer> map, K key, Integer version) {
        if (version == null) {
            map.remove(key);
        } else {
            map.put(key, version);
        }
    }

    /**
     * Recomputes the sha256 of every file of one version, of every version of a model ({@code version} null), or of
     * the whole registry ({@code name} null), and checks each manifest still hashes to its digest.
     */
    public VerifyReport verify(String name, Integer version) {
        List<VersionKey> keys = new ArrayList<>();
        if (name != null && version != null) {
            keys.add(new VersionKey(name, visible(getVersion(name, version)).version()));
        } else if (name != null) {
            store.read(tx -> {
                long id = model(tx, name).id();
                Integer before = null;
                while (true) {
                    List<ModelVersion> rows = tx.listVersions(id, VersionStatus.READY, null, before, 500);
                    rows.forEach(v -> keys.add(new VersionKey(name, v.version())));
                    if (rows.size() < 500) {
                        return null;
                    }
                    before = rows.get(rows.size() - 1).version();
                }
            });
        } else {
            VersionKey after = null;
            while (true) {
                VersionKey cursor = after;
                List<VersionKey> rows = store.read(tx -> tx.readyVersions(cursor, 500));
                keys.addAll(rows);
                if (rows.size() < 500) {
                    break;
                }
                after = rows.get(rows.size() - 1);
            }
        }
        Map<String, BlobStore.BlobCheck> checked = new HashMap<>();
        List<VerifyReport.VersionCheck> results = new ArrayList<>();
        for (VersionKey key : keys) {
            results.add(check(getVersion(key.model(), key.version()), checked));
        }
        return new VerifyReport(results);
    }

    // --- internals ------------------------------------------------------------------------------------------------

    /** The artifact-index directory (under {@code mlflow-artifacts:/}) a committed version's files are published in. */
    public static String publishedPath(String name, int version) {
        return PUBLISHED_ROOT + name + "/" + version;
    }

    private static final String PUBLISHED_ROOT = "_cairn/models/";

    /**
     * Publishes a committed version's files in the artifact index so MLflow clients can download them, and returns
     * the location, or null when the model's name cannot be an artifact directory (such as "..").
     */
    private String publish(Tx tx, String name, int version, Manifest manifest) {
        String root = publishedPath(name, version);
        try {
            if (!Validate.artifactPath(root).equals(root)) {
                return null;
            }
        } catch (RegistryException notAPath) {
            return null;
        }
        long now = now().toEpochMilli();
        for (FileEntry file : manifest.files()) {
            tx.putArtifact(new Artifact(root + "/" + file.path(), file.size(), file.sha256()), now);
        }
        return ArtifactSource.SCHEME + "/" + root;
    }

    /**
     * The indexed files under {@code path} as manifest entries relative to it; a path that is itself a file gives that
     * file under its own name. Read in pages so that a large directory does not come back in one result set.
     */
    private static List<FileEntry> indexedFiles(Tx tx, String path) {
        List<FileEntry> files = new ArrayList<>();
        if (path.isEmpty()) {
            return files; // the root of the whole index is no model's directory
        }
        String prefix = path + "/";
        String after = null;
        while (true) {
            List<Artifact> page = tx.artifactsUnder(prefix, after, 1000);
            for (Artifact a : page) {
                files.add(new FileEntry(Validate.artifactPath(a.path().substring(prefix.length())), a.size(), a.sha256()));
            }
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).path();
        }
        if (files.isEmpty()) {
            tx.artifactsUnder(path, null, 1).stream().filter(a -> a.path().equals(path)).findFirst().ifPresent(a ->
                    files.add(new FileEntry(path.substring(path.lastIndexOf('/') + 1), a.size(), a.sha256())));
        }
        return files;
    }

    private static void checkSlice(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw RegistryException.invalid("offset must be 0 or more and limit 1 or more, got " + offset + " and " + limit);
        }
    }

    private static <T> Slice<T> slice(List<T> rows, int limit) {
        return rows.size() <= limit ? new Slice<>(rows, false) : new Slice<>(rows.subList(0, limit), true);
    }

    private VerifyReport.VersionCheck check(ModelVersion version, Map<String, BlobStore.BlobCheck> checked) {
        if (!version.contentAddressed()) {
            return VerifyReport.VersionCheck.unverifiable(version.modelName(), version.version(),
                    lineageWarnings(version.lineage()));
        }
        List<String> missing = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        for (FileEntry file : version.manifest().files()) {
            BlobStore.BlobCheck result = checked.computeIfAbsent(file.sha256(), blobs::check);
            if (result == BlobStore.BlobCheck.MISSING) {
                missing.add(file.path());
            } else if (result == BlobStore.BlobCheck.CORRUPT) {
                corrupt.add(file.path());
            }
        }
        boolean digestMatches = Manifest.of(version.manifest().files()).digest().equals(version.manifest().digest());
        return new VerifyReport.VersionCheck(version.modelName(), version.version(), version.manifest().digest(),
                version.manifest().files().size(), missing, corrupt, digestMatches, lineageWarnings(version.lineage()), false);
    }

    private static List<String> lineageWarnings(Lineage lineage) {
        List<String> warnings = new ArrayList<>();
        if (lineage.datasets().isEmpty()) {
            warnings.add("no datasets recorded");
        }
        lineage.datasets().stream().filter(d -> d.digest() == null)
                .forEach(d -> warnings.add("dataset '" + (d.uri() == null ? d.name() : d.uri()) + "' has no digest"));
        if (lineage.code() == null || lineage.code().commit() == null) {
            warnings.add("no code commit recorded");
        } else if (Boolean.TRUE.equals(lineage.code().dirty())) {
            warnings.add("trained from a work tree with uncommitted changes");
        }
        return warnings;
    }

    /**
     * Puts a version into a stage, archiving the other occupants when {@code archiveExisting}, and records for each
     * live stage whose holder changed the pointer move, under the event {@code seq}.
     */
    private void moveStage(Tx tx, RegisteredModel model, int version, Stage to, boolean archiveExisting,
                           boolean rollback, long seq) {
        Map<Stage, Integer> before = liveHolders(tx, model.id());
        Instant now = now();
        if (to.isLive() && archiveExisting) {
            for (int other : tx.versionsInStage(model.id(), to)) {
                if (other != version) {
                    tx.setStage(model.id(), other, Stage.ARCHIVED, now);
                }
            }
        }
        tx.setStage(model.id(), version, to, now);
        Map<Stage, Integer> after = liveHolders(tx, model.id());
        for (Stage stage : List.of(Stage.STAGING, Stage.PRODUCTION)) {
            Integer was = before.get(stage);
            Integer is = after.get(stage);
            if (!java.util.Objects.equals(was, is)) {
                boolean isRollback = rollback && stage == to;
                tx.appendPointerChange(model.id(), new PointerChange(seq, Pointer.stage(stage), is, isRollback));
            }
        }
    }

    private static Map<Stage, Integer> liveHolders(Tx tx, long modelId) {
        Map<Stage, Integer> holders = new HashMap<>();
        for (Stage stage : List.of(Stage.STAGING, Stage.PRODUCTION)) {
            tx.versionsInStage(modelId, stage).stream().findFirst().ifPresent(v -> holders.put(stage, v));
        }
        return holders;
    }

    private int select(Tx tx, RegisteredModel model, Reference reference) {
        Reference.Selector selector = reference.selector();
        if (selector instanceof Reference.Number n) {
            return visible(version(tx, model, n.version())).version();
        } else if (selector instanceof Reference.Latest) {
            return tx.highestVersion(model.id(), VersionStatus.READY).orElseThrow(() ->
                    RegistryException.notFound("model '" + model.name() + "' has no READY version"));
        } else if (selector instanceof Reference.InStage s) {
            return tx.versionsInStage(model.id(), s.stage()).stream().findFirst().orElseThrow(() ->
                    RegistryException.notFound("no version of '" + model.name() + "' is in " + s.stage().label()));
        } else {
            String alias = ((Reference.Alias) selector).alias();
            Integer version = tx.aliases(model.id()).get(alias);
            if (version == null) {
                throw aliasNotFound(model.name(), alias);
            }
            return version;
        }
    }

    private RegisteredModel insertModel(Tx tx, Actor actor, String name, String description, Map<String, String> tags) {
        RegisteredModel model = tx.insertModel(name, description, tags, actor.name(), now());
        record(tx, actor, model, null, EventKind.MODEL_CREATED, Map.of());
        return tx.findModel(name).orElseThrow();
    }

    private void checkParents(Tx tx, String name, Lineage lineage) {
        for (Lineage.Parent parent : lineage.parents()) {
            RegisteredModel model = tx.findModel(parent.model()).orElseThrow(() -> RegistryException.invalid(
                    "parent model '" + parent.model() + "' does not exist"));
            ModelVersion found = tx.findVersion(model.id(), parent.version()).orElseThrow(() -> RegistryException.invalid(
                    "parent version " + parent.model() + ":" + parent.version() + " does not exist"));
            if (found.status() == VersionStatus.PENDING_REGISTRATION || found.status() == VersionStatus.FAILED_REGISTRATION) {
                throw RegistryException.invalid("parent version " + parent.model() + ":" + parent.version()
                        + " is " + found.status() + ", not a registered version");
            }
        }
    }

    /** Appends an event and bumps the model's generation, in the caller's transaction. Returns the event's seq. */
    long record(Tx tx, Actor actor, RegisteredModel model, Integer version, EventKind kind,
                        Map<String, String> payload) {
        Instant now = now();
        tx.touchModel(model.id(), now);
        return tx.appendEvent(new Event(0, now, actor.name(), model.name(), version, kind, payload));
    }

    /** Refuses unless the actor's role on the model (a grant there, else their registry-wide role) allows it. */
    static void allow(Tx tx, Actor actor, RegisteredModel model, Action action) {
        if (actor.governed()) {
            Role role = tx.grantedRole(model.id(), actor.name()).orElse(actor.role());
            action.check(actor, role, "model '" + model.name() + "'");
        }
    }

    /**
     * A write that may be refused by a promotion policy: the refusal changes nothing but is itself recorded, as a
     * PROMOTION_BLOCKED event, in a transaction of its own.
     */
    <T> T gatedWrite(Actor actor, String name, Function<Tx, T> work) {
        try {
            return write(name, work);
        } catch (PromotionBlocked blocked) {
            PromotionCheck.Report report = blocked.report();
            store.write(tx -> tx.appendEvent(new Event(0, now(), actor.name(), report.model(), report.version(),
                    EventKind.PROMOTION_BLOCKED, payload("target", report.target(), "failed", report.failed().stream()
                            .map(c -> c.check() + " (" + c.detail() + ")").collect(java.util.stream.Collectors.joining("; "))))));
            throw blocked;
        }
    }

    <T> T write(String name, Function<Tx, T> work) {
        T result = store.write(work);
        changes.signal();
        return result;
    }

    static RegisteredModel model(Tx tx, String name) {
        return tx.findModel(name).orElseThrow(() -> modelNotFound(name));
    }

    static RegisteredModel lockModel(Tx tx, String name) {
        return tx.lockModel(name).orElseThrow(() -> modelNotFound(name));
    }

    private static RegistryException modelNotFound(String name) {
        return RegistryException.notFound("model '" + name + "' does not exist", Map.of("resource", "model", "model", name));
    }

    private static RegistryException aliasNotFound(String name, String alias) {
        return RegistryException.notFound("model '" + name + "' has no alias '" + alias + "'",
                Map.of("resource", "alias", "model", name, "alias", alias));
    }

    static ModelVersion version(Tx tx, RegisteredModel model, int version) {
        return tx.findVersion(model.id(), version).orElseThrow(() -> RegistryException.notFound("version " + version
                + " of model '" + model.name() + "' does not exist", versionDetails(model.name(), version)));
    }

    private static ModelVersion visible(ModelVersion version) {
        if (version.status() == VersionStatus.DELETED) {
            throw RegistryException.notFound("version " + version.version() + " of model '" + version.modelName()
                    + "' was deleted", versionDetails(version.modelName(), version.version()));
        }
        return version;
    }

    private static Map<String, Object> versionDetails(String model, int version) {
        return Map.of("resource", "version", "model", model, "version", version);
    }

    private static ModelVersion requireDraft(ModelVersion version) {
        visible(version);
        if (version.status() != VersionStatus.PENDING_REGISTRATION) {
            throw RegistryException.precondition("version " + version.version() + " of '" + version.modelName()
                    + "' is " + version.status() + ", not a draft; its files never change");
        }
        return version;
    }

    static ModelVersion requireReady(ModelVersion version, String action) {
        visible(version);
        if (version.status() != VersionStatus.READY) {
            throw RegistryException.precondition("version " + version.version() + " of '" + version.modelName()
                    + "' is " + version.status() + "; it must be READY (committed) to " + action);
        }
        return version;
    }

    private static ModelPointers pointers(Tx tx, long modelId) {
        Map<String, Integer> stages = new TreeMap<>();
        liveHolders(tx, modelId).forEach((stage, version) -> stages.put(stage.label(), version));
        return new ModelPointers(stages, new TreeMap<>(tx.aliases(modelId)));
    }

    private static String describe(ModelPointers pointers) {
        List<String> parts = new ArrayList<>();
        pointers.stages().forEach((stage, v) -> parts.add(stage + " is version " + v));
        pointers.aliases().forEach((alias, v) -> parts.add("@" + alias + " is version " + v));
        return String.join(", ", parts);
    }

    private static NewVersion validate(NewVersion spec) {
        NewVersion s = spec == null ? NewVersion.empty() : spec;
        Lineage lineage = s.lineage();
        for (Lineage.Dataset d : lineage.datasets()) {
            if ((d.uri() == null || d.uri().isBlank()) && (d.name() == null || d.name().isBlank())) {
                throw RegistryException.invalid("every dataset needs a uri or a name");
            }
            Validate.text("dataset uri", d.uri());
            Validate.text("dataset name", d.name());
            Validate.text("dataset version", d.version());
            if (d.digest() != null) {
                Validate.datasetDigest("digest of dataset '" + (d.uri() == null ? d.name() : d.uri()) + "'", d.digest());
            }
        }
        if (lineage.code() != null) {
            Validate.text("code repository", lineage.code().repository());
            Validate.text("code commit", lineage.code().commit());
            Validate.text("code branch", lineage.code().branch());
            Validate.text("code path", lineage.code().path());
        }
        for (Lineage.Parent parent : lineage.parents()) {
            Validate.modelName(parent.model());
            if (parent.version() < 1) {
                throw RegistryException.invalid("parent version of '" + parent.model() + "' must be 1 or more");
            }
        }
        if (s.signature() != null && s.signature().inputs().size() + s.signature().outputs().size() > Validate.MAX_ENTRIES) {
            throw RegistryException.tooLarge("signature has more than " + Validate.MAX_ENTRIES + " columns");
        }
        Lineage normal = new Lineage(lineage.datasets().stream().map(d -> new Lineage.Dataset(d.name(), d.uri(),
                d.version(), d.digest() == null ? null : Validate.datasetDigest("dataset digest", d.digest()), d.role()))
                .toList(), lineage.code(), lineage.run(), lineage.parents(), lineage.environment());
        return new NewVersion(Validate.description(s.description()), Validate.tags(s.tags()),
                Validate.metrics(s.metrics()), Validate.params(s.params()), s.signature(),
                Validate.text("format", s.format()), Validate.text("source", s.source()),
                Validate.text("run id", s.runId()), normal, Validate.text("run link", s.runLink()));
    }

    private interface LineageQuery {
        List<VersionKey> run(Tx tx, VersionKey after, int limit);
    }

    /** One page of a reverse lineage query, the versions read in the same transaction as their keys. */
    private Page<ModelVersion> lineagePage(String pageToken, Integer limit, LineageQuery query) {
        int size = PageTokens.limit(limit);
        String cursor = PageTokens.decode("lineage", pageToken);
        VersionKey after = null;
        if (cursor != null) {
            int split = cursor.lastIndexOf(':');
            try {
                after = new VersionKey(cursor.substring(0, split), Integer.parseInt(cursor.substring(split + 1)));
            } catch (RuntimeException e) {
                throw RegistryException.invalid("page_token '" + pageToken + "' is not a token of this list");
            }
        }
        VersionKey start = after;
        List<ModelVersion> rows = store.read(tx -> query.run(tx, start, size + 1).stream()
                .map(key -> version(tx, model(tx, key.model()), key.version())).toList());
        return page(rows, size, v -> PageTokens.encode("lineage", v.modelName() + ":" + v.version()));
    }

    static <T> Page<T> page(List<T> rows, int size, Function<T, String> token) {
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, size);
        return new Page<>(items, token.apply(items.get(size - 1)));
    }

    private static String required(String what, String value) {
        if (value == null || value.isBlank()) {
            throw RegistryException.invalid(what + " must not be empty");
        }
        return value.trim();
    }

    static Map<String, String> payload(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String join(List<Integer> versions) {
        return String.join(",", versions.stream().map(String::valueOf).toList());
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
