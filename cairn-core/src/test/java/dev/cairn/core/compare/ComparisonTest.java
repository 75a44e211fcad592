package dev.cairn.core.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Signature;
import dev.cairn.core.model.Signature.Column;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static ModelVersion version(int n, Map<String, Double> metrics, Map<String, String> params, String commit,
                                        List<Lineage.Dataset> datasets, List<FileEntry> files, Signature signature) {
        Lineage lineage = new Lineage(datasets, new Lineage.Code("repo", commit, "main", null, false), null, List.of(), null);
        return new ModelVersion(1, "fraud", n, VersionStatus.READY, Stage.NONE, List.of(), "", Map.of(), metrics, params,
                signature, "onnx", null, null, lineage, Manifest.of(files), "me", Instant.EPOCH, Instant.EPOCH,
                true, null, null);
    }

    private static final Lineage.Dataset TRAIN_V1 = new Lineage.Dataset("tx", "s3://d/tx", "1", null, Lineage.DatasetRole.TRAIN);
    private static final Lineage.Dataset TRAIN_V2 = new Lineage.Dataset("tx", "s3://d/tx", "2", null, Lineage.DatasetRole.TRAIN);
    private static final Signature SIG = new Signature(List.of(new Column("amount", "double", false)),
            List.of(new Column("score", "double", false)));

    @Test
    void metricsGetAbsoluteAndRelativeDeltasAgainstTheBaseline() {
        Comparison c = Comparison.of(List.of(
                version(1, Map.of("auc", 0.80, "loss", 0.5), Map.of("lr", "0.1"), "abc", List.of(TRAIN_V1), List.of(new FileEntry("m", 10, A)), SIG),
                version(2, Map.of("auc", 0.88), Map.of("lr", "0.1"), "abc", List.of(TRAIN_V1), List.of(new FileEntry("m", 10, A)), SIG)));

        Comparison.MetricRow auc = c.metrics().get(0);
        assertThat(auc.name()).isEqualTo("auc");
        assertThat(auc.deltas().get(1)).isCloseTo(0.08, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(auc.relativeDeltas().get(1)).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-9));
        Comparison.MetricRow loss = c.metrics().get(1);
        assertThat(loss.values()).containsExactly(0.5, null);
        assertThat(loss.deltas()).containsExactly(0.0, null);
        assertThat(c.params().get(0).differs()).isFalse();
        assertThat(c.files().get(0).identical()).isTrue();
        assertThat(c.signatures().get(0).identical()).isTrue();
        assertThat(c.lineage().get(0).datasetsChanged()).isFalse();
    }

    @Test
    void reportsParamsLineageFilesAndBreakingSignatures() {
        Signature breaking = new Signature(List.of(new Column("amount", "string", false), new Column("country", "string", false)),
                List.of());
        Comparison c = Comparison.of(List.of(
                version(1, Map.of(), Map.of("lr", "0.1"), "abc", List.of(TRAIN_V1),
                        List.of(new FileEntry("m", 10, A), new FileEntry("old", 1, B)), SIG),
                version(2, Map.of(), Map.of("lr", "0.2"), "def", List.of(TRAIN_V2),
                        List.of(new FileEntry("m", 30, C), new FileEntry("new", 5, B)), breaking)));

        assertThat(c.params().get(0).differs()).isTrue();
        Comparison.LineageDiff lineage = c.lineage().get(0);
        assertThat(lineage.datasetsChanged()).isTrue();
        assertThat(lineage.datasetsAdded()).containsExactly("s3://d/tx@2");
        assertThat(lineage.datasetsRemoved()).containsExactly("s3://d/tx@1");
        assertThat(lineage.commitChanged()).isTrue();
        Comparison.FileDiff files = c.files().get(0);
        assertThat(files.added()).containsExactly("new");
        assertThat(files.removed()).containsExactly("old");
        assertThat(files.changed()).containsExactly(new Comparison.FileDiff.Changed("m", 10, 30));
        assertThat(files.sizeDelta()).isEqualTo(24);
        Comparison.SignatureDiff signature = c.signatures().get(0);
        assertThat(signature.compatible()).isFalse();
        assertThat(signature.breaking()).containsExactlyInAnyOrder(
                "input 'amount' changed type double -> string", "new required input 'country'", "output 'score' removed");
    }

    @Test
    void addingAnOptionalInputOrAnOutputIsCompatible() {
        Signature wider = new Signature(List.of(new Column("amount", "double", false), new Column("hint", "string", true)),
                List.of(new Column("score", "double", false), new Column("label", "long", false)));
        Comparison c = Comparison.of(List.of(
                version(1, Map.of(), Map.of(), "abc", List.of(), List.of(new FileEntry("m", 1, A)), SIG),
                version(2, Map.of(), Map.of(), "abc", List.of(), List.of(new FileEntry("m", 1, A)), wider)));
        assertThat(c.signatures().get(0).compatible()).isTrue();
        assertThat(c.signatures().get(0).identical()).isFalse();
    }

    @Test
    void removingAnInputBreaksTheSignature() {
        Signature narrower = new Signature(List.of(), List.of(new Column("score", "double", false)));
        Comparison c = Comparison.of(List.of(
                version(1, Map.of(), Map.of(), "abc", List.of(), List.of(new FileEntry("m", 1, A)), SIG),
                version(2, Map.of(), Map.of(), "abc", List.of(), List.of(new FileEntry("m", 1, A)), narrower)));
        assertThat(c.signatures().get(0).compatible()).isFalse();
        assertThat(c.signatures().get(0).breaking()).containsExactly("input 'amount' removed");
    }
}
