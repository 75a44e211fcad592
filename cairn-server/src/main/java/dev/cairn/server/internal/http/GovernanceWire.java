package dev.cairn.server.internal.http;

import dev.cairn.api.ApiModels;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.Durations;
import dev.cairn.core.governance.Grant;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.PromotionCheck;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.governance.User;
import dev.cairn.core.model.ModelPointers;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The mapping between the governance records of the core and the wire records of {@code cairn-api}, both ways, as
 * {@link Wire} does for the registry. On the wire a promotion target is {@code production} or an alias name, roles and
 * request statuses are lower-case, durations read {@code 30d}, and times are ISO-8601 UTC.
 */
public final class GovernanceWire {
    private GovernanceWire() {}

    // --- core to wire -------------------------------------------------------------------------------------------

    public static ApiModels.WhoAmI whoAmI(Actor actor) {
        return new ApiModels.WhoAmI(actor.name(), actor.role().label(), actor.governed());
    }

    public static ApiModels.User user(User user) {
        return new ApiModels.User(user.name(), user.role().label(), time(user.createdAt()), user.createdBy());
    }

    /** A token as listed; {@code secret} is the token itself, given only in the answer that creates it. */
    public static ApiModels.Token token(ApiToken token, String secret, Instant now) {
        return new ApiModels.Token(token.id(), token.user(), time(token.createdAt()), time(token.expiresAt()),
                time(token.revokedAt()), token.activeAt(now), secret);
    }

    public static ApiModels.NewUser newUser(GovernanceService.NewUser created, Instant now) {
        return new ApiModels.NewUser(user(created.user()),
                token(created.token().token(), created.token().secret(), now));
    }

    public static ApiModels.Grant grant(Grant grant) {
        return new ApiModels.Grant(grant.model(), grant.user(), grant.role().label());
    }

    public static ApiModels.PolicyView policyView(GovernanceService.EffectivePolicy effective) {
        return new ApiModels.PolicyView(effective.model(), effective.own() ? "model" : "default",
                policy(effective.policy()));
    }

    public static ApiModels.Policy policy(Policy p) {
        return new ApiModels.Policy(new TreeMap<>(p.minMetrics()), new TreeMap<>(p.maxMetrics()),
                p.requireDatasetDigest(), p.requireCommit(), p.requireCleanTree(), p.requireStaging(),
                p.stagingFor() == null ? null : Durations.format(p.stagingFor()), p.requireCompatibleSignature(),
                p.approvals(), p.fourEyes(), p.protectedAliases());
    }

    public static ApiModels.PromotionCheck promotionCheck(PromotionCheck.Report report) {
        return new ApiModels.PromotionCheck(report.model(), report.version(), report.target(), report.allowed(),
                report.checks().stream().map(c -> new ApiModels.Check(c.check(), c.passed(), c.detail())).toList());
    }

    public static ApiModels.Request request(TransitionRequest r) {
        return new ApiModels.Request(r.id(), r.model(), r.version(), RegistryService.targetLabel(r.target()),
                r.requestedBy(), r.comment(), r.status().name().toLowerCase(Locale.ROOT), time(r.createdAt()),
                r.approvals().stream().map(a -> new ApiModels.Approval(a.approver(), time(a.time()), a.comment()))
                        .toList(),
                r.decidedBy(), time(r.decidedAt()), r.decisionComment());
    }

    public static ApiModels.AuditReport auditReport(AuditChain.Report report) {
        return new ApiModels.AuditReport(report.intact(), report.checked(), report.headSeq(), report.headHash(),
                report.firstBadSeq(), report.problem());
    }

    public static ApiModels.Pointers pointers(String model, Instant at, ModelPointers pointers) {
        return new ApiModels.Pointers(model, time(at), new TreeMap<>(pointers.stages()),
                new TreeMap<>(pointers.aliases()));
    }

    // --- wire to core -------------------------------------------------------------------------------------------

    /**
     * A promotion target: {@code production} (any case) is the Production stage, any other stage name that stage (for
     * the core to refuse with its reason), anything else an alias, written with or without a leading {@code @}.
     */
    public static Pointer target(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalid("target is required: production, or an alias such as champion");
        }
        String value = text.strip();
        for (Stage stage : Stage.values()) {
            if (stage.label().equalsIgnoreCase(value)) {
                return Pointer.stage(stage);
            }
        }
        return Pointer.alias(value.startsWith("@") ? value.substring(1) : value);
    }

    /** A wire policy; absent fields take their defaults: nothing required, no approvals, four-eyes on. */
    public static Policy policy(ApiModels.Policy p) {
        Duration stagingFor = p.stagingFor() == null || p.stagingFor().isBlank() ? null
                : Durations.parse("staging_for", p.stagingFor());
        return new Policy(p.minMetrics(), p.maxMetrics(), on(p.requireDatasetDigest()), on(p.requireCommit()),
                on(p.requireCleanTree()), on(p.requireStaging()), stagingFor, on(p.requireCompatibleSignature()),
                p.approvals() == null ? 0 : p.approvals(), p.fourEyes() == null || p.fourEyes(), p.protectedAliases());
    }

    private static boolean on(Boolean flag) {
        return Boolean.TRUE.equals(flag);
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
