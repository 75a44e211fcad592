package dev.cairn.client;

import dev.cairn.api.ApiModels.Check;
import java.util.List;
import java.util.Map;

/**
 * A promotion the model's policy refused (HTTP 409, {@code FAILED_PRECONDITION} with {@code details.checks}): nothing
 * moved. {@link #checks()} lists every check of the policy, passed or not.
 */
public class PolicyBlockedException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final transient List<Check> checks;

    public PolicyBlockedException(int httpStatus, String message, Map<String, Object> details) {
        super(FAILED_PRECONDITION, httpStatus, message, details);
        this.checks = checks(details).stream().map(PolicyBlockedException::check).toList();
    }

    /** Every check of the refused promotion, in the server's order. */
    public List<Check> checks() {
        return checks;
    }

    /** The checks that did not pass. */
    public List<Check> failed() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** Whether an error body's details carry the checks of a policy, which is what tells this conflict apart. */
    static boolean isPolicyBlock(Map<String, Object> details) {
        return details != null && details.get("checks") instanceof List<?>;
    }

    private static List<?> checks(Map<String, Object> details) {
        return isPolicyBlock(details) ? (List<?>) details.get("checks") : List.of();
    }

    private static Check check(Object row) {
        Map<?, ?> fields = row instanceof Map<?, ?> map ? map : Map.of();
        return new Check(text(fields.get("check")), Boolean.TRUE.equals(fields.get("passed")), text(fields.get("detail")));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
