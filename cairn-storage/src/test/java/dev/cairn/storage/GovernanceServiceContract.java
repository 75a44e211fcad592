package dev.cairn.storage;

import static dev.cairn.storage.RegistryServiceContract.assertRefused;
import static dev.cairn.storage.RegistryServiceContract.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.GovernanceService;
import dev.cairn.core.PromotionBlocked;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.PromotionCheck;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.ModelPointers;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance end to end over the real stores ({@link SqliteGovernanceServiceTest}, {@link PostgresGovernanceServiceTest}):
 * tokens, roles and grants as the registry enforces them, transition requests, promotion policies and the audit chain.
 */
abstract class GovernanceServiceContract {
    static final String ADMIN_TOKEN = "bootstrap-secret-for-tests";
    static final Actor LOCAL = Actor.local("laptop");

    @TempDir
    Path dir;

    String url;
    JdbcMetadataStore store;
    RegistryService registry;
    GovernanceService governance;
    final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T09:00:00Z"));
    Actor admin;

    /** The JDBC URL of a fresh, empty database; {@code dir} is this test's temporary directory. */
    abstract String newDatabase(Path dir);

    @BeforeEach
    void start() {
        url = newDatabase(dir);
        store = JdbcMetadataStore.open(url);
        registry = new RegistryService(store, new FileBlobStore(dir.resolve("blobs")), clock);
        governance = new GovernanceService(registry, store, clock, ADMIN_TOKEN);
        admin = governance.authenticate(ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    // --- authentication -----------------------------------------------------------------------------------------

    @Test
    void aTokenAuthenticatesItsUserUntilItExpiresOrIsRevoked() {
        assertThat(admin).isEqualTo(Actor.user(GovernanceService.BOOTSTRAP_ADMIN, Role.ADMIN));
        GovernanceService.NewUser bob = governance.createUser(admin, "bob", Role.EDITOR, "30d");
        assertThat(bob.token().secret()).startsWith("cairn_").hasSizeGreaterThan(40);
        assertThat(bob.token().token().hash()).doesNotContain(bob.token().secret());
        assertThat(governance.authenticate(bob.token().secret())).isEqualTo(Actor.user("bob", Role.EDITOR));

        GovernanceService.IssuedToken second = governance.createToken(governance.authenticate(bob.token().secret()), null, "1h");
        governance.revokeToken(admin, second.token().id());
        assertThatThrownBy(() -> governance.authenticate(second.secret())).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains("revoked").doesNotContain(second.secret());
        });

        clock.advance(Duration.ofDays(31));
        assertThatThrownBy(() -> governance.authenticate(bob.token().secret()))
                .hasMessageContaining("expired").hasMessageNotContaining(bob.token().secret());
        assertRefused(ErrorCode.UNAUTHENTICATED, () -> governance.authenticate("cairn_forged"));
        assertRefused(ErrorCode.UNAUTHENTICATED, () -> governance.authenticate(" "));
    }

    @Test
    void onlyAdminsManageUsersAndOthersTokens() {
        Actor bob = user("bob", Role.APPROVER);
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.createUser(bob, "eve", Role.ADMIN, null));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.setUserRole(bob, "bob", Role.ADMIN));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.createToken(bob, "admin2", null));
        assertRefused(ErrorCode.ALREADY_EXISTS, () -> governance.createUser(admin, "bob", Role.VIEWER, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> governance.createUser(admin, "x'; DROP TABLE users;--", Role.VIEWER, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> governance.createUser(admin, GovernanceService.BOOTSTRAP_ADMIN, Role.VIEWER, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> governance.createUser(admin, "carol", Role.VIEWER, "soon"));
        assertThat(governance.listUsers(null, null).items()).extracting(u -> u.name()).containsExactly("bob");
        assertThat(governance.listTokens(bob, null, null, null).items()).allMatch(t -> t.user().equals("bob"));

        governance.setUserRole(admin, "bob", Role.VIEWER);
        assertThat(governance.listUsers(null, null).items().get(0).role()).isEqualTo(Role.VIEWER);
        assertThat(registry.events(new EventFilter(null, GovernanceService.BOOTSTRAP_ADMIN, List.of(), null, null), 100, null)
                .items()).extracting(Event::kind).containsExactly(EventKind.USER_CREATED, EventKind.TOKEN_CREATED,
                EventKind.USER_ROLE_SET);
    }

    // --- roles and grants ---------------------------------------------------------------------------------------

    @Test
    void rolesDecideWhoChangesWhatAndARefusalChangesNothing() {
        Actor viewer = user("vic", Role.VIEWER);
        Actor editor = user("eddie", Role.EDITOR);
        Actor approver = user("ann", Role.APPROVER);
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.createModel(viewer, "fraud", "", Map.of()));
        register(editor, "fraud", Map.of("auc", 0.9));
        register(editor, "fraud", Map.of("auc", 0.91));
        registry.transition(editor, "fraud", 1, Stage.STAGING, "", true);
        long events = eventCount("fraud");

        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.setModelTag(viewer, "fraud", "team", "risk"));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.transition(editor, "fraud", 1, Stage.PRODUCTION, "", true));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.deleteVersion(approver, "fraud", 2));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.renameModel(approver, "fraud", "fraud2"));
        assertThat(registry.getVersion("fraud", 1).stage()).isEqualTo(Stage.STAGING);
        assertThat(eventCount("fraud")).isEqualTo(events);

        registry.transition(approver, "fraud", 1, Stage.PRODUCTION, "", true);
        registry.transition(approver, "fraud", 2, Stage.PRODUCTION, "", true);
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.rollback(editor, "fraud", Pointer.stage(Stage.PRODUCTION),
                Optional.empty(), ""));
        assertThat(registry.rollback(approver, "fraud", Pointer.stage(Stage.PRODUCTION), Optional.empty(), "").version()).isEqualTo(1);
        assertThat(registry.events(EventFilter.of("fraud", List.of(EventKind.ROLLBACK)), 10, null).items())
                .extracting(Event::actor).containsExactly("ann");
    }

    @Test
    void aGrantWidensOrNarrowsARoleOnOneModel() {
        register(admin, "a", Map.of());
        register(admin, "b", Map.of());
        Actor viewer = user("vic", Role.VIEWER);
        Actor approver = user("ann", Role.APPROVER);
        governance.setGrant(admin, "a", "vic", Role.EDITOR);
        governance.setGrant(admin, "a", "ann", Role.VIEWER);

        registry.setModelTag(viewer, "a", "owner", "vic");
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.setModelTag(viewer, "b", "owner", "vic"));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.transition(approver, "a", 1, Stage.PRODUCTION, "", true));
        registry.transition(approver, "b", 1, Stage.PRODUCTION, "", true);
        assertThat(governance.grants("a")).extracting(g -> g.user() + "=" + g.role().label())
                .containsExactly("ann=viewer", "vic=editor");

        governance.deleteGrant(admin, "a", "ann");
        registry.transition(approver, "a", 1, Stage.PRODUCTION, "", true);
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.setGrant(viewer, "a", "vic", Role.ADMIN));
    }

    // --- requests and approvals ---------------------------------------------------------------------------------

    @Test
    void anotherApproverApprovesARequestAndTheTransitionHappensWithIt() {
        Actor editor = user("eddie", Role.EDITOR);
        Actor ann = user("ann", Role.APPROVER);
        register(editor, "fraud", Map.of("auc", 0.9));
        TransitionRequest request = governance.createRequest(editor, "fraud", 1, Pointer.stage(Stage.PRODUCTION), "ship it");
        assertThat(request.status()).isEqualTo(RequestStatus.PENDING);
        assertThat(request.requestedBy()).isEqualTo("eddie");
        assertRefused(ErrorCode.ALREADY_EXISTS, () -> governance.createRequest(editor, "fraud", 1,
                Pointer.stage(Stage.PRODUCTION), "again"));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.approve(editor, request.id(), ""));

        TransitionRequest approved = governance.approve(ann, request.id(), "ok");

        assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(registry.getVersion("fraud", 1).stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry.events(EventFilter.of("fraud", List.of(EventKind.REQUEST_CREATED, EventKind.REQUEST_APPROVED,
                EventKind.STAGE_TRANSITION)), 10, null).items()).extracting(e -> e.kind() + " by " + e.actor())
                .containsExactly("REQUEST_CREATED by eddie", "REQUEST_APPROVED by ann", "STAGE_TRANSITION by ann");
        assertThat(governance.listRequests("fraud", RequestStatus.APPROVED, null, null).items())
                .extracting(TransitionRequest::id).containsExactly(request.id());
        assertThat(governance.listRequests("fraud", RequestStatus.PENDING, null, null).items()).isEmpty();
    }

    @Test
    void rejectedAndCancelledRequestsChangeNoPointer() {
        Actor editor = user("eddie", Role.EDITOR);
        Actor other = user("olga", Role.EDITOR);
        Actor ann = user("ann", Role.APPROVER);
        register(editor, "fraud", Map.of());
        TransitionRequest first = governance.createRequest(editor, "fraud", 1, Pointer.stage(Stage.PRODUCTION), "");
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.reject(editor, first.id(), "no"));
        assertThat(governance.reject(ann, first.id(), "not yet").status()).isEqualTo(RequestStatus.REJECTED);
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> governance.approve(ann, first.id(), ""));

        TransitionRequest second = governance.createRequest(editor, "fraud", 1, Pointer.stage(Stage.PRODUCTION), "");
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.cancel(other, second.id()));
        assertThat(governance.cancel(editor, second.id()).status()).isEqualTo(RequestStatus.CANCELLED);
        assertThat(registry.getVersion("fraud", 1).stage()).isEqualTo(Stage.NONE);
        assertRefused(ErrorCode.NOT_FOUND, () -> governance.approve(ann, 9_999, ""));
    }

    @Test
    void fourEyesKeepsRequestersFromApprovingThemselves() {
        governance.setPolicy(admin, null, policy(0, List.of("champion")));
        Actor ann = user("ann", Role.APPROVER);
        Actor bea = user("bea", Role.APPROVER);
        register(admin, "fraud", Map.of("auc", 0.9));
        TransitionRequest request = governance.createRequest(ann, "fraud", 1, Pointer.alias("champion"), "ship it");

        assertThatThrownBy(() -> governance.approve(ann, request.id(), "")).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.getMessage()).contains("four-eyes"));
        assertThat(governance.request(request.id()).approvals()).isEmpty();

        TransitionRequest approved = governance.approve(bea, request.id(), "looks good");
        assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("bea");
        assertThat(approved.approvals()).extracting(TransitionRequest.Approval::approver).containsExactly("bea");
        assertThat(registry.versionByAlias("fraud", "champion").version()).isEqualTo(1);
        List<Event> events = registry.events(EventFilter.of("fraud", List.of(EventKind.REQUEST_APPROVED, EventKind.ALIAS_SET)), 10, null).items();
        assertThat(events).extracting(Event::kind).containsExactly(EventKind.REQUEST_APPROVED, EventKind.ALIAS_SET);
        assertThat(events).extracting(Event::actor).containsOnly("bea");
        assertThat(events.get(1).payload()).containsEntry("request", Long.toString(request.id()));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> governance.approve(bea, request.id(), ""));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> governance.createRequest(ann, "fraud", 1, Pointer.alias("canary"), ""));
    }

    @Test
    void aPolicyAskingForTwoApprovalsWaitsForTheSecond() {
        Actor editor = user("eddie", Role.EDITOR);
        Actor ann = user("ann", Role.APPROVER);
        Actor bea = user("bea", Role.APPROVER);
        register(editor, "fraud", Map.of());
        governance.setPolicy(admin, "fraud", policy(2, List.of()));

        assertThatThrownBy(() -> registry.transition(ann, "fraud", 1, Stage.PRODUCTION, "", true))
                .isInstanceOfSatisfying(PromotionBlocked.class, e -> assertThat(e.report().failed())
                        .extracting(PromotionCheck::detail).containsExactly("2 required: file a transition request"));
        TransitionRequest request = governance.createRequest(editor, "fraud", 1, Pointer.stage(Stage.PRODUCTION), "");
        assertThat(governance.approve(ann, request.id(), "").status()).isEqualTo(RequestStatus.PENDING);
        assertThat(registry.getVersion("fraud", 1).stage()).isEqualTo(Stage.NONE);

        assertThat(governance.approve(bea, request.id(), "").status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(registry.getVersion("fraud", 1).stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(governance.request(request.id()).approvals()).extracting(TransitionRequest.Approval::approver)
                .containsExactly("ann", "bea");
    }

    // --- policies -----------------------------------------------------------------------------------------------

    @Test
    void aBlockedPromotionChangesNothingButIsRecorded() {
        Actor editor = user("eddie", Role.EDITOR);
        Actor ann = user("ann", Role.APPROVER);
        register(editor, "fraud", Map.of("auc", 0.91));
        governance.setPolicy(admin, "fraud", new Policy(Map.of("auc", 0.95), Map.of(), false, true, false, false, null,
                false, 0, true, List.of()));
        long events = eventCount("fraud");

        assertThatThrownBy(() -> registry.transition(ann, "fraud", 1, Stage.PRODUCTION, "", true))
                .isInstanceOfSatisfying(PromotionBlocked.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("metric auc >= 0.95 (auc = 0.91)", "lineage: code commit");
                    assertThat(e.details()).containsEntry("target", "production");
                });
        assertThat(registry.getVersion("fraud", 1).stage()).isEqualTo(Stage.NONE);
        List<Event> blocked = registry.events(EventFilter.of("fraud", List.of(EventKind.PROMOTION_BLOCKED)), 10, null).items();
        assertThat(blocked).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("ann");
            assertThat(e.payload().get("failed")).contains("metric auc >= 0.95");
        });
        assertThat(eventCount("fraud")).isEqualTo(events + 1);

        TransitionRequest request = governance.createRequest(editor, "fraud", 1, Pointer.stage(Stage.PRODUCTION), "");
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> governance.approve(ann, request.id(), ""));
        assertThat(governance.request(request.id()).status()).isEqualTo(RequestStatus.PENDING);
        assertThat(governance.request(request.id()).approvals()).isEmpty();

        PromotionCheck.Report dryRun = registry.checkPromotion(editor, "fraud", 1, Pointer.stage(Stage.PRODUCTION));
        assertThat(dryRun.allowed()).isFalse();
        assertThat(dryRun.failed()).extracting(PromotionCheck::check)
                .containsExactly("role: approver", "metric auc >= 0.95", "lineage: code commit");
        assertThat(registry.checkPromotion(editor, "fraud", 1, Pointer.alias("canary")).allowed()).isTrue();
    }

    @Test
    void theDefaultPolicyGovernsModelsWithoutTheirOwn() {
        register(admin, "fraud", Map.of("auc", 0.8));
        governance.setPolicy(admin, null, new Policy(Map.of("auc", 0.9), Map.of(), false, false, false, false, null,
                false, 0, true, List.of()));
        assertThat(governance.policy("fraud").own()).isFalse();
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.transition(admin, "fraud", 1, Stage.PRODUCTION, "", true));

        governance.setPolicy(admin, "fraud", policy(0, List.of()));
        assertThat(governance.policy("fraud").own()).isTrue();
        registry.transition(admin, "fraud", 1, Stage.PRODUCTION, "", true);

        assertThat(governance.deletePolicy(admin, "fraud").own()).isFalse();
        assertRefused(ErrorCode.NOT_FOUND, () -> governance.deletePolicy(admin, "fraud"));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> governance.setPolicy(user("ann", Role.APPROVER), null, Policy.NONE));
    }

    @Test
    void withoutAuthenticationApprovalsAreNotRequiredButPoliciesStillApply() {
        register(LOCAL, "fraud", Map.of("auc", 0.8));
        register(LOCAL, "fraud", Map.of("auc", 0.95));
        governance.setPolicy(LOCAL, "fraud", new Policy(Map.of("auc", 0.9), Map.of(), false, false, false, false, null,
                false, 2, true, List.of("champion")));

        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.transition(LOCAL, "fraud", 1, Stage.PRODUCTION, "", true));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.setAlias(LOCAL, "fraud", "champion", 1, ""));
        registry.transition(LOCAL, "fraud", 2, Stage.PRODUCTION, "", true);
        registry.setAlias(LOCAL, "fraud", "champion", 2, "");
        assertThat(registry.resolve("fraud@champion").version().version()).isEqualTo(2);
    }

    @Test
    void protectedAliasesAreForApprovers() {
        Actor editor = user("eddie", Role.EDITOR);
        Actor ann = user("ann", Role.APPROVER);
        register(editor, "fraud", Map.of());
        governance.setPolicy(admin, "fraud", policy(0, List.of("champion")));

        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.setAlias(editor, "fraud", "champion", 1, ""));
        registry.setAlias(editor, "fraud", "canary", 1, "");
        registry.setAlias(ann, "fraud", "champion", 1, "");
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> registry.deleteAlias(editor, "fraud", "champion", ""));
        registry.deleteAlias(editor, "fraud", "canary", "");
    }

    @Test
    void stagingFirstCountsTheTimeInStaging() {
        Actor ann = user("ann", Role.APPROVER);
        register(ann, "fraud", Map.of());
        governance.setPolicy(admin, "fraud", new Policy(Map.of(), Map.of(), false, false, false, true, Duration.ofHours(24),
                false, 0, true, List.of()));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> registry.transition(ann, "fraud", 1, Stage.PRODUCTION, "", true));
        registry.transition(ann, "fraud", 1, Stage.STAGING, "", true);
        clock.advance(Duration.ofHours(23));
        assertThatThrownBy(() -> registry.transition(ann, "fraud", 1, Stage.PRODUCTION, "", true))
                .hasMessageContaining("held Staging for at least 1d (held Staging for 23h 0m)");
        clock.advance(Duration.ofHours(2));
        assertThat(registry.transition(ann, "fraud", 1, Stage.PRODUCTION, "", true).stage()).isEqualTo(Stage.PRODUCTION);
    }

    @Test
    void rollbackRestoresAnEarlierHolderWithoutPolicyChecks() {
        Actor ann = user("ann", Role.APPROVER);
        register(ann, "fraud", Map.of("auc", 0.9));
        register(ann, "fraud", Map.of("auc", 0.9));
        registry.transition(ann, "fraud", 1, Stage.PRODUCTION, "", true);
        registry.transition(ann, "fraud", 2, Stage.PRODUCTION, "", true);
        governance.setPolicy(admin, "fraud", new Policy(Map.of("auc", 0.99), Map.of(), false, false, false, false, null,
                false, 0, true, List.of()));
        assertThat(registry.rollback(ann, "fraud", Pointer.stage(Stage.PRODUCTION), Optional.empty(), "bad deploy")
                .version()).isEqualTo(1);
    }

    // --- history and audit --------------------------------------------------------------------------------------

    @Test
    void pointersAtAnswersWhichVersionHeldWhatAtATime() {
        register(admin, "fraud", Map.of());
        register(admin, "fraud", Map.of());
        Instant start = clock.instant();
        registry.transition(admin, "fraud", 1, Stage.PRODUCTION, "", true);
        clock.advance(Duration.ofHours(1));
        registry.transition(admin, "fraud", 2, Stage.PRODUCTION, "", true);
        registry.setAlias(admin, "fraud", "champion", 2, "");
        clock.advance(Duration.ofHours(1));
        registry.deleteAlias(admin, "fraud", "champion", "");

        assertThat(registry.pointersAt("fraud", start)).isEqualTo(new ModelPointers(Map.of(), Map.of()));
        assertThat(registry.pointersAt("fraud", start.plusSeconds(1_800)))
                .isEqualTo(new ModelPointers(Map.of("Production", 1), Map.of()));
        assertThat(registry.pointersAt("fraud", start.plusSeconds(5_400)))
                .isEqualTo(new ModelPointers(Map.of("Production", 2), Map.of("champion", 2)));
        assertThat(registry.pointersAt("fraud", clock.instant().plusSeconds(1)))
                .isEqualTo(new ModelPointers(Map.of("Production", 2), Map.of()));
        assertRefused(ErrorCode.NOT_FOUND, () -> registry.pointersAt("nope", start));
    }

    @Test
    void theAuditChainVerifiesAndPointsAtTheFirstAlteredEvent() {
        register(admin, "fraud", Map.of());
        registry.transition(admin, "fraud", 1, Stage.PRODUCTION, "", true);
        user("bob", Role.VIEWER);
        AuditChain.Report intact = governance.verifyAudit(null);
        List<Event> all = registry.events(EventFilter.ALL, 1000, null).items();
        assertThat(intact.intact()).isTrue();
        assertThat(intact.checked()).isEqualTo(all.size());
        assertThat(intact.headSeq()).isEqualTo(all.get(all.size() - 1).seq());
        assertThat(governance.verifyAudit(intact.headHash()).intact()).isTrue();

        long transition = registry.events(EventFilter.of("fraud", List.of(EventKind.STAGE_TRANSITION)), 1, null)
                .items().get(0).seq();
        sql("UPDATE events SET actor = 'mallory' WHERE seq = " + transition);
        AuditChain.Report altered = governance.verifyAudit(null);
        assertThat(altered.intact()).isFalse();
        assertThat(altered.firstBadSeq()).isEqualTo(transition);
        assertThat(altered.problem()).contains("was altered");
    }

    @Test
    void theAuditChainNoticesDeletedEvents() {
        register(admin, "fraud", Map.of());
        registry.setModelTag(admin, "fraud", "team", "risk");
        registry.setModelTag(admin, "fraud", "tier", "1");
        List<Event> all = registry.events(EventFilter.ALL, 1000, null).items();
        String head = governance.verifyAudit(null).headHash();
        long middle = all.get(2).seq();

        sql("DELETE FROM events WHERE seq = " + all.get(all.size() - 1).seq());
        AuditChain.Report truncated = governance.verifyAudit(head);
        assertThat(truncated.intact()).isFalse();
        assertThat(truncated.problem()).contains("deleted from the end");

        sql("DELETE FROM events WHERE seq = " + middle);
        AuditChain.Report gap = governance.verifyAudit(null);
        assertThat(gap.intact()).isFalse();
        assertThat(gap.firstBadSeq()).isEqualTo(all.get(3).seq());
        assertThat(gap.problem()).contains("does not follow event " + all.get(1).seq());
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    Actor user(String name, Role role) {
        return governance.authenticate(governance.createUser(admin, name, role, null).token().secret());
    }

    int register(Actor actor, String model, Map<String, Double> metrics) {
        return register(actor, model, metrics, Lineage.EMPTY);
    }

    int register(Actor actor, String model, Map<String, Double> metrics, Lineage lineage) {
        int version = registry.createVersion(actor, model, new NewVersion(null, null, metrics, null, null, "onnx", null,
                null, lineage, null), true).version();
        registry.addFile(actor, model, version, "model.bin", bytes(model + version), Optional.empty());
        return registry.commit(actor, model, version).version();
    }

    long eventCount(String model) {
        return registry.events(EventFilter.of(model, List.of()), 1000, null).items().size();
    }

    static Policy policy(int approvals, List<String> protectedAliases) {
        return new Policy(Map.of(), Map.of(), false, false, false, false, null, false, approvals, true, protectedAliases);
    }

    void sql(String statement) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
