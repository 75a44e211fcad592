package dev.cairn.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.Signature;
import dev.cairn.core.model.Signature.Column;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Pointer PRODUCTION = Pointer.stage(Stage.PRODUCTION);
    private static final Pointer STAGING = Pointer.stage(Stage.STAGING);
    private static final Signature SIG = new Signature(List.of(new Column("amount", "double", false)),
            List.of(new Column("score", "double", false)));

    private static ModelVersion version(int n, Stage stage, Map<String, Double> metrics, Lineage lineage, Signature signature) {
        return new ModelVersion(1, "fraud", n, VersionStatus.READY, stage, List.of(), "", Map.of(), metrics, Map.of(),
                signature, "onnx", null, null, lineage, Manifest.of(List.of(new FileEntry("m", 1, "a".repeat(64)))), "me",
                NOW, NOW, true, null, null);
    }

    private static Lineage lineage(String digest, String commit, Boolean dirty) {
        return new Lineage(List.of(new Lineage.Dataset("tx", "s3://d/tx", "1", digest, Lineage.DatasetRole.TRAIN)),
                commit == null && dirty == null ? null : new Lineage.Code("repo", commit, "main", null, dirty), null, List.of(), null);
    }

    private static Policy policy(Map<String, Double> min, Map<String, Double> max, boolean digest, boolean commit,
                                 boolean clean, Duration staging, boolean signature, int approvals) {
        return new Policy(min, max, digest, commit, clean, staging != null, staging, signature, approvals, true, List.of());
    }

    private static List<PromotionCheck> evaluate(Policy policy, ModelVersion candidate, ModelVersion current,
                                                 List<PointerChange> staging, Integer approvals, boolean governed) {
        return PromotionRules.evaluate(policy, new PromotionRules.Promotion(candidate, PRODUCTION, current, staging,
                approvals, governed, NOW));
    }

    @Test
    void everyRulePassesForAVersionThatMeetsThem() {
        ModelVersion v = version(2, Stage.STAGING, Map.of("auc", 0.93, "latency_ms", 12.0), lineage("sha256:" + "b".repeat(64), "abc123", false), SIG);
        Policy p = policy(Map.of("auc", 0.9), Map.of("latency_ms", 20.0), true, true, true, Duration.ofHours(24), true, 0);
        List<PointerChange> staging = List.of(new PointerChange(5, STAGING, 2, false, NOW.minus(Duration.ofHours(30))));

        List<PromotionCheck> checks = evaluate(p, v, version(1, Stage.PRODUCTION, Map.of(), Lineage.EMPTY, SIG), staging, null, true);

        assertThat(checks).allMatch(PromotionCheck::passed);
        assertThat(checks).extracting(PromotionCheck::check).containsExactly("metric auc >= 0.9", "metric latency_ms <= 20",
                "lineage: a dataset with a digest", "lineage: code commit", "lineage: clean work tree",
                "held Staging for at least 1d", "signature compatible with Production (version 1)", "approvals");
        assertThat(checks.get(5).detail()).isEqualTo("held Staging for 1d 6h");
    }

    @Test
    void failedChecksSayWhatIsMissing() {
        Signature narrower = new Signature(List.of(), List.of(new Column("score", "double", false)));
        ModelVersion v = version(3, Stage.NONE, Map.of("auc", 0.85), lineage(null, null, true), narrower);
        Policy p = policy(Map.of("auc", 0.9), Map.of("latency_ms", 20.0), true, true, true, null, true, 0);
        Policy withStaging = new Policy(p.minMetrics(), p.maxMetrics(), true, true, true, true, null, true, 0, true, List.of());

        List<PromotionCheck> failed = evaluate(withStaging, v, version(1, Stage.PRODUCTION, Map.of(), Lineage.EMPTY, SIG),
                List.of(), null, true).stream().filter(c -> !c.passed()).toList();

        assertThat(failed).extracting(PromotionCheck::detail).containsExactly(
                "auc = 0.85",
                "version 3 has no metric 'latency_ms'",
                "no dataset of version 3 records a digest",
                "version 3 records no code commit",
                "trained from a work tree with uncommitted changes",
                "version 3 never held Staging",
                "input 'amount' removed");
    }

    @Test
    void aShortStagingStintIsNotEnoughAndTheLongestStintCounts() {
        ModelVersion v = version(2, Stage.STAGING, Map.of(), Lineage.EMPTY, SIG);
        Policy p = policy(Map.of(), Map.of(), false, false, false, Duration.ofDays(1), false, 0);
        List<PointerChange> history = List.of(
                new PointerChange(1, STAGING, 2, false, NOW.minus(Duration.ofDays(5))),
                new PointerChange(2, STAGING, 1, false, NOW.minus(Duration.ofDays(5)).plusSeconds(3_600)),
                new PointerChange(3, STAGING, 2, false, NOW.minus(Duration.ofHours(2))));

        PromotionCheck staging = evaluate(p, v, null, history, null, true).get(0);

        assertThat(staging.passed()).isFalse();
        assertThat(staging.detail()).isEqualTo("held Staging for 2h 0m");

        List<PointerChange> longer = List.of(new PointerChange(1, STAGING, 2, false, NOW.minus(Duration.ofDays(3))),
                new PointerChange(2, STAGING, null, false, NOW.minus(Duration.ofDays(1))));
        ModelVersion left = version(2, Stage.NONE, Map.of(), Lineage.EMPTY, SIG);
        assertThat(evaluate(p, left, null, longer, null, true).get(0).passed()).isTrue();
    }

    @Test
    void approvalsAreRequiredOnlyWhenCallersAreAuthenticated() {
        ModelVersion v = version(2, Stage.NONE, Map.of(), Lineage.EMPTY, SIG);
        Policy two = policy(Map.of(), Map.of(), false, false, false, null, false, 2);

        assertThat(evaluate(two, v, null, List.of(), null, true)).singleElement()
                .satisfies(c -> assertThat(c.passed()).isFalse())
                .satisfies(c -> assertThat(c.detail()).isEqualTo("2 required: file a transition request"));
        assertThat(evaluate(two, v, null, List.of(), 1, true)).singleElement()
                .satisfies(c -> assertThat(c.check()).isEqualTo("approvals: 1 of 2"))
                .satisfies(c -> assertThat(c.passed()).isFalse());
        assertThat(evaluate(two, v, null, List.of(), 2, true).get(0).passed()).isTrue();
        assertThat(evaluate(two, v, null, List.of(), null, false).get(0).passed()).isTrue();
        Policy none = policy(Map.of(), Map.of(), false, false, false, null, false, 0);
        assertThat(evaluate(none, v, null, List.of(), null, true).get(0).passed()).isTrue();
    }

    @Test
    void signatureIsCompatibleWhenNothingHoldsTheTarget() {
        ModelVersion v = version(2, Stage.NONE, Map.of(), Lineage.EMPTY, null);
        Policy p = policy(Map.of(), Map.of(), false, false, false, null, true, 0);
        PromotionCheck check = evaluate(p, v, null, List.of(), null, true).get(0);
        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).isEqualTo("no other version holds Production");
    }
}
