package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.model.Signature;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionKey;
import dev.cairn.core.model.VersionStatus;
import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetadataStore} must do, run against a fresh, empty database per test. A subclass supplies the
 * database: {@link SqliteMetadataStoreTest}, {@link PostgresMetadataStoreTest}.
 */
public abstract class MetadataStoreContract {
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");
    static final String SHA_A = "a".repeat(64);
    static final String SHA_B = "b".repeat(64);

    protected MetadataStore store;

    /** A store over a new, empty database. */
    protected abstract MetadataStore newStore();

    @BeforeEach
    void open() {
        store = newStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    // --- models -------------------------------------------------------------------------------------------------

    @Test
    void insertedModelIsFoundWithItsTags() {
        RegisteredModel inserted = store.write((Tx tx) -> tx.insertModel("fraud", "finds fraud", Map.of("team", "risk"),
                "alice", T0));

        RegisteredModel found = store.read((Tx tx) -> tx.findModel("fraud")).orElseThrow();
        assertThat(found).isEqualTo(inserted);
        assertThat(found.description()).isEqualTo("finds fraud");
        assertThat(found.tags()).containsExactly(Map.entry("team", "risk"));
        assertThat(found.owner()).isEqualTo("alice");
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.lastVersion()).isZero();
        assertThat(found.generation()).isZero();
        assertThat(store.write((Tx tx) -> tx.lockModel("fraud"))).contains(found);
    }

    @Test
    void modelStampIsTheLiveModelsIdAndGeneration() {
        assertThat(store.modelStamp("fraud")).isEmpty();
        RegisteredModel model = store.write((Tx tx) -> tx.insertModel("fraud", "", Map.of(), "a", T0));
        assertThat(store.modelStamp("fraud")).contains(new MetadataStore.ModelStamp(model.id(), 0));
        store.write((Tx tx) -> {
            tx.touchModel(model.id(), T0);
            return null;
        });
        assertThat(store.modelStamp("fraud")).contains(new MetadataStore.ModelStamp(model.id(), 1));
        store.write((Tx tx) -> {
            tx.markModelDeleted(model.id(), T0);
            return null;
        });
        assertThat(store.modelStamp("fraud")).isEmpty();
        RegisteredModel again = store.write((Tx tx) -> tx.insertModel("fraud", "", Map.of(), "a", T0));
        assertThat(store.modelStamp("fraud")).map(MetadataStore.ModelStamp::id).contains(again.id());
        assertThat(again.id()).isNotEqualTo(model.id());
    }

    @Test
    void missingModelIsEmptyNotAnError() {
        assertThat(store.read((Tx tx) -> tx.findModel("nope"))).isEmpty();
        assertThat(store.write((Tx tx) -> tx.lockModel("nope"))).isEmpty();
    }

    @Test
    void namesAreCaseSensitive() {
        store.write((Tx tx) -> tx.insertModel("Fraud", "", Map.of(), "a", T0));
        store.write((Tx tx) -> tx.insertModel("fraud", "", Map.of(), "a", T0));
        assertThat(store.read((Tx tx) -> tx.findModel("FRAUD"))).isEmpty();
    }

    @Test
    void duplicateModelNameIsAlreadyExists() {
        store.write((Tx tx) -> tx.insertModel("fraud", "", Map.of(), "a", T0));

        assertThatThrownBy(() -> store.write((Tx tx) -> tx.insertModel("fraud", "", Map.of(), "b", T0)))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("model 'fraud' already exists");
                });
        assertThat(store.read((Tx tx) -> tx.findModel("fraud")).orElseThrow().owner()).isEqualTo("a");
    }

    @Test
    void descriptionAndTagsChange() {
        long id = model("m").id();
        store.write((Tx tx) -> {
            tx.updateModelDescription(id, "new text");
            tx.setModelTag(id, "k", "v1");
            tx.setModelTag(id, "k", "v2");
            tx.setModelTag(id, "other", "x");
            return null;
        });
        assertThat(store.write((Tx tx) -> tx.deleteModelTag(id, "other"))).isTrue();
        assertThat(store.write((Tx tx) -> tx.deleteModelTag(id, "other"))).isFalse();

        RegisteredModel found = store.read((Tx tx) -> tx.findModel("m")).orElseThrow();
        assertThat(found.description()).isEqualTo("new text");
        assertThat(found.tags()).containsExactly(Map.entry("k", "v2"));
    }

    @Test
    void touchBumpsGenerationAndUpdatedAt() {
        long id = model("m").id();
        store.write((Tx tx) -> {
            tx.touchModel(id, T0.plusSeconds(5));
            tx.touchModel(id, T0.plusSeconds(9));
            return null;
        });
        RegisteredModel found = store.read((Tx tx) -> tx.findModel("m")).orElseThrow();
        assertThat(found.generation()).isEqualTo(2);
        assertThat(found.updatedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void allocateVersionCountsUpOnTheModelRow() {
        long id = model("m").id();
        assertThat(store.write((Tx tx) -> tx.allocateVersion(id))).isEqualTo(1);
        assertThat(store.write((Tx tx) -> List.of(tx.allocateVersion(id), tx.allocateVersion(id)))).containsExactly(2, 3);
        assertThat(store.read((Tx tx) -> tx.findModel("m")).orElseThrow().lastVersion()).isEqualTo(3);
        long other = model("other").id();
        assertThat(store.write((Tx tx) -> tx.allocateVersion(other))).isEqualTo(1);
    }

    @Test
    void listModelsIsOrderedByNameFilteredAndPaged() {
        for (String name : List.of("delta", "Alpha", "charlie", "bravo", "echo_1", "echoX1")) {
            model(name);
        }
        store.write((Tx tx) -> {
            tx.setModelTag(tx.findModel("bravo").orElseThrow().id(), "k", "v");
            return null;
        });

        List<RegisteredModel> all = store.read((Tx tx) -> tx.listModels(null, null, 100));
        assertThat(all).extracting(RegisteredModel::name)
                .containsExactly("Alpha", "bravo", "charlie", "delta", "echoX1", "echo_1");
        assertThat(all.get(1).tags()).containsExactly(Map.entry("k", "v"));

        assertThat(store.read((Tx tx) -> tx.listModels(null, null, 2))).extracting(RegisteredModel::name)
                .containsExactly("Alpha", "bravo");
        assertThat(store.read((Tx tx) -> tx.listModels(null, "bravo", 2))).extracting(RegisteredModel::name)
                .containsExactly("charlie", "delta");
        assertThat(store.read((Tx tx) -> tx.listModels("ALPH", null, 10))).extracting(RegisteredModel::name)
                .containsExactly("Alpha");
        assertThat(store.read((Tx tx) -> tx.listModels("a", "bravo", 10))).extracting(RegisteredModel::name)
                .containsExactly("charlie", "delta");
        // LIKE wildcards in the filter are literal characters
        assertThat(store.read((Tx tx) -> tx.listModels("o_", null, 10))).extracting(RegisteredModel::name)
                .containsExactly("echo_1");
        assertThat(store.read((Tx tx) -> tx.listModels("%", null, 10))).isEmpty();
    }

    @Test
    void deletedModelIsHiddenAndFreesItsName() {
        RegisteredModel first = model("m");
        store.write((Tx tx) -> {
            tx.appendEvent(event("m", null, EventKind.MODEL_CREATED, Map.of()));
            tx.markModelDeleted(first.id(), T0.plusSeconds(1));
            return null;
        });

        assertThat(store.read((Tx tx) -> tx.findModel("m"))).isEmpty();
        assertThat(store.write((Tx tx) -> tx.lockModel("m"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.listModels(null, null, 10))).isEmpty();

        RegisteredModel second = model("m");
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.lastVersion()).isZero();
        assertThat(store.read((Tx tx) -> tx.events(EventFilter.of("m", List.of()), null, 10))).hasSize(1);
    }

    // --- versions -----------------------------------------------------------------------------------------------

    @Test
    void insertedVersionIsFoundWithEverythingItRecorded() {
        RegisteredModel parent = model("base");
        insertReady(parent, 1);
        RegisteredModel m = model("m");
        ModelVersion full = fullVersion(m, 1);
        store.write((Tx tx) -> {
            tx.allocateVersion(m.id());
            tx.insertVersion(full);
            return null;
        });

        ModelVersion found = store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow();
        assertThat(found).isEqualTo(full);
        assertThat(found.lineage().datasets()).extracting(Lineage.Dataset::uri)
                .containsExactly("s3://data/train", "s3://data/test");
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 2))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findVersion(parent.id(), 1)).orElseThrow().lineage())
                .isEqualTo(Lineage.EMPTY);
    }

    @Test
    void lineageWithPartsLeftOutReadsBackTheSame() {
        RegisteredModel m = model("m");
        Lineage sparse = new Lineage(List.of(new Lineage.Dataset(null, "file:/d", null, null, null)),
                new Lineage.Code(null, null, null, null, null), null, List.of(), null);
        ModelVersion version = draft(m, 1, VersionStatus.PENDING_REGISTRATION, sparse);
        store.write((Tx tx) -> {
            tx.insertVersion(version);
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow().lineage()).isEqualTo(sparse);
    }

    @Test
    void duplicateVersionIsAlreadyExists() {
        RegisteredModel m = model("m");
        insertReady(m, 1);
        assertThatThrownBy(() -> insertReady(m, 1))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("version 1 of model 'm' already exists");
                });
    }

    @Test
    void listVersionsIsNewestFirstFilteredAndPaged() {
        RegisteredModel m = model("m");
        for (int v = 1; v <= 6; v++) {
            insertReady(m, v);
        }
        store.write((Tx tx) -> {
            tx.updateVersionStatus(m.id(), 2, VersionStatus.DELETED, null, T0);
            tx.updateVersionStatus(m.id(), 5, VersionStatus.FAILED_REGISTRATION, null, T0);
            tx.setStage(m.id(), 3, Stage.PRODUCTION, T0);
            tx.setStage(m.id(), 4, Stage.PRODUCTION, T0);
            return null;
        });

        assertThat(versions(tx -> tx.listVersions(m.id(), null, null, null, 10))).containsExactly(6, 5, 4, 3, 1);
        assertThat(versions(tx -> tx.listVersions(m.id(), null, null, null, 2))).containsExactly(6, 5);
        assertThat(versions(tx -> tx.listVersions(m.id(), null, null, 5, 2))).containsExactly(4, 3);
        assertThat(versions(tx -> tx.listVersions(m.id(), null, null, 3, 2))).containsExactly(1);
        assertThat(versions(tx -> tx.listVersions(m.id(), VersionStatus.READY, null, null, 10)))
                .containsExactly(6, 4, 3, 1);
        assertThat(versions(tx -> tx.listVersions(m.id(), VersionStatus.DELETED, null, null, 10))).containsExactly(2);
        assertThat(versions(tx -> tx.listVersions(m.id(), null, Stage.PRODUCTION, null, 10))).containsExactly(4, 3);
        assertThat(versions(tx -> tx.listVersions(m.id(), VersionStatus.READY, Stage.NONE, 6, 10)))
                .containsExactly(1);
    }

    @Test
    void listedVersionsCarryTheirOwnChildRows() {
        RegisteredModel m = model("m");
        insertReady(m, 1);
        insertReady(m, 2);
        store.write((Tx tx) -> {
            tx.putFile(m.id(), 2, new FileEntry("extra.bin", 1, SHA_B));
            tx.setVersionTag(m.id(), 1, "only", "one");
            tx.setAlias(m.id(), "champion", 1);
            return null;
        });
        List<ModelVersion> listed = store.read((Tx tx) -> tx.listVersions(m.id(), null, null, null, 10));
        assertThat(listed.get(0).manifest().files()).extracting(FileEntry::path).containsExactly("extra.bin", "model.bin");
        assertThat(listed.get(0).tags()).doesNotContainKey("only");
        assertThat(listed.get(1).tags()).containsEntry("only", "one");
        assertThat(listed.get(1).aliases()).containsExactly("champion");
        assertThat(listed).allSatisfy(v -> assertThat(v.modelName()).isEqualTo("m"));
        assertThat(listed.get(1)).isEqualTo(store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow());
    }

    @Test
    void highestVersionAndVersionsInStage() {
        RegisteredModel m = model("m");
        assertThat(store.read((Tx tx) -> tx.highestVersion(m.id(), VersionStatus.READY))).isEmpty();
        for (int v = 1; v <= 4; v++) {
            insertReady(m, v);
        }
        store.write((Tx tx) -> {
            tx.updateVersionStatus(m.id(), 4, VersionStatus.DELETED, null, T0);
            tx.setStage(m.id(), 1, Stage.STAGING, T0);
            tx.setStage(m.id(), 3, Stage.STAGING, T0);
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.highestVersion(m.id(), VersionStatus.READY))).contains(3);
        assertThat(store.read((Tx tx) -> tx.highestVersion(m.id(), VersionStatus.DELETED))).contains(4);
        assertThat(store.read((Tx tx) -> tx.versionsInStage(m.id(), Stage.STAGING))).containsExactly(3, 1);
        assertThat(store.read((Tx tx) -> tx.versionsInStage(m.id(), Stage.PRODUCTION))).isEmpty();
    }

    @Test
    void versionStatusDescriptionTagsAndStageChange() {
        RegisteredModel m = model("m");
        store.write((Tx tx) -> {
            tx.insertVersion(draft(m, 1, VersionStatus.PENDING_REGISTRATION, Lineage.EMPTY));
            return null;
        });
        Instant later = T0.plusSeconds(60);
        store.write((Tx tx) -> {
            tx.updateVersionStatus(m.id(), 1, VersionStatus.READY, "sha256:" + SHA_B, later);
            tx.updateVersionDescription(m.id(), 1, "better", later);
            tx.setVersionTag(m.id(), 1, "k", "v1");
            tx.setVersionTag(m.id(), 1, "k", "v2");
            tx.setVersionTag(m.id(), 1, "gone", "x");
            tx.setStage(m.id(), 1, Stage.STAGING, later);
            return null;
        });
        assertThat(store.write((Tx tx) -> tx.deleteVersionTag(m.id(), 1, "gone"))).isTrue();
        assertThat(store.write((Tx tx) -> tx.deleteVersionTag(m.id(), 1, "gone"))).isFalse();

        ModelVersion found = store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow();
        assertThat(found.status()).isEqualTo(VersionStatus.READY);
        assertThat(found.manifest().digest()).isEqualTo("sha256:" + SHA_B);
        assertThat(found.description()).isEqualTo("better");
        assertThat(found.tags()).containsOnly(Map.entry("k", "v2"));
        assertThat(found.stage()).isEqualTo(Stage.STAGING);
        assertThat(found.updatedAt()).isEqualTo(later);
        assertThat(found.createdAt()).isEqualTo(T0);
    }

    // --- files --------------------------------------------------------------------------------------------------

    @Test
    void putFileAddsAndReplacesByPath() {
        RegisteredModel m = model("m");
        store.write((Tx tx) -> {
            tx.insertVersion(draft(m, 1, VersionStatus.PENDING_REGISTRATION, Lineage.EMPTY));
            tx.putFile(m.id(), 1, new FileEntry("b/weights.bin", 10, SHA_A));
            tx.putFile(m.id(), 1, new FileEntry("a.json", 2, SHA_A));
            tx.putFile(m.id(), 1, new FileEntry("b/weights.bin", 20, SHA_B));
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.findFile(m.id(), 1, "b/weights.bin"))).contains(new FileEntry("b/weights.bin", 20, SHA_B));
        assertThat(store.read((Tx tx) -> tx.findFile(m.id(), 1, "missing"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow().manifest().files())
                .containsExactly(new FileEntry("a.json", 2, SHA_A), new FileEntry("b/weights.bin", 20, SHA_B));
    }

    // --- aliases and pointer history ----------------------------------------------------------------------------

    @Test
    void aliasesPointAtOneVersionEach() {
        RegisteredModel m = model("m");
        insertReady(m, 1);
        insertReady(m, 2);
        store.write((Tx tx) -> {
            tx.setAlias(m.id(), "champion", 1);
            tx.setAlias(m.id(), "canary", 2);
            tx.setAlias(m.id(), "champion", 2);
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.aliases(m.id()))).containsExactly(Map.entry("canary", 2), Map.entry("champion", 2));
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 2)).orElseThrow().aliases()).containsExactly("canary", "champion");
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow().aliases()).isEmpty();

        assertThat(store.write((Tx tx) -> tx.deleteAlias(m.id(), "canary"))).isTrue();
        assertThat(store.write((Tx tx) -> tx.deleteAlias(m.id(), "canary"))).isFalse();
        assertThat(store.read((Tx tx) -> tx.aliases(m.id()))).containsExactly(Map.entry("champion", 2));
    }

    @Test
    void pointerHistoryKeepsEveryMoveOfOnePointerInOrderWithItsTime() {
        RegisteredModel m = model("m");
        Pointer production = Pointer.stage(Stage.PRODUCTION);
        Pointer champion = Pointer.alias("champion");
        List<Long> seqs = store.write((Tx tx) -> List.of(
                move(tx, m, production, 1, false, T0),
                move(tx, m, champion, 1, false, T0.plusSeconds(1)),
                move(tx, m, production, 2, false, T0.plusSeconds(2)),
                move(tx, m, production, null, false, T0.plusSeconds(3)),
                move(tx, m, production, 1, true, T0.plusSeconds(4))));

        assertThat(store.read((Tx tx) -> tx.pointerHistory(m.id(), production))).containsExactly(
                new PointerChange(seqs.get(0), production, 1, false, T0),
                new PointerChange(seqs.get(2), production, 2, false, T0.plusSeconds(2)),
                new PointerChange(seqs.get(3), production, null, false, T0.plusSeconds(3)),
                new PointerChange(seqs.get(4), production, 1, true, T0.plusSeconds(4)));
        assertThat(store.read((Tx tx) -> tx.pointerHistory(m.id(), champion)))
                .containsExactly(new PointerChange(seqs.get(1), champion, 1, false, T0.plusSeconds(1)));
        assertThat(store.read((Tx tx) -> tx.pointerHistory(model("other").id(), production))).isEmpty();
    }

    @Test
    void pointerChangesBeforeATimeCoverEveryPointerOfTheModelOldestFirst() {
        RegisteredModel m = model("m");
        RegisteredModel other = model("other");
        Pointer production = Pointer.stage(Stage.PRODUCTION);
        Pointer champion = Pointer.alias("champion");
        List<Long> seqs = store.write((Tx tx) -> List.of(
                move(tx, m, production, 1, false, T0),
                move(tx, other, production, 7, false, T0.plusSeconds(1)),
                move(tx, m, champion, 1, false, T0.plusSeconds(1)),
                move(tx, m, production, 2, false, T0.plusSeconds(2)),
                move(tx, m, champion, 2, false, T0.plusSeconds(3))));

        assertThat(store.read((Tx tx) -> tx.pointerChangesBefore(m.id(), T0.plusSeconds(2)))).containsExactly(
                new PointerChange(seqs.get(0), production, 1, false, T0),
                new PointerChange(seqs.get(2), champion, 1, false, T0.plusSeconds(1)));
        // "before" is exact below a millisecond: a move at T0+2s is before T0+2s and one nanosecond
        assertThat(store.read((Tx tx) -> tx.pointerChangesBefore(m.id(), T0.plusSeconds(2).plusNanos(1))))
                .extracting(PointerChange::eventSeq).containsExactly(seqs.get(0), seqs.get(2), seqs.get(3));
        assertThat(store.read((Tx tx) -> tx.pointerChangesBefore(m.id(), T0))).isEmpty();
    }

    /** Moves a pointer as the service does: an event at {@code time}, and the change that refers to it. */
    private static long move(Tx tx, RegisteredModel m, Pointer pointer, Integer version, boolean rollback,
                             Instant time) {
        long seq = tx.appendEvent(new Event(0, time, "alice", m.name(), version, EventKind.STAGE_TRANSITION, Map.of()));
        tx.appendPointerChange(m.id(), new PointerChange(seq, pointer, version, rollback));
        return seq;
    }

    // --- events -------------------------------------------------------------------------------------------------

    @Test
    void eventsAreAppendedWithGrowingSeqAndReadBackWhole() {
        Event first = event("m", null, EventKind.MODEL_CREATED, Map.of());
        Event second = event("m", 3, EventKind.STAGE_TRANSITION, Map.of("from", "None", "to", "Production",
                "comment", "ship it, \"quoted\" and ünïcode"));
        long s1 = store.write((Tx tx) -> tx.appendEvent(first));
        long s2 = store.write((Tx tx) -> tx.appendEvent(second));
        assertThat(s2).isGreaterThan(s1);

        List<Event> events = store.read((Tx tx) -> tx.events(EventFilter.ALL, null, 10));
        assertThat(events).containsExactly(
                new Event(s1, first.time(), "alice", "m", null, EventKind.MODEL_CREATED, Map.of()),
                new Event(s2, second.time(), "alice", "m", 3, EventKind.STAGE_TRANSITION, second.payload()));
    }

    @Test
    void theLastEventSeqIsZeroForAnEmptyLogThenTheNewestAppended() {
        assertThat(store.read((Tx tx) -> tx.lastEventSeq())).isZero();
        long s1 = store.write((Tx tx) -> tx.appendEvent(event("m", null, EventKind.MODEL_CREATED, Map.of())));
        assertThat(store.read((Tx tx) -> tx.lastEventSeq())).isEqualTo(s1);
        long s2 = store.write((Tx tx) -> tx.appendEvent(event("n", null, EventKind.MODEL_CREATED, Map.of())));
        assertThat(store.read((Tx tx) -> tx.lastEventSeq())).isEqualTo(s2).isGreaterThan(s1);
    }

    @Test
    void eventsAreFilteredByModelKindsAndPagedBySeq() {
        List<Long> seqs = new ArrayList<>();
        store.write((Tx tx) -> {
            seqs.add(tx.appendEvent(event("a", null, EventKind.MODEL_CREATED, Map.of())));
            seqs.add(tx.appendEvent(event("b", null, EventKind.MODEL_CREATED, Map.of())));
            seqs.add(tx.appendEvent(event("a", 1, EventKind.VERSION_CREATED, Map.of())));
            seqs.add(tx.appendEvent(event("a", 1, EventKind.STAGE_TRANSITION, Map.of())));
            seqs.add(tx.appendEvent(event("a", 1, EventKind.ALIAS_SET, Map.of())));
            return null;
        });
        assertThat(seqOf(store.read((Tx tx) -> tx.events(EventFilter.of("a", List.of()), null, 10))))
                .containsExactly(seqs.get(0), seqs.get(2), seqs.get(3), seqs.get(4));
        assertThat(seqOf(store.read((Tx tx) -> tx.events(EventFilter.of("a", List.of()), null, 2)))).containsExactly(seqs.get(0), seqs.get(2));
        assertThat(seqOf(store.read((Tx tx) -> tx.events(EventFilter.of("a", List.of()), seqs.get(2), 2))))
                .containsExactly(seqs.get(3), seqs.get(4));
        assertThat(seqOf(store.read((Tx tx) -> tx.events(EventFilter.of(null, List.of(EventKind.MODEL_CREATED, EventKind.ALIAS_SET)), null, 10))))
                .containsExactly(seqs.get(0), seqs.get(1), seqs.get(4));
        assertThat(seqOf(store.read((Tx tx) -> tx.events(EventFilter.of("b", List.of(EventKind.ALIAS_SET)), null, 10)))).isEmpty();
        assertThat(seqOf(store.read((Tx tx) -> tx.events(EventFilter.ALL, seqs.get(4), 10)))).isEmpty();
    }

    @Test
    void eventsAreFilteredByActorAndTime() {
        List<Long> seqs = store.write((Tx tx) -> List.of(
                tx.appendEvent(new Event(0, T0, "alice", "a", null, EventKind.MODEL_CREATED, Map.of())),
                tx.appendEvent(new Event(0, T0.plusSeconds(1), "bob", "a", 1, EventKind.VERSION_CREATED, Map.of())),
                tx.appendEvent(new Event(0, T0.plusSeconds(2), "alice", "b", null, EventKind.MODEL_CREATED, Map.of())),
                tx.appendEvent(new Event(0, T0.plusSeconds(3), "bob", "b", null, EventKind.USER_CREATED, Map.of())),
                tx.appendEvent(new Event(0, T0.plusSeconds(4), null, null, null, EventKind.POLICY_SET, Map.of()))));

        assertThat(seqOf(events(new EventFilter(null, "bob", List.of(), null, null))))
                .containsExactly(seqs.get(1), seqs.get(3));
        assertThat(seqOf(events(new EventFilter("b", "bob", List.of(), null, null)))).containsExactly(seqs.get(3));
        assertThat(seqOf(events(new EventFilter(null, "alice", List.of(EventKind.MODEL_CREATED), null, null))))
                .containsExactly(seqs.get(0), seqs.get(2));
        // since is inclusive, until exclusive
        assertThat(seqOf(events(new EventFilter(null, null, List.of(), T0.plusSeconds(1), T0.plusSeconds(3)))))
                .containsExactly(seqs.get(1), seqs.get(2));
        assertThat(seqOf(events(new EventFilter(null, null, List.of(), T0.plusSeconds(3), null))))
                .containsExactly(seqs.get(3), seqs.get(4));
        assertThat(seqOf(events(new EventFilter(null, null, List.of(), null, T0.plusSeconds(1)))))
                .containsExactly(seqs.get(0));
        // below a millisecond too: the event at T0+1s is before T0+1s and one nanosecond, not at or after it
        assertThat(seqOf(events(new EventFilter(null, null, List.of(), null, T0.plusSeconds(1).plusNanos(1)))))
                .containsExactly(seqs.get(0), seqs.get(1));
        assertThat(seqOf(events(new EventFilter(null, null, List.of(), T0.plusSeconds(1).plusNanos(1), null))))
                .containsExactly(seqs.get(2), seqs.get(3), seqs.get(4));
        assertThat(seqOf(events(new EventFilter(null, "carol", List.of(), null, null)))).isEmpty();
    }

    private List<Event> events(EventFilter filter) {
        return store.read((Tx tx) -> tx.events(filter, null, 100));
    }

    // --- reverse lineage ----------------------------------------------------------------------------------------

    @Test
    void versionsUsingDatasetMatchUriNameOrDigest() {
        String digest = "c".repeat(64);
        RegisteredModel m = model("m");
        RegisteredModel n = model("n");
        insertWithLineage(m, 1, datasets(new Lineage.Dataset("census", "s3://d/census", "3", "sha256:" + digest, null)));
        insertWithLineage(m, 2, datasets(new Lineage.Dataset("other", "s3://d/other", null, null, null)));
        insertWithLineage(n, 1, datasets(new Lineage.Dataset("census", null, null, null, null),
                new Lineage.Dataset(null, "s3://d/census", null, null, Lineage.DatasetRole.TEST)));
        insertWithLineage(m, 3, datasets(new Lineage.Dataset(null, "s3://d/census", null, null, null)));

        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset("s3://d/census", null, 10)))
                .containsExactly(key("m", 1), key("m", 3), key("n", 1));
        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset("census", null, 10))).containsExactly(key("m", 1), key("n", 1));
        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset("sha256:" + digest, null, 10))).containsExactly(key("m", 1));
        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset(digest, null, 10))).containsExactly(key("m", 1));
        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset("s3://d/census", key("m", 1), 1))).containsExactly(key("m", 3));
        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset("s3://d/census", key("m", 3), 10))).containsExactly(key("n", 1));
        assertThat(store.read((Tx tx) -> tx.versionsUsingDataset("unknown", null, 10))).isEmpty();
    }

    @Test
    void versionsFromCommitMatchAPrefixIgnoringCase() {
        RegisteredModel m = model("m");
        insertWithLineage(m, 1, code("ABCDEF0123"));
        insertWithLineage(m, 2, code("abcd9999"));
        insertWithLineage(m, 3, code("abce0000"));
        insertWithLineage(m, 4, code(null));

        assertThat(store.read((Tx tx) -> tx.versionsFromCommit("abcd", null, 10))).containsExactly(key("m", 1), key("m", 2));
        assertThat(store.read((Tx tx) -> tx.versionsFromCommit("abcdef0123", null, 10))).containsExactly(key("m", 1));
        assertThat(store.read((Tx tx) -> tx.versionsFromCommit("abcd", key("m", 1), 10))).containsExactly(key("m", 2));
        assertThat(store.read((Tx tx) -> tx.versionsFromCommit("ffff", null, 10))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 1)).orElseThrow().lineage().code().commit())
                .isEqualTo("ABCDEF0123");
    }

    @Test
    void versionsDerivedFromAParent() {
        RegisteredModel base = model("base");
        insertReady(base, 1);
        insertReady(base, 2);
        RegisteredModel a = model("a");
        RegisteredModel b = model("b");
        insertWithLineage(b, 1, parents(new Lineage.Parent("base", 1, "fine-tuned-from")));
        insertWithLineage(a, 1, parents(new Lineage.Parent("base", 1, "distilled-from")));
        insertWithLineage(a, 2, parents(new Lineage.Parent("base", 2, null), new Lineage.Parent("b", 1, "merged")));

        assertThat(store.read((Tx tx) -> tx.versionsDerivedFrom(key("base", 1), null, 10))).containsExactly(key("a", 1), key("b", 1));
        assertThat(store.read((Tx tx) -> tx.versionsDerivedFrom(key("base", 1), key("a", 1), 10))).containsExactly(key("b", 1));
        assertThat(store.read((Tx tx) -> tx.versionsDerivedFrom(key("b", 1), null, 10))).containsExactly(key("a", 2));
        assertThat(store.read((Tx tx) -> tx.versionsDerivedFrom(key("base", 3), null, 10))).isEmpty();
    }

    @Test
    void reverseLineageLeavesOutDeletedVersionsAndModels() {
        RegisteredModel m = model("m");
        RegisteredModel gone = model("gone");
        insertWithLineage(m, 1, code("abcdef"));
        insertWithLineage(m, 2, code("abcdef"));
        insertWithLineage(gone, 1, code("abcdef"));
        store.write((Tx tx) -> {
            tx.updateVersionStatus(m.id(), 1, VersionStatus.DELETED, null, T0);
            tx.markModelDeleted(gone.id(), T0);
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.versionsFromCommit("abcdef", null, 10))).containsExactly(key("m", 2));
    }

    @Test
    void readyVersionsListsEveryReadyVersionOfLiveModels() {
        RegisteredModel b = model("b");
        RegisteredModel a = model("a");
        RegisteredModel gone = model("gone");
        insertReady(b, 1);
        insertReady(a, 1);
        insertReady(a, 2);
        insertReady(a, 3);
        insertReady(gone, 1);
        store.write((Tx tx) -> {
            tx.insertVersion(draft(b, 2, VersionStatus.PENDING_REGISTRATION, Lineage.EMPTY));
            tx.updateVersionStatus(a.id(), 2, VersionStatus.DELETED, null, T0);
            tx.markModelDeleted(gone.id(), T0);
            return null;
        });
        assertThat(store.read((Tx tx) -> tx.readyVersions(null, 10))).containsExactly(key("a", 1), key("a", 3), key("b", 1));
        assertThat(store.read((Tx tx) -> tx.readyVersions(null, 1))).containsExactly(key("a", 1));
        assertThat(store.read((Tx tx) -> tx.readyVersions(key("a", 1), 10))).containsExactly(key("a", 3), key("b", 1));
    }

    // --- transactions -------------------------------------------------------------------------------------------

    @Test
    void aWriteThatThrowsLeavesNothing() {
        RegisteredModel m = model("m");
        RuntimeException failure = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.write((Tx tx) -> {
            tx.insertModel("other", "", Map.of("k", "v"), "a", T0);
            tx.allocateVersion(m.id());
            tx.insertVersion(fullVersion(m, 1));
            tx.setModelTag(m.id(), "k", "v");
            tx.touchModel(m.id(), T0.plusSeconds(1));
            tx.appendEvent(event("m", 1, EventKind.VERSION_CREATED, Map.of()));
            throw failure;
        })).isSameAs(failure);

        assertThat(store.read((Tx tx) -> tx.findModel("other"))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.findModel("m"))).contains(m);
        assertThat(store.read((Tx tx) -> tx.findVersion(m.id(), 1))).isEmpty();
        assertThat(store.read((Tx tx) -> tx.events(EventFilter.ALL, null, 10))).isEmpty();
        // the store is usable afterwards
        assertThat(store.write((Tx tx) -> tx.allocateVersion(m.id()))).isEqualTo(1);
    }

    @Test
    void aFailedStatementRollsBackTheStatementsBeforeIt() {
        model("m");
        assertThatThrownBy(() -> store.write((Tx tx) -> {
            tx.insertModel("new", "", Map.of(), "a", T0);
            return tx.insertModel("m", "", Map.of(), "a", T0);
        })).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThat(store.read((Tx tx) -> tx.findModel("new"))).isEmpty();
    }

    @Test
    void foreignKeysAreEnforced() {
        RegisteredModel ghost = new RegisteredModel(9999, "ghost", "", Map.of(), "a", T0, T0, 0, 0);
        assertThatThrownBy(() -> store.write((Tx tx) -> {
            tx.insertVersion(draft(ghost, 1, VersionStatus.READY, Lineage.EMPTY));
            return null;
        })).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
        });
    }

    @Test
    void aWriteInsideAWriteIsRefusedAtOnce() {
        assertThatThrownBy(() -> store.write((Tx outer) -> store.write((Tx inner) -> inner.findModel("m"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.write((Tx tx) -> tx.findModel("m"))).isEmpty();
    }

    @Test
    void namesSortByTheirBytesAndLikeIsCaseSensitiveWithoutAnEscapeCharacter() {
        for (String name : List.of("alpha", "Beta", "a\\b", "ab_c", "\u00e9t\u00e9")) {
            model(name);
        }
        assertThat(store.read((Tx tx) -> tx.listModels(null, null, 10))).extracting(RegisteredModel::name)
                .containsExactly("Beta", "a\\b", "ab_c", "alpha", "\u00e9t\u00e9");
        assertThat(modelsWhereName(Condition.Op.LIKE, "a%")).containsExactly("a\\b", "ab_c", "alpha");
        assertThat(modelsWhereName(Condition.Op.LIKE, "b%")).isEmpty();
        assertThat(modelsWhereName(Condition.Op.ILIKE, "b%")).containsExactly("Beta");
        // a backslash is an ordinary character, as in MLflow's patterns
        assertThat(modelsWhereName(Condition.Op.LIKE, "a\\%")).containsExactly("a\\b");
        assertThat(modelsWhereName(Condition.Op.LIKE, "a_c")).isEmpty();
        assertThat(modelsWhereName(Condition.Op.LIKE, "ab_c")).containsExactly("ab_c");
    }

    private List<String> modelsWhereName(Condition.Op op, String text) {
        RegistryQuery query = new RegistryQuery(List.of(Condition.text(Condition.Field.MODEL_NAME, op, text)), List.of());
        return store.read((Tx tx) -> tx.searchModels(query, 0, 10)).stream().map(RegisteredModel::name).toList();
    }

    @Test
    void aReadSeesOneSnapshotWhileAWriteCommits() throws Exception {
        long id = model("m").id();
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<List<Long>> generations = reader.submit(() -> store.read((Tx tx) -> {
                long before = tx.findModel("m").orElseThrow().generation();
                firstRead.countDown();
                await(written);
                return List.of(before, tx.findModel("m").orElseThrow().generation());
            }));
            await(firstRead);
            store.write((Tx tx) -> {
                tx.touchModel(id, T0);
                return null;
            });
            written.countDown();
            assertThat(generations.get(10, TimeUnit.SECONDS)).containsExactly(0L, 0L);
            assertThat(store.read((Tx tx) -> tx.findModel("m")).orElseThrow().generation()).isEqualTo(1);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void concurrentWritersQueueAndEachSeesTheOthersCommits() throws Exception {
        long id = model("m").id();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> numbers = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                numbers.add(pool.submit(() -> store.write((Tx tx) -> {
                    int number = tx.allocateVersion(id);
                    tx.insertVersion(draft(tx.findModel("m").orElseThrow(), number, VersionStatus.READY, Lineage.EMPTY));
                    tx.touchModel(id, T0);
                    return number;
                })));
            }
            List<Integer> allocated = new ArrayList<>();
            for (Future<Integer> number : numbers) {
                allocated.add(number.get(30, TimeUnit.SECONDS));
            }
            Collections.sort(allocated);
            assertThat(allocated).isEqualTo(IntStream.rangeClosed(1, 80).boxed().toList());
            RegisteredModel m = store.read((Tx tx) -> tx.findModel("m")).orElseThrow();
            assertThat(m.lastVersion()).isEqualTo(80);
            assertThat(m.generation()).isEqualTo(80);
        } finally {
            pool.shutdownNow();
        }
    }

    // --- fixtures -----------------------------------------------------------------------------------------------

    RegisteredModel model(String name) {
        return store.write((Tx tx) -> tx.insertModel(name, "", Map.of(), "alice", T0));
    }

    void insertReady(RegisteredModel m, int version) {
        insertWithLineage(m, version, Lineage.EMPTY);
    }

    void insertWithLineage(RegisteredModel m, int version, Lineage lineage) {
        store.write((Tx tx) -> {
            tx.insertVersion(draft(m, version, VersionStatus.READY, lineage)
                    .withManifest(Manifest.of(List.of(new FileEntry("model.bin", 3, SHA_A)))));
            return null;
        });
    }

    static ModelVersion draft(RegisteredModel m, int version, VersionStatus status, Lineage lineage) {
        return new ModelVersion(m.id(), m.name(), version, status, Stage.NONE, List.of(), "", Map.of(), Map.of(),
                Map.of(), null, null, null, null, lineage, null, "alice", T0, T0, true, null, null);
    }

    static ModelVersion fullVersion(RegisteredModel m, int version) {
        Lineage lineage = new Lineage(
                List.of(new Lineage.Dataset("train", "s3://data/train", "v3", "sha256:" + "d".repeat(64),
                                Lineage.DatasetRole.TRAIN),
                        new Lineage.Dataset("test", "s3://data/test", null, null, Lineage.DatasetRole.TEST)),
                new Lineage.Code("https://git.example/repo", "0123abcd", "main", "train.py", false),
                new Lineage.Run("run-7", "mlflow://runs/7"),
                List.of(new Lineage.Parent("base", 1, "fine-tuned-from")),
                new Lineage.Environment("python 3.12", List.of("torch==2.4", "numpy"), "sha256:" + "e".repeat(64)));
        Signature signature = new Signature(List.of(new Signature.Column("x", "double", false),
                new Signature.Column("hint", "string", true)), List.of(new Signature.Column("score", "float", false)));
        return new ModelVersion(m.id(), m.name(), version, VersionStatus.READY, Stage.NONE, List.of(), "first cut",
                Map.of("owner", "risk", "lang", "py"), Map.of("auc", 0.91, "loss", 1.5e-3),
                Map.of("lr", "0.01", "epochs", "10"), signature, "onnx", "s3://bucket/run-7", "run-7", lineage,
                Manifest.of(List.of(new FileEntry("weights/model.onnx", 1234, SHA_A),
                        new FileEntry("config.json", 12, SHA_B))),
                "alice", T0, T0.plusMillis(1), true, "https://runs.example/7", "s3://bucket/run-7");
    }

    static Lineage datasets(Lineage.Dataset... datasets) {
        return new Lineage(List.of(datasets), null, null, List.of(), null);
    }

    static Lineage code(String commit) {
        return new Lineage(List.of(), new Lineage.Code("repo", commit, null, null, null), null, List.of(), null);
    }

    static Lineage parents(Lineage.Parent... parents) {
        return new Lineage(List.of(), null, null, List.of(parents), null);
    }

    static Event event(String model, Integer version, EventKind kind, Map<String, String> payload) {
        return new Event(0, T0, "alice", model, version, kind, payload);
    }

    static VersionKey key(String model, int version) {
        return new VersionKey(model, version);
    }

    List<Integer> versions(java.util.function.Function<MetadataStore.Tx, List<ModelVersion>> query) {
        return store.read(query).stream().map(ModelVersion::version).toList();
    }

    static List<Long> seqOf(List<Event> events) {
        return events.stream().map(Event::seq).toList();
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
