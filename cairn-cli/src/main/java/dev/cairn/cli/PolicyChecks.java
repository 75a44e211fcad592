package dev.cairn.cli;

import dev.cairn.api.ApiModels.Check;
import java.util.List;

/** The checks of a promotion policy as lines of {@code PASS|FAIL  CHECK  DETAIL}, for dry runs and refusals alike. */
public final class PolicyChecks {
    private PolicyChecks() {}

    public static Table table(List<Check> checks) {
        Table table = Table.headless();
        for (Check check : checks) {
            table.row(check.passed() ? "PASS" : "FAIL", check.check(), check.detail());
        }
        return table;
    }
}
