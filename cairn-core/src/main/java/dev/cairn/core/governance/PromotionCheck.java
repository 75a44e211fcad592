package dev.cairn.core.governance;

import java.util.List;

/** One rule of a policy applied to one version: its name (for example {@code metric auc >= 0.9}), result and why. */
public record PromotionCheck(String check, boolean passed, String detail) {

    /** Every check of a promotion; it may go ahead only when all passed. */
    public record Report(String model, int version, String target, List<PromotionCheck> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        public boolean allowed() {
            return checks.stream().allMatch(PromotionCheck::passed);
        }

        public List<PromotionCheck> failed() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }
}
