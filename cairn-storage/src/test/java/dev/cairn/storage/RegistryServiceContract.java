package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.compare.Comparison;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Slice;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionKey;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.resolve.Resolution;
import dev.cairn.core.tracking.Artifact;
import dev.cairn.core.verify.VerifyReport;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's behaviour end to end over the real stores: a real database ({@link SqliteRegistryServiceTest},
 * {@link PostgresRegistryServiceTest}) and blobs on disk.
 */
abstract class RegistryServiceContract {
    static final Actor ME = Actor.local("alice");

    @TempDir
    Path dir;

    JdbcMetadataStore store;
    FileBlobStore blobs;
    RegistryService registry;

    /** A store over a fresh, empty database; {@code dir} is this test's temporary directory. */
    abstract JdbcMetadataStore newStore(Path dir);

    @BeforeEach
    void start() {
        store = newStore(dir);
        blobs = new FileBlobStore(dir.resolve("blobs"));
        registry = new RegistryService(store, blobs, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    // --- registration -------------------------------------------------------------------------------------------

    @Test
    void registerCreatesAnImmutableVersionWithItsManifest() throws Exception {
        ModelVersion draft = registry.createVersion(ME, "fraud", spec(Map.of("auc", 0.9)), true);
        assertThat(draft.version()).isEqualTo(1);
        assertThat(draft.status()).isEqualTo(VersionStatus.PENDING_REGISTRATION);

        FileEntry weights = registry.addFile(ME, "fraud", 1, "weights/model.bin", bytes("weights"), Optional.empty());
        FileEntry config = registry.addFile(ME, "fraud", 1, "config.json", bytes("{}"), Optional.of(sha256("{}")));
        ModelVersion ready = registry.commit(ME, "fraud", 1);

        assertThat(ready.status()).isEqualTo(VersionStatus.READY);
        assertThat(ready.manifest().files()).containsExactly(config, weights);
        assertThat(ready.manifest().digest()).isEqualTo(Manifest.of(List.of(weights, config)).digest());
        assertThat(ready.metrics()).containsEntry("auc", 0.9);
        assertThat(registry.getVersion("fraud", 1)).isEqualTo(ready);
        try (InputStream in = registry.openFile(registry.file("fraud", 1, "weights/model.bin"), 0, -1)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights");
        }
        assertRefused(ErrorCode.FAILED_PRECONDITION,
                () -> registry.addFile(ME, "fraud", 1, "extra.bin", bytes("x"), Optional.empty()));
    }

    @Test
    void versionNumbersCountUpAndAreNeverReused() {
        register("m", "a");
        register("m", "b");
        registry.deleteVersion(ME, "m", 2);
        assertThat(register("m", "c").version()).isEqualTo(3);
        assertThat(registry.listVersions("m", null, null, 10, null).items()).extracting(ModelVersion::version)
                .containsExactly(3, 1);
    }

    @Test
    void aDraftIsNotServedUntilCommitted() {
        register("m", "one");
        registry.createVersion(ME, "m", NewVersion.empty(), false);

        assertThat(registry.resolve("m/latest").version().version()).isEqualTo(1);
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.transition(ME, "m", 2, Stage.PRODUCTION, "", true));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.setAlias(ME, "m", "champion", 2, ""));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.commit(ME, "m", 2));
        assertThat(registry.getVersion("m", 2).status()).isEqualTo(VersionStatus.PENDING_REGISTRATION);
    }

    @Test
    void aWrongDeclaredDigestKeepsNeitherFileNorBlob() throws Exception {
        registry.createVersion(ME, "m", NewVersion.empty(), true);
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.addFile(ME, "m", 1, "w.bin", bytes("real"),
                Optional.of(sha256("other"))));
        assertThat(registry.getVersion("m", 1).manifest().files()).isEmpty();
        assertThat(blobs.size(sha256("real"))).isEmpty();
    }

    // --- stages, aliases, rollback ------------------------------------------------------------------------------

    @Test
    void aStageHasOneOccupantAndThePreviousIsArchivedInTheSameChange() {
        register("m", "1");
        register("m", "2");
        registry.transition(ME, "m", 1, Stage.PRODUCTION, "first", true);
        registry.transition(ME, "m", 2, Stage.PRODUCTION, "second", true);

        assertThat(registry.getVersion("m", 1).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.getVersion("m", 2).stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry.pointers("m").stages()).containsOnly(Map.entry("Production", 2));
        Event last = lastEvent("m");
        assertThat(last.kind()).isEqualTo(EventKind.STAGE_TRANSITION);
        assertThat(last.version()).isEqualTo(2);
        assertThat(last.payload()).containsEntry("archived", "1").containsEntry("comment", "second")
                .containsEntry("to", "Production");
    }

    @Test
    void aliasesPointAtOneVersionAndResolve() {
        register("m", "1");
        register("m", "2");
        registry.setAlias(ME, "m", "champion", 1, "");
        registry.setAlias(ME, "m", "canary", 2, "");
        assertThat(registry.resolve("m@champion").version().version()).isEqualTo(1);

        registry.setAlias(ME, "m", "champion", 2, "promote");
        assertThat(registry.pointers("m").aliases()).containsOnly(Map.entry("canary", 2), Map.entry("champion", 2));
        assertThat(registry.getVersion("m", 2).aliases()).containsExactly("canary", "champion");

        registry.deleteAlias(ME, "m", "canary", "done");
        assertThat(registry.pointers("m").aliases()).containsOnly(Map.entry("champion", 2));
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.resolve("m@canary"));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.setAlias(ME, "m", "latest", 1, ""));
    }

    @Test
    void rollingBackAStageWalksBackThroughItsEarlierHolders() {
        for (int v = 1; v <= 3; v++) {
            register("m", "v" + v);
            registry.transition(ME, "m", v, Stage.PRODUCTION, "", true);
        }
        Pointer production = Pointer.stage(Stage.PRODUCTION);

        assertThat(registry.rollback(ME, "m", production, Optional.empty(), "bad").version()).isEqualTo(2);
        assertThat(registry.resolve("m/production").version().version()).isEqualTo(2);
        assertThat(registry.getVersion("m", 3).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.rollback(ME, "m", production, Optional.empty(), "worse").version()).isEqualTo(1);
        assertThat(registry.resolve("m/production").version().version()).isEqualTo(1);
        assertRefused(ErrorCode.FAILED_PRECONDITION,
                () -> registry.rollback(ME, "m", production, Optional.empty(), "again"));

        Event rollback = lastEvent("m");
        assertThat(rollback.kind()).isEqualTo(EventKind.ROLLBACK);
        assertThat(rollback.payload()).containsEntry("from", "2").containsEntry("to", "1").containsEntry("comment", "worse");
    }

    @Test
    void rollbackToANamedEarlierHolder() {
        for (int v = 1; v <= 3; v++) {
            register("m", "v" + v);
            registry.transition(ME, "m", v, Stage.PRODUCTION, "", true);
        }
        register("m", "never served");
        Pointer production = Pointer.stage(Stage.PRODUCTION);

        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.rollback(ME, "m", production, Optional.of(4), ""));
        assertThat(registry.rollback(ME, "m", production, Optional.of(1), "").version()).isEqualTo(1);
        assertThat(registry.pointers("m").stages()).containsOnly(Map.entry("Production", 1));
    }

    @Test
    void rollingBackAnAlias() {
        register("m", "1");
        register("m", "2");
        registry.setAlias(ME, "m", "champion", 1, "");
        registry.setAlias(ME, "m", "champion", 2, "");

        assertThat(registry.rollback(ME, "m", Pointer.alias("champion"), Optional.empty(), "").version()).isEqualTo(1);
        assertThat(registry.resolve("models:/m@champion").version().version()).isEqualTo(1);
        assertRefused(ErrorCode.FAILED_PRECONDITION,
                () -> registry.rollback(ME, "m", Pointer.alias("champion"), Optional.empty(), ""));
    }

    // --- resolve ------------------------------------------------------------------------------------------------

    @Test
    void everyReferenceFormResolves() {
        register("m", "1");
        register("m", "2");
        register("m", "3");
        registry.transition(ME, "m", 1, Stage.PRODUCTION, "", true);
        registry.transition(ME, "m", 2, Stage.STAGING, "", true);
        registry.setAlias(ME, "m", "champion", 1, "");

        Map<String, Integer> expected = Map.of("m/2", 2, "m/latest", 3, "m/production", 1, "m/Staging", 2,
                "m@champion", 1, "models:/m/3", 3, "models:/m/Production", 1, "models:/m@champion", 1,
                "models:/m/latest", 3);
        expected.forEach((reference, version) ->
                assertThat(registry.resolve(reference).version().version()).as(reference).isEqualTo(version));
        assertThat(registry.resolve("m/1").version().manifest().files()).hasSize(1);
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.resolve("m/9"));
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.resolve("nope/1"));
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.resolve("m/archived"));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.resolve("m"));
    }

    @Test
    void theEtagChangesWhenPointersMoveAndOnlyThen() {
        register("m", "1");
        register("m", "2");
        registry.transition(ME, "m", 1, Stage.PRODUCTION, "", true);
        Resolution before = registry.resolve("models:/m/Production");
        assertThat(registry.resolve("models:/m/Production").etag()).isEqualTo(before.etag());

        registry.transition(ME, "m", 2, Stage.PRODUCTION, "", true);
        Resolution after = registry.resolve("models:/m/Production");
        assertThat(after.version().version()).isEqualTo(2);
        assertThat(after.etag()).isNotEqualTo(before.etag());

        registry.setAlias(ME, "m", "champion", 2, "");
        assertThat(registry.resolve("models:/m/Production").etag()).isNotEqualTo(after.etag());
    }

    // --- compare, verify ----------------------------------------------------------------------------------------

    @Test
    void compareShowsMetricAndFileDifferences() {
        registerWith("m", spec(Map.of("auc", 0.80)), Map.of("model.bin", "old", "same.txt", "same"));
        registerWith("m", spec(Map.of("auc", 0.90)), Map.of("model.bin", "newer", "same.txt", "same", "extra", "x"));

        Comparison comparison = registry.compare("m", List.of(1, 2));
        Comparison.MetricRow auc = comparison.metrics().get(0);
        assertThat(auc.name()).isEqualTo("auc");
        assertThat(auc.values()).containsExactly(0.80, 0.90);
        assertThat(auc.deltas().get(1)).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-9));
        Comparison.FileDiff files = comparison.files().get(0);
        assertThat(files.added()).containsExactly("extra");
        assertThat(files.changed()).extracting(Comparison.FileDiff.Changed::path).containsExactly("model.bin");
        assertThat(files.sizeDelta()).isEqualTo(3);
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.compare("m", List.of(1)));
    }

    @Test
    void verifyReportsCorruptAndMissingBlobs() throws Exception {
        registerWith("m", NewVersion.empty(), Map.of("a.bin", "alpha", "b.bin", "beta"));
        registerWith("n", NewVersion.empty(), Map.of("c.bin", "gamma"));
        assertThat(registry.verify(null, null).ok()).isTrue();

        Files.writeString(blobFile(sha256("alpha")), "tampered");
        Files.delete(blobFile(sha256("gamma")));

        VerifyReport one = registry.verify("m", 1);
        assertThat(one.ok()).isFalse();
        assertThat(one.versions().get(0).corrupt()).containsExactly("a.bin");
        assertThat(one.versions().get(0).missing()).isEmpty();
        VerifyReport all = registry.verify(null, null);
        assertThat(all.versions()).extracting(VerifyReport.VersionCheck::model).containsExactly("m", "n");
        assertThat(all.versions().get(1).missing()).containsExactly("c.bin");
    }

    // --- deletion -----------------------------------------------------------------------------------------------

    @Test
    void aModelThatStillServesCannotBeDeleted() {
        register("m", "1");
        registry.transition(ME, "m", 1, Stage.PRODUCTION, "", true);
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.deleteModel(ME, "m"));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.deleteVersion(ME, "m", 1));

        registry.transition(ME, "m", 1, Stage.ARCHIVED, "", true);
        registry.setAlias(ME, "m", "champion", 1, "");
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.deleteModel(ME, "m"));

        registry.deleteAlias(ME, "m", "champion", "");
        registry.deleteModel(ME, "m");
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.getModel("m"));
        assertThat(registry.createModel(ME, "m", "again", Map.of()).lastVersion()).isZero();
        assertThat(registry.events(EventFilter.of(null, List.of(EventKind.MODEL_DELETED)), 10, null).items()).hasSize(1);
    }

    @Test
    void deletedVersionsAndModelsAreNoLongerPublishedForDownload() {
        register("m", "old one");
        register("m", "old two");
        registry.transition(ME, "m", 2, Stage.ARCHIVED, "", true);
        registry.deleteVersion(ME, "m", 1);
        assertThat(published("m")).extracting(Artifact::path).allMatch(p -> p.startsWith("_cairn/models/m/2/"));

        registry.deleteModel(ME, "m");
        assertThat(published("m")).isEmpty();
        ModelVersion fresh = register("m", "new one");
        assertThat(published("m")).extracting(Artifact::sha256)
                .containsExactlyElementsOf(fresh.manifest().files().stream().map(FileEntry::sha256).toList());
    }

    private List<Artifact> published(String model) {
        return store.read(tx -> tx.artifactsUnder("_cairn/models/" + model + "/", null, 100));
    }

    @Test
    void aDeletedVersionIsHiddenButKeepsItsNumber() {
        register("m", "1");
        registry.deleteVersion(ME, "m", 1);
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.resolve("m/1"));
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.resolve("m/latest"));
        assertThat(registry.listVersions("m", null, null, 10, null).items()).isEmpty();
        assertThat(registry.listVersions("m", VersionStatus.DELETED, null, 10, null).items()).hasSize(1);
    }

    // --- events and failed writes -------------------------------------------------------------------------------

    @Test
    void everyChangeAppendsItsEvent() {
        registry.createModel(ME, "m", "", Map.of());
        registry.setModelTag(ME, "m", "team", "risk");
        registry.deleteModelTag(ME, "m", "team");
        registry.updateModel(ME, "m", "desc");
        registerWith("m", NewVersion.empty(), Map.of("f", "x"));
        registry.setVersionTag(ME, "m", 1, "k", "v");
        registry.deleteVersionTag(ME, "m", 1, "k");
        registry.updateVersion(ME, "m", 1, "d");
        registry.transition(ME, "m", 1, Stage.STAGING, "", true);
        registry.setAlias(ME, "m", "champion", 1, "");
        registry.deleteAlias(ME, "m", "champion", "");
        registry.transition(ME, "m", 1, Stage.ARCHIVED, "", true);
        registry.deleteVersion(ME, "m", 1);
        registry.deleteModel(ME, "m");

        // the model is gone, but its history stays readable, by name and in the registry-wide feed
        List<Event> events = registry.events(EventFilter.ALL, 100, null).items();
        assertThat(registry.events(EventFilter.of("m", List.of()), 100, null).items()).isEqualTo(events);
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.events(EventFilter.of("never-existed", List.of()), 100, null));
        assertThat(events).extracting(Event::kind).containsExactly(EventKind.MODEL_CREATED, EventKind.MODEL_TAG_SET,
                EventKind.MODEL_TAG_DELETED, EventKind.MODEL_UPDATED, EventKind.VERSION_CREATED, EventKind.FILE_ADDED,
                EventKind.VERSION_COMMITTED, EventKind.VERSION_TAG_SET, EventKind.VERSION_TAG_DELETED,
                EventKind.VERSION_UPDATED, EventKind.STAGE_TRANSITION, EventKind.ALIAS_SET, EventKind.ALIAS_DELETED,
                EventKind.STAGE_TRANSITION, EventKind.VERSION_DELETED, EventKind.MODEL_DELETED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo(ME.name());
            assertThat(e.model()).isEqualTo("m");
        });
        assertThat(events.get(6).payload()).containsKeys("digest", "files", "size");
        assertThat(events).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void eventsArePagedWithTokens() {
        register("m", "1");
        Page<Event> first = registry.events(EventFilter.of("m", List.of()), 2, null);
        Page<Event> second = registry.events(EventFilter.of("m", List.of()), 2, first.nextPageToken());
        assertThat(first.items()).extracting(Event::kind).containsExactly(EventKind.MODEL_CREATED, EventKind.VERSION_CREATED);
        assertThat(second.items()).extracting(Event::kind).containsExactly(EventKind.FILE_ADDED, EventKind.VERSION_COMMITTED);
        assertThat(first.nextPageToken()).isNotNull();
        assertThat(second.nextPageToken()).isNull();
    }

    @Test
    void aFailedWriteChangesNothing() {
        register("m", "1");
        registry.createVersion(ME, "m", NewVersion.empty(), false);
        long generation = registry.getModel("m").generation();
        List<Event> events = registry.events(EventFilter.ALL, 100, null).items();

        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.transition(ME, "m", 2, Stage.PRODUCTION, "", true));
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.transition(ME, "m", 7, Stage.PRODUCTION, "", true));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.commit(ME, "m", 2));
        assertRefused(ErrorCode.ALREADY_EXISTS, () -> registry.createModel(ME, "m", "", Map.of()));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.createVersion(ME, "new-model",
                new NewVersion(null, null, null, null, null, null, null, null,
                        new Lineage(List.of(), null, null, List.of(new Lineage.Parent("ghost", 1, null)), null), null),
                true));

        assertThat(registry.getModel("m").generation()).isEqualTo(generation);
        assertThat(registry.getModel("m").lastVersion()).isEqualTo(2);
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.getModel("new-model"));
        assertThat(registry.events(EventFilter.ALL, 100, null).items()).isEqualTo(events);
    }

    // --- reverse lineage ----------------------------------------------------------------------------------------

    @Test
    void reverseLineageFindsVersionsByDatasetCommitAndParent() {
        String digest = "9".repeat(64);
        Lineage base = new Lineage(List.of(new Lineage.Dataset("census", "s3://data/census", "2024", digest,
                Lineage.DatasetRole.TRAIN)), new Lineage.Code("repo", "ABCDEF1234", "main", null, false), null,
                List.of(), null);
        registerWith("base", lineage(base), Map.of("f", "base"));
        registerWith("base", lineage(base), Map.of("f", "base2"));
        Lineage tuned = new Lineage(List.of(), new Lineage.Code("repo", "abcdef9999", null, null, null), null,
                List.of(new Lineage.Parent("base", 1, "fine-tuned-from")), null);
        registerWith("tuned", lineage(tuned), Map.of("f", "tuned"));

        Page<ModelVersion> page = registry.versionsUsingDataset("s3://data/census", 1, null);
        assertThat(keys(page)).containsExactly(new VersionKey("base", 1));
        assertThat(keys(registry.versionsUsingDataset("s3://data/census", 1, page.nextPageToken())))
                .containsExactly(new VersionKey("base", 2));
        assertThat(registry.versionsUsingDataset("sha256:" + digest, 10, null).items()).hasSize(2);
        assertThat(keys(registry.versionsFromCommit("abcdef", 10, null)))
                .containsExactly(new VersionKey("base", 1), new VersionKey("base", 2), new VersionKey("tuned", 1));
        assertThat(keys(registry.versionsFromCommit("ABCDEF12", 10, null)))
                .containsExactly(new VersionKey("base", 1), new VersionKey("base", 2));
        assertThat(keys(registry.versionsDerivedFrom("base", 1, 10, null))).containsExactly(new VersionKey("tuned", 1));
        assertThat(registry.getVersion("base", 1).lineage().datasets().get(0).digest()).isEqualTo("sha256:" + digest);
    }

    // --- fixtures -----------------------------------------------------------------------------------------------

    ModelVersion register(String name, String content) {
        return registerWith(name, NewVersion.empty(), Map.of("model.bin", content));
    }

    ModelVersion registerWith(String name, NewVersion spec, Map<String, String> files) {
        int version = registry.createVersion(ME, name, spec, true).version();
        files.forEach((path, content) -> registry.addFile(ME, name, version, path, bytes(content), Optional.empty()));
        return registry.commit(ME, name, version);
    }

    Event lastEvent(String model) {
        List<Event> events = registry.events(EventFilter.of(model, List.of()), 1000, null).items();
        return events.get(events.size() - 1);
    }

    Path blobFile(String sha) {
        return dir.resolve("blobs/sha256").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    static NewVersion spec(Map<String, Double> metrics) {
        return new NewVersion(null, null, metrics, Map.of("lr", "0.1"), null, "onnx", null, null, null, null);
    }

    static NewVersion lineage(Lineage lineage) {
        return new NewVersion(null, null, null, null, null, null, null, null, lineage, null);
    }

    static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- MLflow-facing additions -----------------------------------------------------------------------------------

    @Test
    void renamingAModelKeepsItsVersionsAliasesAndPointerHistory() throws Exception {
        register("fraud", "weights");
        registry.setAlias(ME, "fraud", "champion", 1, "");
        registry.transition(ME, "fraud", 1, Stage.PRODUCTION, "", true);
        registry.createModel(ME, "taken", "", Map.of());

        assertRefused(ErrorCode.ALREADY_EXISTS, () -> registry.renameModel(ME, "fraud", "taken"));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.renameModel(ME, "fraud", "a/b"));
        registry.renameModel(ME, "fraud", "fraud-v2");

        assertRefused(ErrorCode.NOT_FOUND, () -> registry.getModel("fraud"));
        assertThat(registry.getModel("fraud-v2").lastVersion()).isEqualTo(1);
        assertThat(registry.resolve("models:/fraud-v2@champion").version().version()).isEqualTo(1);
        assertThat(registry.resolve("models:/fraud-v2/production").version().version()).isEqualTo(1);
        assertThat(registry.events(EventFilter.of("fraud-v2", List.of(EventKind.MODEL_RENAMED)), 10, null).items())
                .singleElement().satisfies(e -> assertThat(e.payload()).containsEntry("from", "fraud"));
        registry.createModel(ME, "fraud", "", Map.of());
        assertThat(registry.getModel("fraud").lastVersion()).as("the old name is free").isZero();
    }

    @Test
    void searchesFilterOrderAndPageInTheDatabase() {
        registry.createModel(ME, "a", "", Map.of("team", "ml"));
        registry.createModel(ME, "B", "", Map.of("team", "ops"));
        for (int i = 1; i <= 4; i++) {
            registry.registerFromSource(ME, "a", external("s3://b/a/" + i, "run" + (i % 2), Map.of("k", "v" + i)));
        }
        registry.registerFromSource(ME, "B", external("s3://b/B/1", "run1", Map.of("k", "v1")));
        registry.deleteVersion(ME, "a", 4);

        RegistryQuery byRun = new RegistryQuery(List.of(Condition.texts(Condition.Field.RUN_ID, Condition.Op.IN,
                List.of("run1"))), List.of(new RegistryQuery.Sort(RegistryQuery.SortKey.VERSION, true)));
        assertThat(keys(registry.searchVersions(byRun, 0, 10).items())).containsExactly("B:1", "a:1", "a:3");
        RegistryQuery byTag = new RegistryQuery(List.of(Condition.tag("k", Condition.Op.EQ, "v1")), List.of());
        assertThat(keys(registry.searchVersions(byTag, 0, 10).items())).containsExactly("B:1", "a:1");
        RegistryQuery caseSensitive = new RegistryQuery(List.of(Condition.text(Condition.Field.MODEL_NAME,
                Condition.Op.LIKE, "b%")), List.of());
        assertThat(registry.searchVersions(caseSensitive, 0, 10).items()).isEmpty();
        RegistryQuery newest = new RegistryQuery(List.of(Condition.text(Condition.Field.MODEL_NAME, Condition.Op.EQ, "a"),
                Condition.version(Condition.Op.GE, 2)), List.of(new RegistryQuery.Sort(RegistryQuery.SortKey.VERSION, false)));
        Slice<ModelVersion> first = registry.searchVersions(newest, 0, 1);
        assertThat(keys(first.items())).as("deleted versions never match").containsExactly("a:3");
        assertThat(first.hasMore()).isTrue();
        Slice<ModelVersion> last = registry.searchVersions(newest, 1, 1);
        assertThat(keys(last.items())).containsExactly("a:2");
        assertThat(last.hasMore()).isFalse();

        RegistryQuery models = new RegistryQuery(List.of(Condition.tag("team", Condition.Op.NE, "ops")), List.of());
        assertThat(registry.searchModels(models, 0, 10).items()).extracting(d -> d.model().name()).containsExactly("a");
        assertThat(registry.modelDetail("a").latestVersions()).extracting(ModelVersion::version).containsExactly(3);
    }

    @Test
    void versionsAreFoundByTheMetricsRecordedAtRegistration() {
        registerWith("m", spec(Map.of("auc", 0.80)), Map.of("f", "1"));
        registerWith("m", spec(Map.of("auc", 0.91, "loss", 0.2)), Map.of("f", "2"));
        registerWith("m", spec(Map.of("auc", 0.95)), Map.of("f", "3"));
        registerWith("n", spec(Map.of("loss", 0.99)), Map.of("f", "4"));
        registry.setVersionTag(ME, "m", 3, "team", "risk");
        List<RegistryQuery.Sort> byVersion = List.of(new RegistryQuery.Sort(RegistryQuery.SortKey.VERSION, true));

        RegistryQuery good = new RegistryQuery(List.of(Condition.metric("auc", Condition.Op.GT, 0.9)), byVersion);
        assertThat(keys(registry.searchVersions(good, 0, 10).items())).containsExactly("m:2", "m:3");
        RegistryQuery exact = new RegistryQuery(List.of(Condition.metric("auc", Condition.Op.EQ, 0.8)), byVersion);
        assertThat(keys(registry.searchVersions(exact, 0, 10).items())).containsExactly("m:1");
        RegistryQuery notThat = new RegistryQuery(List.of(Condition.metric("auc", Condition.Op.NE, 0.8)), byVersion);
        assertThat(keys(registry.searchVersions(notThat, 0, 10).items()))
                .as("a version without the metric never matches").containsExactly("m:2", "m:3");
        RegistryQuery both = new RegistryQuery(List.of(Condition.metric("auc", Condition.Op.GE, 0.9),
                Condition.metric("loss", Condition.Op.LT, 0.5)), byVersion);
        assertThat(keys(registry.searchVersions(both, 0, 10).items())).containsExactly("m:2");
        RegistryQuery tagged = new RegistryQuery(List.of(Condition.tag("team", Condition.Op.EQ, "risk"),
                Condition.metric("auc", Condition.Op.GT, 0.9)), byVersion);
        assertThat(keys(registry.searchVersions(tagged, 0, 10).items())).containsExactly("m:3");
    }

    @Test
    void aSourceCairnDoesNotHoldIsAnUnverifiableExternalReference() throws Exception {
        register("fraud", "weights");
        ModelVersion external = registry.registerFromSource(ME, "fraud", external("s3://bucket/model", "nope", Map.of()));
        assertThat(external.status()).isEqualTo(VersionStatus.READY);
        assertThat(external.contentAddressed()).isFalse();
        assertThat(external.manifest().files()).isEmpty();
        assertThat(external.manifest().digest()).isNull();
        assertThat(RegistryService.downloadLocation(external)).isEqualTo("s3://bucket/model");
        assertThat(RegistryService.downloadLocation(registry.getVersion("fraud", 1)))
                .isEqualTo("mlflow-artifacts:/_cairn/models/fraud/1");

        VerifyReport report = registry.verify("fraud", null);
        assertThat(report.ok()).isTrue();
        assertThat(report.versions()).extracting(VerifyReport.VersionCheck::unverifiable).containsExactlyInAnyOrder(false, true);
        assertThat(report.versions()).filteredOn(VerifyReport.VersionCheck::unverifiable)
                .allSatisfy(c -> assertThat(c.ok()).isFalse());
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.registerFromSource(ME, "ghost", external("s3://x", null, Map.of())));
        assertThat(registry.getModel("fraud").lastVersion()).isEqualTo(2);
    }

    @Test
    void aCopyOfAnotherVersionSharesItsManifest() throws Exception {
        register("fraud", "weights");
        ModelVersion copy = registry.registerFromSource(ME, "fraud", external("models:/fraud/1", null, Map.of()));
        assertThat(copy.contentAddressed()).isTrue();
        assertThat(copy.manifest()).isEqualTo(registry.getVersion("fraud", 1).manifest());
        assertThat(registry.verify("fraud", 2).ok()).isTrue();
    }

    @Test
    void datasetDigestsMayBeShortHashesWhileSha256IsNormalised() {
        Lineage lineage = new Lineage(List.of(new Lineage.Dataset("tx", "s3://d/tx", null, "1a2b3c4d", null),
                new Lineage.Dataset("ty", "s3://d/ty", null, "F".repeat(64), null)), null, null, List.of(), null);
        ModelVersion draft = registry.createVersion(ME, "fraud", lineage(lineage), true);
        assertThat(draft.lineage().datasets()).extracting(Lineage.Dataset::digest)
                .containsExactly("1a2b3c4d", "sha256:" + "f".repeat(64));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.createVersion(ME, "fraud", lineage(new Lineage(
                List.of(new Lineage.Dataset("tz", null, null, "not a digest!", null)), null, null, List.of(), null)), true));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> registry.createVersion(ME, "fraud", lineage(new Lineage(
                List.of(new Lineage.Dataset("tz", null, null, "sha256:abc", null)), null, null, List.of(), null)), true));
        assertThat(registry.versionsUsingDataset("1a2b3c4d", 10, null).items()).hasSize(1);
    }

    private static NewVersion external(String source, String runId, Map<String, String> tags) {
        return new NewVersion(null, tags, null, null, null, null, source, runId, null, null);
    }

    private static List<String> keys(List<ModelVersion> versions) {
        return versions.stream().map(v -> v.modelName() + ":" + v.version()).toList();
    }

    static void assertRefused(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }


    private static List<VersionKey> keys(Page<ModelVersion> page) {
        return page.items().stream().map(v -> new VersionKey(v.modelName(), v.version())).toList();
    }
}
