package dev.cairn.core.governance;

import dev.cairn.core.compare.Comparison;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.PointerChange;
import dev.cairn.core.model.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Applies a {@link Policy} to one version about to hold Production or a protected alias: every check, passed or not. */
public final class PromotionRules {
    private PromotionRules() {}

    /**
     * What a promotion must show.
     *
     * @param candidate      the version to promote
     * @param target         Production or an alias
     * @param current        the version the target points at now, or null
     * @param stagingHistory every move of the model's Staging pointer, oldest first, with times
     * @param approvals      approvals given, when the promotion comes from a transition request; null for a direct move
     * @param governed       whether callers are authenticated; without authentication approvals are not required
     */
    public record Promotion(ModelVersion candidate, Pointer target, ModelVersion current,
                            List<PointerChange> stagingHistory, Integer approvals, boolean governed, Instant now) {}

    public static List<PromotionCheck> evaluate(Policy policy, Promotion p) {
        List<PromotionCheck> checks = new ArrayList<>();
        ModelVersion v = p.candidate();
        for (Map.Entry<String, Double> min : policy.minMetrics().entrySet()) {
            checks.add(metric(v, min.getKey(), ">=", min.getValue()));
        }
        for (Map.Entry<String, Double> max : policy.maxMetrics().entrySet()) {
            checks.add(metric(v, max.getKey(), "<=", max.getValue()));
        }
        Lineage lineage = v.lineage() == null ? Lineage.EMPTY : v.lineage();
        if (policy.requireDatasetDigest()) {
            boolean any = lineage.datasets().stream().anyMatch(d -> d.digest() != null && !d.digest().isBlank());
            checks.add(new PromotionCheck("lineage: a dataset with a digest", any, any
                    ? "dataset " + lineage.datasets().stream().filter(d -> d.digest() != null).findFirst()
                            .map(d -> d.name() != null ? d.name() : d.uri()).orElse("") + " has a digest"
                    : "no dataset of version " + v.version() + " records a digest"));
        }
        Lineage.Code code = lineage.code();
        if (policy.requireCommit()) {
            boolean has = code != null && code.commit() != null && !code.commit().isBlank();
            checks.add(new PromotionCheck("lineage: code commit", has,
                    has ? "commit " + code.commit() : "version " + v.version() + " records no code commit"));
        }
        if (policy.requireCleanTree()) {
            boolean clean = code != null && Boolean.FALSE.equals(code.dirty());
            checks.add(new PromotionCheck("lineage: clean work tree", clean, clean ? "trained from a clean work tree"
                    : code == null || code.dirty() == null ? "version " + v.version() + " does not record whether its work tree was clean"
                    : "trained from a work tree with uncommitted changes"));
        }
        if (policy.requireStaging()) {
            checks.add(staging(policy.stagingFor(), p));
        }
        if (policy.requireCompatibleSignature()) {
            checks.add(signature(p));
        }
        checks.add(approvals(policy, p));
        return checks;
    }

    private static PromotionCheck metric(ModelVersion v, String name, String op, double threshold) {
        String check = "metric " + name + " " + op + " " + number(threshold);
        Double value = v.metrics().get(name);
        if (value == null) {
            return new PromotionCheck(check, false, "version " + v.version() + " has no metric '" + name + "'");
        }
        boolean passed = op.equals(">=") ? value >= threshold : value <= threshold;
        return new PromotionCheck(check, passed, name + " = " + number(value));
    }

    private static PromotionCheck staging(Duration least, Promotion p) {
        String check = least == null ? "held Staging first" : "held Staging for at least " + Durations.format(least);
        Duration longest = null;
        Instant since = null;
        for (PointerChange change : p.stagingHistory()) {
            Integer holder = change.version();
            if (since != null && (holder == null || holder != p.candidate().version())) {
                longest = max(longest, Duration.between(since, change.time()));
                since = null;
            } else if (since == null && holder != null && holder == p.candidate().version()) {
                since = change.time();
            }
        }
        if (since != null || p.candidate().stage() == Stage.STAGING) {
            longest = max(longest, since == null ? Duration.ZERO : Duration.between(since, p.now()));
        }
        if (longest == null) {
            return new PromotionCheck(check, false, "version " + p.candidate().version() + " never held Staging");
        }
        boolean passed = least == null || longest.compareTo(least) >= 0;
        return new PromotionCheck(check, passed, "held Staging for " + readable(longest));
    }

    private static PromotionCheck signature(Promotion p) {
        ModelVersion current = p.current();
        String what = p.target().toString();
        if (current == null || current.version() == p.candidate().version()) {
            return new PromotionCheck("signature compatible with " + what, true, "no other version holds " + what);
        }
        String check = "signature compatible with " + what + " (version " + current.version() + ")";
        Comparison.SignatureDiff diff = Comparison.signatureDiff(current, p.candidate());
        return new PromotionCheck(check, diff.compatible(), diff.identical() ? "identical signature"
                : diff.compatible() ? "compatible signature" : String.join("; ", diff.breaking()));
    }

    private static PromotionCheck approvals(Policy policy, Promotion p) {
        if (!p.governed()) {
            return new PromotionCheck("approvals", true, "not required: the server does not authenticate callers");
        }
        if (p.approvals() == null) {
            boolean passed = policy.approvals() == 0;
            return new PromotionCheck("approvals", passed, passed ? "none required for a direct move"
                    : policy.approvals() + " required: file a transition request");
        }
        int needed = Math.max(1, policy.approvals());
        return new PromotionCheck("approvals: " + p.approvals() + " of " + needed, p.approvals() >= needed,
                p.approvals() >= needed ? "approved" : (needed - p.approvals()) + " more needed");
    }

    private static Duration max(Duration a, Duration b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    private static String readable(Duration d) {
        long s = d.getSeconds();
        return s >= 86_400 ? s / 86_400 + "d " + (s % 86_400) / 3_600 + "h"
                : s >= 3_600 ? s / 3_600 + "h " + (s % 3_600) / 60 + "m"
                : s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
