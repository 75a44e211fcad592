package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.store.MetadataStore.Tx;
import dev.cairn.core.tracking.Artifact;
import dev.cairn.core.tracking.ArtifactEntry;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.LoggedMetric;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunQuery;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SearchRules;
import dev.cairn.core.tracking.ViewType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking tables on a real database, one fresh database per test: {@link SqliteTrackingStoreTest},
 * {@link PostgresTrackingStoreTest}.
 */
abstract class TrackingStoreContract {
    @TempDir
    Path dir;
    JdbcMetadataStore store;

    /** A store over this test's database: a fresh, empty one on the first call, the same one again after. */
    abstract JdbcMetadataStore openStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void defaultExperimentExistsAndIdsCountFromOne() {
        Experiment fallback = read((Tx tx) -> tx.findExperiment("0")).orElseThrow();
        assertThat(fallback.name()).isEqualTo("Default");
        assertThat(fallback.artifactLocation()).isEqualTo("mlflow-artifacts:/0");
        assertThat(fallback.creationTime()).isGreaterThan(1_600_000_000_000L);
        String id = written((Tx tx) -> tx.insertExperiment("e", null, Map.of("k", "v"), 5));
        assertThat(id).isEqualTo("1");
        Experiment e = read((Tx tx) -> tx.findExperimentByName("e")).orElseThrow();
        assertThat(e).isEqualTo(new Experiment("1", "e", "mlflow-artifacts:/1", false, 5, 5, Map.of("k", "v")));
        assertThat(read((Tx tx) -> tx.findExperiment("x1"))).isEmpty();
    }

    @Test
    void experimentNamesStayUniqueAcrossDeletionAndRenames() {
        String id = written((Tx tx) -> tx.insertExperiment("e", "s3://bucket/e", Map.of(), 1));
        write(tx -> tx.setExperimentDeleted(id, true, 2));
        assertThatThrownBy(() -> written((Tx tx) -> tx.insertExperiment("e", null, Map.of(), 3)))
                .isInstanceOfSatisfying(RegistryException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        written((Tx tx) -> tx.insertExperiment("f", null, Map.of(), 3));
        assertThatThrownBy(() -> write(tx -> tx.renameExperiment(id, "f", 4)))
                .isInstanceOfSatisfying(RegistryException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
        assertThat(read((Tx tx) -> tx.findExperiment(id)).orElseThrow().artifactLocation()).isEqualTo("s3://bucket/e");
    }

    @Test
    void restoringAnExperimentRevivesOnlyTheRunsDeletedWithIt() {
        String id = written((Tx tx) -> tx.insertExperiment("e", null, Map.of(), 1));
        write(tx -> {
            tx.insertRun(run("a", id));
            tx.insertRun(run("b", id));
            tx.setRunDeleted("a", true);
            tx.setExperimentDeleted(id, true, 2);
        });
        assertThat(read((Tx tx) -> tx.findRunInfo("b")).orElseThrow().deleted()).isTrue();
        write(tx -> tx.setExperimentDeleted(id, false, 3));
        assertThat(read((Tx tx) -> tx.findRunInfo("a")).orElseThrow().deleted()).isTrue();
        assertThat(read((Tx tx) -> tx.findRunInfo("b")).orElseThrow().deleted()).isFalse();
    }

    @Test
    void metricHistoryKeepsLoggingOrderDropsRepeatsAndTracksTheLatestValue() {
        String id = written((Tx tx) -> tx.insertExperiment("e", null, Map.of(), 1));
        write(tx -> {
            tx.insertRun(run("r", id));
            tx.logMetrics("r", List.of(new Metric("m", 1.0, 1000, 1), new Metric("m", 2.0, 2000, -5),
                    new Metric("m", -3.0, 3000, 4)));
            tx.logMetrics("r", List.of(new Metric("m", 4.0, 2999, 4), new Metric("m", 1.0, 1000, 1),
                    new Metric("n", Double.NaN, 1, 0), new Metric("i", Double.POSITIVE_INFINITY, 1, 0)));
        });
        List<LoggedMetric> history = read((Tx tx) -> tx.metricHistory("r", "m", 0, 10));
        assertThat(history).extracting(p -> p.metric().timestamp()).containsExactly(1000L, 2000L, 3000L, 2999L);
        List<LoggedMetric> page = read((Tx tx) -> tx.metricHistory("r", "m", history.get(1).seq(), 1));
        assertThat(page).extracting(p -> p.metric().value()).containsExactly(-3.0);

        Map<String, Double> latest = new HashMap<>();
        read((Tx tx) -> tx.findRun("r")).orElseThrow().latestMetrics().forEach(m -> latest.put(m.key(), m.value()));
        assertThat(latest.get("m")).isEqualTo(-3.0);
        assertThat(latest.get("n")).isNaN();
        assertThat(latest.get("i")).isInfinite();
    }

    @Test
    void runsRoundTripWithParamsTagsAndInputs() {
        String id = written((Tx tx) -> tx.insertExperiment("e", null, Map.of(), 1));
        write(tx -> {
            tx.insertRun(run("r", id));
            tx.insertParams("r", Map.of("a", "1"));
            tx.insertParams("r", Map.of("a", "changed", "b", "2"));
            tx.setRunTags("r", Map.of("t", "x"));
            tx.setRunTags("r", Map.of("t", "y"));
            DatasetInput iris = new DatasetInput("iris", "d1", "local", "/iris.csv", null, null,
                    Map.of("mlflow.data.context", "train"));
            tx.insertInputs("r", List.of(iris, iris));
            tx.updateRun("r", RunStatus.FINISHED, 99L, "renamed");
        });
        Run run = read((Tx tx) -> tx.findRun("r")).orElseThrow();
        assertThat(run.params()).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(run.tags()).containsEntry("t", "y");
        assertThat(run.inputs()).hasSize(1);
        assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.endTime()).isEqualTo(99L);
        assertThat(run.name()).isEqualTo("renamed");
        assertThat(read((Tx tx) -> tx.params("r", List.of("a", "zzz")))).isEqualTo(Map.of("a", "1"));
        assertThat(written((Tx tx) -> tx.deleteRunTag("r", "t"))).isTrue();
        assertThat(read((Tx tx) -> tx.findRun("missing"))).isEmpty();
    }

    @Test
    void searchRunsTranslatesFiltersAndOrderings() {
        String id = written((Tx tx) -> tx.insertExperiment("e", null, Map.of(), 1));
        write(tx -> {
            for (int i = 0; i < 4; i++) {
                tx.insertRun(new Run("r" + i, id, "Run_" + i, "u", RunStatus.RUNNING, i, null, "x", false, List.of(),
                        Map.of(), Map.of(), List.of()));
                tx.logMetrics("r" + i, List.of(new Metric("acc", i / 10.0, 1, 0)));
                tx.insertParams("r" + i, Map.of("p", i % 2 == 0 ? "even" : "odd"));
            }
            tx.setRunTags("r3", Map.of("note", "100% [sure]*"));
        });
        assertThat(search(id, "metrics.acc > 0.15", List.of())).containsExactly("r3", "r2");
        assertThat(search(id, "params.p = 'even'", List.of("metrics.acc ASC"))).containsExactly("r0", "r2");
        assertThat(search(id, "tags.note LIKE '100% [sure]*'", List.of())).containsExactly("r3");
        assertThat(search(id, "tags.note LIKE '100%[Sure]%'", List.of())).isEmpty();
        assertThat(search(id, "tags.note ILIKE '100%[Sure]%'", List.of())).containsExactly("r3");
        assertThat(search(id, "attributes.run_name LIKE 'Run_%'", List.of())).hasSize(4);
        assertThat(search(id, "", List.of("tags.note DESC", "start_time ASC"))).containsExactly("r3", "r0", "r1", "r2");
        assertThat(read((Tx tx) -> tx.searchRuns(SearchRules.runs(List.of(id), "", List.of(), ViewType.ALL), 1, 2)))
                .extracting(Run::id).containsExactly("r2", "r1");
    }

    @Test
    void artifactListingsSeekPastSubdirectoriesAndStayInsideTheirPrefix() {
        write(tx -> {
            for (String path : List.of("1/r/artifacts/model/MLmodel", "1/r/artifacts/model/data/w.bin",
                    "1/r/artifacts/model.txt", "1/r/artifacts/model0", "1/r/artifacts/a.json", "1/r/artifactsX/other",
                    "1/r2/artifacts/x", "_cairn/models/m/1/MLmodel")) {
                tx.putArtifact(new Artifact(path, path.length(), "sha-" + path.length()), 1);
            }
            for (int i = 0; i < 2500; i++) {
                tx.putArtifact(new Artifact("1/r/artifacts/many/f" + i, 1, "s"), 1);
            }
        });
        assertThat(read((Tx tx) -> tx.artifactChildren("1/r/artifacts/"))).containsExactly(
                new ArtifactEntry("a.json", false, 20), new ArtifactEntry("many", true, 0),
                new ArtifactEntry("model", true, 0), new ArtifactEntry("model.txt", false, 23),
                new ArtifactEntry("model0", false, 20));
        assertThat(read((Tx tx) -> tx.artifactChildren("1/r/artifacts/many/"))).hasSize(2500);
        assertThat(read((Tx tx) -> tx.artifactChildren(""))).extracting(ArtifactEntry::name)
                .containsExactly("1", "_cairn");
        assertThat(read((Tx tx) -> tx.artifactsUnder("1/r/artifacts/model/", null, 10)))
                .extracting(Artifact::path).containsExactly("1/r/artifacts/model/MLmodel", "1/r/artifacts/model/data/w.bin");
        assertThat(read((Tx tx) -> tx.artifactsUnder("1/r/artifacts/model/", "1/r/artifacts/model/MLmodel", 10)))
                .extracting(Artifact::path).containsExactly("1/r/artifacts/model/data/w.bin");
        assertThat(read((Tx tx) -> tx.artifactsUnder("", null, 2))).extracting(Artifact::path)
                .containsExactly("1/r/artifacts/a.json", "1/r/artifacts/many/f0");

        write(tx -> tx.putArtifact(new Artifact("1/r/artifacts/model.txt", 7, "new"), 2));
        assertThat(read((Tx tx) -> tx.findArtifact("1/r/artifacts/model.txt"))).contains(
                new Artifact("1/r/artifacts/model.txt", 7, "new"));
        assertThat(written((Tx tx) -> tx.deleteArtifacts("1/r/artifacts/model"))).isEqualTo(2);
        assertThat(read((Tx tx) -> tx.findArtifact("1/r/artifacts/model0"))).isPresent();
        assertThat(read((Tx tx) -> tx.findArtifact("1/r/artifacts/model.txt"))).isPresent();
    }

    @Test
    void trackingDataSurvivesAReopen() {
        String id = written((Tx tx) -> tx.insertExperiment("kept", null, Map.of(), 1));
        write(tx -> tx.insertRun(run("r", id)));
        store.close();
        store = openStore();
        assertThat(read((Tx tx) -> tx.findRun("r")).orElseThrow().experimentId()).isEqualTo(id);
    }

    private List<String> search(String experimentId, String filter, List<String> orderBy) {
        RunQuery query = SearchRules.runs(List.of(experimentId), filter, orderBy, ViewType.ACTIVE_ONLY);
        return read((Tx tx) -> tx.searchRuns(query, 0, 100)).stream().map(Run::id).toList();
    }

    private <T> T read(Function<Tx, T> work) {
        return store.read(work);
    }

    private <T> T written(Function<Tx, T> work) {
        return store.write(work);
    }

    private void write(Consumer<Tx> work) {
        store.write(tx -> {
            work.accept(tx);
            return null;
        });
    }

    private static Run run(String id, String experimentId) {
        return new Run(id, experimentId, id, "u", RunStatus.RUNNING, 0, null, "mlflow-artifacts:/" + experimentId + "/"
                + id + "/artifacts", false, List.of(), Map.of(), Map.of("mlflow.runName", id), List.of());
    }
}
