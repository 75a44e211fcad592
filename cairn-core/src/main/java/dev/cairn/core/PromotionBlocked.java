package dev.cairn.core;

import dev.cairn.core.governance.PromotionCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A promotion refused by policy (FAILED_PRECONDITION): the message names every failed check, the details list every
 * check ({@code checks}: {@code check}, {@code passed}, {@code detail}) with {@code model}, {@code version} and
 * {@code target}.
 */
public final class PromotionBlocked extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final transient PromotionCheck.Report report;

    public PromotionBlocked(PromotionCheck.Report report) {
        super(ErrorCode.FAILED_PRECONDITION, "version " + report.version() + " of '" + report.model() + "' may not move to "
                + report.target() + ": " + report.failed().stream().map(c -> c.check() + " (" + c.detail() + ")")
                .collect(Collectors.joining("; ")), details(report), null);
        this.report = report;
    }

    public PromotionCheck.Report report() {
        return report;
    }

    private static Map<String, Object> details(PromotionCheck.Report report) {
        List<Map<String, Object>> checks = report.checks().stream().map(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("check", c.check());
            row.put("passed", c.passed());
            row.put("detail", c.detail());
            return row;
        }).toList();
        return Map.of("model", report.model(), "version", report.version(), "target", report.target(), "checks", checks);
    }
}
