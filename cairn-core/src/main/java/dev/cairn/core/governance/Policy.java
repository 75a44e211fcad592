package dev.cairn.core.governance;

import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.Validate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules a version must meet before it may hold Production or a protected alias. A model's own policy replaces the
 * registry's default policy whole; the default of the default is {@link #NONE}.
 *
 * @param minMetrics        each metric must be present and at least this value
 * @param maxMetrics        each metric must be present and at most this value
 * @param requireStaging    the version must have held Staging before, for at least {@code stagingFor} when that is set
 * @param stagingFor        the least time in Staging; null when any time will do
 * @param approvals         approvals a transition request needs; 0 lets an approver move the pointer directly
 * @param fourEyes          the approver of a request must not be the one who asked
 * @param protectedAliases  aliases that only approvers move, under this policy
 */
public record Policy(
        Map<String, Double> minMetrics,
        Map<String, Double> maxMetrics,
        boolean requireDatasetDigest,
        boolean requireCommit,
        boolean requireCleanTree,
        boolean requireStaging,
        Duration stagingFor,
        boolean requireCompatibleSignature,
        int approvals,
        boolean fourEyes,
        List<String> protectedAliases) {

    public static final int MAX_APPROVALS = 10;

    /** No rules: anyone with the role may promote anything, four-eyes applies to requests. */
    public static final Policy NONE = new Policy(Map.of(), Map.of(), false, false, false, false, null, false, 0, true, List.of());

    public Policy {
        minMetrics = metrics(minMetrics);
        maxMetrics = metrics(maxMetrics);
        if (stagingFor != null && (stagingFor.isNegative() || stagingFor.isZero())) {
            stagingFor = null;
        }
        if (stagingFor != null) {
            requireStaging = true;
        }
        if (approvals < 0 || approvals > MAX_APPROVALS) {
            throw RegistryException.invalid("approvals must be between 0 and " + MAX_APPROVALS + ", got " + approvals);
        }
        TreeSet<String> aliases = new TreeSet<>();
        for (String alias : protectedAliases == null ? List.<String>of() : protectedAliases) {
            aliases.add(Validate.alias(alias));
        }
        protectedAliases = List.copyOf(aliases);
    }

    /** Whether moving {@code pointer} is governed by this policy: Production and protected aliases are. */
    public boolean governs(Pointer pointer) {
        return pointer.kind() == Pointer.Kind.STAGE
                ? pointer.name().equals(Stage.PRODUCTION.label())
                : protectedAliases.contains(pointer.name());
    }

    private static Map<String, Double> metrics(Map<String, Double> given) {
        Map<String, Double> sorted = new TreeMap<>();
        for (Map.Entry<String, Double> entry : (given == null ? Map.<String, Double>of() : given).entrySet()) {
            if (entry.getKey() == null || entry.getKey().isBlank()) {
                throw RegistryException.invalid("a metric threshold needs a metric name");
            }
            if (entry.getValue() == null || entry.getValue().isNaN() || entry.getValue().isInfinite()) {
                throw RegistryException.invalid("threshold for metric '" + entry.getKey() + "' must be a finite number");
            }
            sorted.put(Validate.text("metric name", entry.getKey().strip()), entry.getValue());
        }
        return Collections.unmodifiableMap(sorted);
    }
}
