package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.ApiModels.AuditReport;
import dev.cairn.api.ApiModels.Check;
import dev.cairn.api.ApiModels.CreateModel;
import dev.cairn.api.ApiModels.CreateRequest;
import dev.cairn.api.ApiModels.CreateToken;
import dev.cairn.api.ApiModels.CreateUser;
import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.Event;
import dev.cairn.api.ApiModels.NewUser;
import dev.cairn.api.ApiModels.Pointers;
import dev.cairn.api.ApiModels.Policy;
import dev.cairn.api.ApiModels.PolicyView;
import dev.cairn.api.ApiModels.PromotionCheck;
import dev.cairn.api.ApiModels.Request;
import dev.cairn.api.ApiModels.Token;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.UpdateUser;
import dev.cairn.api.ApiModels.User;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.WhoAmI;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governance part of the SDK against a real server with authentication on, bootstrapped by an admin token. */
class GovernanceClientIT {
    private static final String ADMIN_TOKEN = "sdk-bootstrap-admin-token-0123456789";

    @TempDir
    static Path data;

    @TempDir
    Path work;

    static CairnServer server;
    static CairnClient admin;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN)
                .build());
        admin = as(ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTokenIdentifiesItsUserAndNoOrAForgedTokenIsRefused() {
        assertThat(admin.whoami()).isEqualTo(new WhoAmI("bootstrap-admin", "admin", true));

        NewUser created = admin.createUser(new CreateUser("sdk-eve", "editor", "30d"));
        assertThat(created.user().name()).isEqualTo("sdk-eve");
        assertThat(created.user().role()).isEqualTo("editor");
        String secret = created.token().token();
        assertThat(secret).isNotBlank();
        assertThat(created.token().expiresAt()).isNotNull();
        assertThat(as(secret).whoami()).isEqualTo(new WhoAmI("sdk-eve", "editor", true));

        CairnException anonymous = catchCairn(() -> as(null).whoami());
        assertThat(anonymous).isInstanceOf(UnauthenticatedException.class);
        assertThat(anonymous.httpStatus()).isEqualTo(401);
        String forged = secret.substring(0, secret.length() - 2) + "xx";
        CairnException refused = catchCairn(() -> as(forged).listModels(null, null, null));
        assertThat(refused).isInstanceOf(UnauthenticatedException.class);
        assertThat(refused.getMessage() + refused).doesNotContain(forged).doesNotContain(secret);
        assertThat(as(secret).toString()).doesNotContain(secret);
        assertThatThrownBy(() -> CairnClient.builder().baseUrl(server.url()).token("pasted with-a-space").build())
                .isInstanceOf(InvalidArgumentException.class).message().doesNotContain("with-a-space");
    }

    @Test
    void aRoleThatDoesNotAllowARequestIsRefusedAndNothingChanges() {
        CairnClient viewer = as(admin.createUser(new CreateUser("sdk-vic", "viewer", null)).token().token());
        CairnException denied = catchCairn(() -> viewer.createModel(new CreateModel("sdk-denied", null, null)));
        assertThat(denied).isInstanceOf(PermissionDeniedException.class);
        assertThat(denied.httpStatus()).isEqualTo(403);
        assertThatThrownBy(() -> admin.getModel("sdk-denied")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> viewer.createUser(new CreateUser("sdk-sneaky", "admin", null)))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(admin.listUsers(null, null).users()).extracting(User::name).doesNotContain("sdk-sneaky");

        assertThat(admin.updateUser("sdk-vic", new UpdateUser("editor")).role()).isEqualTo("editor");
        assertThat(viewer.createModel(new CreateModel("sdk-allowed", null, null)).name()).isEqualTo("sdk-allowed");
        assertThatThrownBy(() -> admin.updateUser("sdk-vic", new UpdateUser("wizard")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("wizard");
    }

    @Test
    void tokensAreCreatedListedWithoutSecretsAndRevoked() {
        admin.createUser(new CreateUser("sdk-tom", "viewer", null));
        Token token = admin.createToken(new CreateToken("sdk-tom", "1d"));
        assertThat(token.user()).isEqualTo("sdk-tom");
        assertThat(token.token()).isNotBlank();
        assertThat(as(token.token()).whoami().user()).isEqualTo("sdk-tom");

        List<Token> listed = admin.listTokens("sdk-tom", null, null).tokens();
        assertThat(listed).extracting(Token::id).contains(token.id());
        assertThat(listed).allSatisfy(t -> assertThat(t.token()).isNull());

        Token revoked = admin.revokeToken(token.id());
        assertThat(revoked.active()).isFalse();
        assertThat(revoked.revokedAt()).isNotNull();
        assertThatThrownBy(() -> as(token.token()).whoami()).isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> admin.createToken(new CreateToken("sdk-tom", "soon")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aPolicyBlocksAPromotionAndTheDryRunExplainsWhy() throws IOException {
        register("sdk-pol", 0.80);
        register("sdk-pol", 0.95);
        PolicyView set = admin.setPolicy("sdk-pol", policy(Map.of("auc", 0.9), 0, true, List.of("champion")));
        assertThat(set.source()).isEqualTo("model");
        assertThat(set.policy().minMetrics()).containsEntry("auc", 0.9);
        assertThat(admin.policy("sdk-pol").policy().protectedAliases()).containsExactly("champion");

        PromotionCheck low = admin.promotionCheck("sdk-pol", 1, "production");
        assertThat(low.allowed()).isFalse();
        assertThat(low.checks()).anySatisfy(c -> {
            assertThat(c.passed()).isFalse();
            assertThat(c.check()).contains("auc");
        });
        assertThat(admin.promotionCheck("sdk-pol", 2, "production").allowed()).isTrue();

        CairnException blocked = catchCairn(() -> admin.transition("sdk-pol", 1, new Transition("Production", null, null)));
        assertThat(blocked).isInstanceOf(PolicyBlockedException.class).isInstanceOf(ConflictException.class);
        assertThat(((PolicyBlockedException) blocked).failed()).extracting(Check::check)
                .anySatisfy(check -> assertThat(check).contains("auc"));
        assertThat(admin.getVersion("sdk-pol", 1).stage()).isNotEqualTo("Production");
        assertThat(admin.transition("sdk-pol", 2, new Transition("Production", null, null)).stage())
                .isEqualTo("Production");

        PolicyView reset = admin.deletePolicy("sdk-pol");
        assertThat(reset.source()).isEqualTo("default");
        PolicyView defaults = admin.setDefaultPolicy(policy(Map.of(), 0, true, List.of()));
        assertThat(defaults.source()).isEqualTo("default");
        assertThat(admin.defaultPolicy().policy().fourEyes()).isTrue();
    }

    @Test
    void aRequestIsApprovedByAnotherApproverRejectedOrCancelled() throws IOException {
        register("sdk-req", 0.9);
        register("sdk-req", 0.9);
        admin.setPolicy("sdk-req", policy(Map.of(), 1, true, List.of()));
        CairnClient editor = as(admin.createUser(new CreateUser("sdk-ed", "editor", null)).token().token());
        CairnClient ann = as(admin.createUser(new CreateUser("sdk-ann", "approver", null)).token().token());
        CairnClient amy = as(admin.createUser(new CreateUser("sdk-amy", "approver", null)).token().token());

        Request own = ann.createRequest(new CreateRequest("sdk-req", 1, "production", "ship it"));
        assertThat(own.status()).isEqualTo("pending");
        assertThat(own.requestedBy()).isEqualTo("sdk-ann");
        assertThatThrownBy(() -> ann.approveRequest(own.id(), null)).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("four-eyes");
        assertThatThrownBy(() -> editor.approveRequest(own.id(), null)).isInstanceOf(PermissionDeniedException.class);

        Request approved = amy.approveRequest(own.id(), "looks good");
        assertThat(approved.status()).isEqualTo("approved");
        assertThat(approved.approvals()).extracting(a -> a.approver()).containsExactly("sdk-amy");
        assertThat(admin.getVersion("sdk-req", 1).stage()).isEqualTo("Production");

        Request rejected = amy.rejectRequest(editor.createRequest(new CreateRequest("sdk-req", 2, "production", null))
                .id(), "not yet");
        assertThat(rejected.status()).isEqualTo("rejected");
        assertThat(rejected.decisionComment()).isEqualTo("not yet");
        Request cancelled = editor.cancelRequest(editor.createRequest(new CreateRequest("sdk-req", 2, "production", null))
                .id());
        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(admin.getVersion("sdk-req", 2).stage()).isNotEqualTo("Production");

        assertThat(admin.getRequest(own.id()).decidedBy()).isEqualTo("sdk-amy");
        assertThat(admin.listRequests("sdk-req", null, null, null).requests()).extracting(Request::status)
                .containsExactlyInAnyOrder("approved", "rejected", "cancelled");
        assertThat(admin.listRequests("sdk-req", "rejected", null, null).requests()).extracting(Request::id)
                .containsExactly(rejected.id());
    }

    @Test
    void aGrantWidensAUsersRoleOnOneModel() {
        admin.createModel(new CreateModel("sdk-granted", null, null));
        admin.createModel(new CreateModel("sdk-other", null, null));
        CairnClient viewer = as(admin.createUser(new CreateUser("sdk-gus", "viewer", null)).token().token());
        assertThatThrownBy(() -> viewer.setModelTag("sdk-granted", "k", "v")).isInstanceOf(PermissionDeniedException.class);

        assertThat(admin.setGrant("sdk-granted", "sdk-gus", "editor").role()).isEqualTo("editor");
        assertThat(admin.listGrants("sdk-granted").grants()).extracting(g -> g.user() + "=" + g.role())
                .containsExactly("sdk-gus=editor");
        assertThat(viewer.setModelTag("sdk-granted", "k", "v").tags()).containsEntry("k", "v");
        assertThatThrownBy(() -> viewer.setModelTag("sdk-other", "k", "v")).isInstanceOf(PermissionDeniedException.class);

        admin.deleteGrant("sdk-granted", "sdk-gus");
        assertThat(admin.listGrants("sdk-granted").grants()).isEmpty();
        assertThatThrownBy(() -> viewer.setModelTag("sdk-granted", "k", "w")).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void theAuditLogIsFilteredAndItsChainVerifies() throws IOException {
        Instant before = Instant.now().minusSeconds(1);
        register("sdk-audit", 0.5);
        admin.transition("sdk-audit", 1, new Transition("Staging", "try", null));

        List<Event> moves = admin.audit(new AuditFilter("sdk-audit", null, List.of("STAGE_TRANSITION"), before, null),
                null, null).events();
        assertThat(moves).hasSize(1);
        assertThat(moves.get(0).actor()).isEqualTo("bootstrap-admin");
        assertThat(admin.audit(new AuditFilter("sdk-audit", "bootstrap-admin", null, null, null), null, null).events())
                .extracting(Event::kind).contains("MODEL_CREATED", "VERSION_COMMITTED", "STAGE_TRANSITION");
        assertThat(admin.audit(new AuditFilter("sdk-audit", "nobody", null, null, null), null, null).events()).isEmpty();
        assertThat(admin.audit(new AuditFilter("sdk-audit", null, null, null, before), null, null).events()).isEmpty();
        assertThat(admin.audit(new AuditFilter("sdk-audit", null, null, null, null), 2, null).events()).hasSize(2);

        AuditReport report = admin.verifyAudit(null);
        assertThat(report.intact()).isTrue();
        assertThat(report.headHash()).isNotBlank();
        assertThat(admin.verifyAudit(report.headHash()).intact()).isTrue();
    }

    @Test
    void pointersAnswerWhichVersionHeldProductionAtATime() throws Exception {
        register("sdk-when", 0.5);
        register("sdk-when", 0.6);
        admin.transition("sdk-when", 1, new Transition("Production", null, null));
        Thread.sleep(20);
        Instant between = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Thread.sleep(20);
        admin.transition("sdk-when", 2, new Transition("Production", null, null));

        Pointers then = admin.pointers("sdk-when", between);
        assertThat(then.stages()).containsEntry("Production", 1);
        assertThat(admin.pointers("sdk-when", null).stages()).containsEntry("Production", 2);
    }

    private static CairnClient as(String token) {
        return CairnClient.builder().baseUrl(server.url()).token(token).build();
    }

    private static Policy policy(Map<String, Double> minMetrics, int approvals, boolean fourEyes, List<String> aliases) {
        return new Policy(minMetrics, Map.of(), false, false, false, false, null, false, approvals, fourEyes, aliases);
    }

    private void register(String model, double auc) throws IOException {
        Version draft = admin.createVersion(model, new CreateVersion(null, null, Map.of("auc", auc), null, null, null,
                null, null, null, true));
        Path file = Files.writeString(work.resolve(model + "-" + draft.version() + ".bin"), model + auc);
        admin.uploadFile(model, draft.version(), "model.bin", file, null);
        admin.commit(model, draft.version());
    }

    private static CairnException catchCairn(Runnable call) {
        try {
            call.run();
        } catch (CairnException e) {
            return e;
        }
        throw new AssertionError("expected a CairnException");
    }
}
