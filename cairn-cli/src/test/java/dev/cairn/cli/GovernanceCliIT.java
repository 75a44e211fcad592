package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.ApiModels.AuditReport;
import dev.cairn.api.ApiModels.EventList;
import dev.cairn.api.ApiModels.Pointers;
import dev.cairn.api.ApiModels.PolicyView;
import dev.cairn.api.ApiModels.PromotionCheck;
import dev.cairn.api.ApiModels.Request;
import dev.cairn.api.ApiModels.TokenList;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.cli.Cli.Result;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governance verbs through picocli, in-process, against a real server with authentication on. */
class GovernanceCliIT {
    private static final String ADMIN_TOKEN = "cli-bootstrap-admin-token-0123456789";

    @TempDir
    static Path data;

    static CairnServer server;

    @TempDir
    Path work;

    /** The bootstrap admin. */
    Cli admin;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN)
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void cli() {
        admin = new Cli(server.url(), work).as(ADMIN_TOKEN);
    }

    @Test
    void aCreatedUsersTokenWorksUntilItIsRevoked() {
        Result created = admin.run("users", "create", "alice", "--role", "editor");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("created user alice (editor)").contains("shown only now");
        String first = created.out().lines().filter(l -> l.startsWith("token:")).findFirst().orElseThrow()
                .substring("token:".length()).strip();
        Cli alice = anonymous().as(first);
        assertThat(alice.run("whoami").out()).containsPattern("user:\\s+alice").containsPattern("role:\\s+editor");

        JsonNode json = admin.run("-o", "json", "users", "create", "bob", "--role", "viewer", "--expires", "never").json();
        assertThat(json.get("user").get("name").asText()).isEqualTo("bob");
        assertThat(json.get("user").get("role").asText()).isEqualTo("viewer");
        assertThat(json.get("token_id").asText()).isNotBlank();
        assertThat(json.get("expires_at")).isNull();
        Cli bob = anonymous().as(json.get("token").asText());
        assertThat(bob.run("-o", "json", "whoami").json().get("user").asText()).isEqualTo("bob");

        Result users = admin.run("users", "list");
        assertThat(users.out()).containsPattern("alice\\s+editor").containsPattern("bob\\s+viewer");
        assertThat(admin.run("users", "set-role", "bob", "approver").out()).contains("bob is now approver");
        assertThat(bob.run("whoami").out()).containsPattern("role:\\s+approver");

        JsonNode token = alice.run("-o", "json", "tokens", "create", "--expires", "30d").json();
        assertThat(token.get("user").asText()).isEqualTo("alice");
        String id = token.get("id").asText();
        String second = token.get("token").asText();
        assertThat(second).isNotBlank().isNotEqualTo(first);
        assertThat(token.get("expires_at").asText()).isNotBlank();
        Result listed = admin.run("tokens", "list", "--user", "alice");
        assertThat(listed.out()).contains(id).contains("active").doesNotContain(second).doesNotContain(first);
        assertThat(alice.run("-o", "json", "tokens", "list").json(TokenList.class).tokens()).hasSize(2);

        Result revoked = alice.run("tokens", "revoke", id);
        assertThat(revoked.code()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked token " + id);
        assertThat(admin.run("tokens", "list", "--user", "alice").out()).contains("revoked");
        Result refused = anonymous().as(second).run("whoami");
        assertThat(refused.code()).isEqualTo(ExitCodes.UNAUTHENTICATED);
        assertOneErrorLine(refused, "revoked");
        assertThat(refused.err() + refused.out()).doesNotContain(second);
        assertThat(alice.run("whoami").code()).isZero();
    }

    @Test
    void withoutAValidTokenTheExitStatusIsSixAndWithoutTheRoleSeven() {
        Result none = anonymous().run("models", "list");
        assertThat(none.code()).isEqualTo(ExitCodes.UNAUTHENTICATED);
        assertOneErrorLine(none, "authentication");

        String forged = "cairn_forged-token-that-nobody-issued";
        Result bad = anonymous().as(forged).run("whoami");
        assertThat(bad.code()).isEqualTo(ExitCodes.UNAUTHENTICATED);
        assertThat(bad.err()).doesNotContain(forged);

        Cli viewer = user("vera", "viewer");
        Result denied = viewer.run("users", "create", "mallory", "--role", "admin");
        assertThat(denied.code()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertOneErrorLine(denied, "vera");
        assertThat(admin.run("users", "list").out()).doesNotContain("mallory");
        assertThat(viewer.run("models", "create", "vera-model").code()).isEqualTo(ExitCodes.PERMISSION_DENIED);

        // The option also works after the verb, and wins over whatever CAIRN_TOKEN says (see MainTest).
        assertThat(Cli.raw("--url", server.url(), "whoami", "--token", ADMIN_TOKEN).out()).contains("bootstrap-admin");
    }

    @Test
    void badInputForEachNewVerbExitsTwoAndChangesNothing() throws IOException {
        register("bad-input", "0.9");
        admin.run("users", "create", "carl", "--role", "editor");
        String policyBefore = admin.run("-o", "json", "policy", "show", "bad-input").out();
        String tokensBefore = admin.run("-o", "json", "tokens", "list", "--user", "carl").out();

        assertInvalid(admin.run("users", "create", "dora", "--role", "wizard"), "wizard");
        assertThat(admin.run("users", "list").out()).doesNotContain("dora");
        assertInvalid(admin.run("users", "create", "dora", "--role", "editor", "--expires", "3x"), "3x");
        assertThat(admin.run("users", "list").out()).doesNotContain("dora");
        assertInvalid(admin.run("users", "set-role", "carl", "wizard"), "wizard");
        assertInvalid(admin.run("tokens", "create", "--user", "carl", "--expires", "soon"), "soon");
        assertThat(admin.run("-o", "json", "tokens", "list", "--user", "carl").out()).isEqualTo(tokensBefore);

        assertInvalid(admin.run("policy", "set", "bad-input", "--min-metric", "auc=abc"), "abc");
        assertInvalid(admin.run("policy", "set", "bad-input", "--max-metric", "latency_ms"), "latency_ms");
        assertInvalid(admin.run("policy", "set", "bad-input", "--require-staging", "forever"), "forever");
        assertInvalid(admin.run("policy", "set", "bad-input", "--approvals", "-1"), "approvals");
        assertInvalid(admin.run("policy", "set", "--require-commit"), "MODEL or --default");
        assertInvalid(admin.run("policy", "set", "bad-input", "--default"), "not both");
        assertThat(admin.run("-o", "json", "policy", "show", "bad-input").out()).isEqualTo(policyBefore);

        assertInvalid(admin.run("requests", "create", "bad-input", "1"), "--to");
        assertInvalid(admin.run("requests", "create", "bad-input", "one", "--to", "production"), "one");
        assertThat(admin.run("-o", "json", "requests", "list", "--model", "bad-input").json().size()).isZero();
        assertInvalid(admin.run("requests", "approve", "x"), "x");

        assertInvalid(admin.run("grants", "set", "bad-input", "carl", "wizard"), "wizard");
        assertThat(admin.run("-o", "json", "grants", "list", "bad-input").json().get("grants").size()).isZero();
        assertInvalid(admin.run("audit", "list", "--since", "yesterday"), "yesterday");
        assertInvalid(admin.run("audit", "list", "--limit", "0"), "--limit");
        assertInvalid(admin.run("history", "bad-input", "--at", "2026-13-01"), "2026-13-01");
        assertInvalid(admin.run("history", "bad-input", "--at", "2026-03-01T12:00:00Z", "--all"), "--all");
    }

    @Test
    void policySetReplacesTheRulesAndShowReadsThemBack() throws IOException {
        register("pol", "0.9");
        PolicyView set = admin.run("-o", "json", "policy", "set", "pol", "--min-metric", "auc=0.9",
                "--min-metric", "f1=0.8", "--max-metric", "latency_ms=20", "--require-dataset-digest",
                "--require-commit", "--require-clean-tree", "--require-staging", "36h",
                "--require-compatible-signature", "--approvals", "2", "--protect-alias", "champion",
                "--protect-alias", "@canary", "--no-four-eyes").json(PolicyView.class);
        assertThat(set.model()).isEqualTo("pol");
        assertThat(set.source()).isEqualTo("model");
        var p = set.policy();
        assertThat(p.minMetrics()).containsEntry("auc", 0.9).containsEntry("f1", 0.8).hasSize(2);
        assertThat(p.maxMetrics()).containsEntry("latency_ms", 20.0).hasSize(1);
        assertThat(p.requireDatasetDigest()).isTrue();
        assertThat(p.requireCommit()).isTrue();
        assertThat(p.requireCleanTree()).isTrue();
        assertThat(p.requireStaging()).isTrue();
        assertThat(p.stagingFor()).isEqualTo("36h");
        assertThat(p.requireCompatibleSignature()).isTrue();
        assertThat(p.approvals()).isEqualTo(2);
        assertThat(p.fourEyes()).isFalse();
        assertThat(p.protectedAliases()).containsExactly("canary", "champion");
        assertThat(admin.run("-o", "json", "policy", "show", "pol").json(PolicyView.class)).isEqualTo(set);

        Result shown = admin.run("policy", "show", "pol");
        assertThat(shown.out()).containsPattern("policy of:\\s+pol \\(its own policy\\)")
                .containsPattern("min metrics:\\s+auc >= 0.9, f1 >= 0.8")
                .containsPattern("max metrics:\\s+latency_ms <= 20")
                .containsPattern("dataset digest:\\s+yes").containsPattern("code commit:\\s+yes")
                .containsPattern("clean work tree:\\s+yes").containsPattern("staging first:\\s+yes, for at least 36h")
                .containsPattern("compatible signature:\\s+yes").containsPattern("approvals:\\s+2")
                .containsPattern("four eyes:\\s+no").containsPattern("protected aliases:\\s+@canary, @champion");

        var replaced = admin.run("-o", "json", "policy", "set", "pol", "--require-staging").json(PolicyView.class)
                .policy();
        assertThat(replaced.minMetrics()).isNullOrEmpty();
        assertThat(replaced.requireStaging()).isTrue();
        assertThat(replaced.stagingFor()).isNull();
        assertThat(replaced.requireCommit()).isNotEqualTo(Boolean.TRUE);
        assertThat(replaced.fourEyes()).isTrue();

        assertThat(admin.run("policy", "set", "--default", "--require-commit").code()).isZero();
        assertThat(admin.run("policy", "show", "--default").out()).containsPattern("code commit:\\s+yes");
        PolicyView reset = admin.run("-o", "json", "policy", "reset", "pol").json(PolicyView.class);
        assertThat(reset.source()).isEqualTo("default");
        assertThat(reset.policy().requireCommit()).isTrue();
        assertThat(admin.run("policy", "show", "pol").out()).contains("the default policy");
        assertThat(admin.run("policy", "set", "--default").code()).isZero();
    }

    @Test
    void promoteDryRunExplainsTheChecksAndABlockedPromoteMovesNothing() throws IOException {
        register("gate", "0.80");
        register("gate", "0.95");
        assertThat(admin.run("policy", "set", "gate", "--min-metric", "auc=0.9").code()).isZero();

        Result fails = admin.run("promote", "gate", "1", "--to", "production", "--dry-run");
        assertThat(fails.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(fails.out()).containsPattern("FAIL\\s+.*auc").contains("blocked: gate version 1 may not move to");
        PromotionCheck check = admin.run("-o", "json", "promote", "gate", "1", "--to", "production", "--dry-run")
                .json(PromotionCheck.class);
        assertThat(check.allowed()).isFalse();
        assertThat(check.checks()).anySatisfy(c -> assertThat(c.passed()).isFalse());

        Result passes = admin.run("promote", "gate", "2", "--to", "production", "--dry-run");
        assertThat(passes.code()).as(passes.err()).isZero();
        assertThat(passes.out()).containsPattern("PASS\\s+.*auc").contains("allowed: gate version 2 may move to");
        assertThat(version("gate", 2).stage()).isNotEqualTo("Production");

        Result blocked = admin.run("promote", "gate", "1", "--to", "production");
        assertThat(blocked.code()).isEqualTo(ExitCodes.CONFLICT);
        List<String> lines = blocked.err().lines().toList();
        assertThat(lines.get(0)).startsWith("error: ").contains("auc");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  FAIL").contains("auc"));
        assertThat(version("gate", 1).stage()).isNotEqualTo("Production");

        assertThat(admin.run("promote", "gate", "2", "--to", "production").code()).isZero();
        assertThat(version("gate", 2).stage()).isEqualTo("Production");
    }

    @Test
    void requestsAreCreatedListedAndApprovedByAnotherApproverRejectedOrCancelled() throws IOException {
        register("req", "0.9");
        register("req", "0.9");
        register("req", "0.9");
        assertThat(admin.run("policy", "set", "req", "--approvals", "1", "--protect-alias", "champion").code()).isZero();
        Cli ed = user("ed", "editor");
        Cli ann = user("ann", "approver");
        Cli amy = user("amy", "approver");

        Result created = ann.run("requests", "create", "req", "1", "--to", "production", "--comment", "ship it");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("req v1 -> ").contains("pending");
        Request own = ann.run("-o", "json", "requests", "list", "--model", "req").json(Request[].class)[0];

        Result fourEyes = ann.run("requests", "approve", String.valueOf(own.id()));
        assertThat(fourEyes.code()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertOneErrorLine(fourEyes, "four-eyes");
        assertThat(ed.run("requests", "approve", String.valueOf(own.id())).code()).isEqualTo(ExitCodes.PERMISSION_DENIED);

        Result approved = amy.run("requests", "approve", String.valueOf(own.id()), "--comment", "ok");
        assertThat(approved.code()).as(approved.err()).isZero();
        assertThat(approved.out()).contains("approved request " + own.id()).contains("approved");
        assertThat(version("req", 1).stage()).isEqualTo("Production");
        assertThat(admin.run("requests", "show", String.valueOf(own.id())).out())
                .containsPattern("status:\\s+approved").containsPattern("approved by:\\s+amy").contains("ship it");

        Request toReject = ed.run("-o", "json", "requests", "create", "req", "2", "--to", "champion")
                .json(Request.class);
        Result rejected = amy.run("requests", "reject", String.valueOf(toReject.id()), "--comment", "not yet");
        assertThat(rejected.out()).contains("rejected request " + toReject.id());
        Request toCancel = ed.run("-o", "json", "requests", "create", "req", "3", "--to", "production")
                .json(Request.class);
        assertThat(ed.run("requests", "cancel", String.valueOf(toCancel.id())).out())
                .contains("cancelled request " + toCancel.id());
        assertThat(ed.run("requests", "cancel", String.valueOf(toCancel.id())).code()).isEqualTo(ExitCodes.CONFLICT);

        JsonNode list = admin.run("-o", "json", "requests", "list", "--model", "req").json();
        assertThat(list.isArray()).isTrue();
        assertThat(list.size()).isEqualTo(3);
        for (JsonNode r : list) {
            for (String field : List.of("id", "model", "version", "target", "requested_by", "status")) {
                assertThat(r.has(field)).as(field).isTrue();
            }
        }
        assertThat(list.findValuesAsText("status")).containsExactlyInAnyOrder("approved", "rejected", "cancelled");
        assertThat(list.findValuesAsText("requested_by")).containsExactlyInAnyOrder("ann", "ed", "ed");
        JsonNode rejectedOnly = admin.run("-o", "json", "requests", "list", "--status", "rejected", "--model", "req")
                .json();
        assertThat(rejectedOnly.findValuesAsText("target")).containsExactly(toReject.target());
        Result table = admin.run("requests", "list", "--model", "req");
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("REQUESTED BY").contains("STATUS");
    }

    @Test
    void grantsAreSetListedAndDeleted() {
        assertThat(admin.run("models", "create", "granted").code()).isZero();
        Cli gus = user("gus", "viewer");
        assertThat(gus.run("models", "create", "granted-2").code()).isEqualTo(ExitCodes.PERMISSION_DENIED);

        assertThat(admin.run("grants", "set", "granted", "gus", "editor").out()).contains("gus is editor on granted");
        assertThat(admin.run("grants", "list", "granted").out()).containsPattern("gus\\s+editor");
        Result deleted = admin.run("-o", "json", "grants", "delete", "granted", "gus");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.json().get("grants").size()).isZero();
        assertThat(admin.run("grants", "delete", "granted", "gus").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void historyAtATimeShowsWhatHeldEachStageAndAlias() throws Exception {
        register("when", "0.5");
        register("when", "0.6");
        assertThat(admin.run("promote", "when", "1", "--to", "production").code()).isZero();
        assertThat(admin.run("alias", "set", "when", "champion", "1").code()).isZero();
        Thread.sleep(20);
        String between = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        Thread.sleep(20);
        assertThat(admin.run("promote", "when", "2", "--to", "production").code()).isZero();
        assertThat(admin.run("alias", "delete", "when", "champion").code()).isZero();

        Result then = admin.run("history", "when", "--at", between);
        assertThat(then.code()).as(then.err()).isZero();
        assertThat(then.out()).containsPattern("Production\\s+v1").containsPattern("@champion\\s+v1");
        Pointers json = admin.run("-o", "json", "history", "when", "--at", between).json(Pointers.class);
        assertThat(json.stages()).containsEntry("Production", 1);
        assertThat(json.aliases()).containsEntry("champion", 1);
        Pointers now = admin.run("-o", "json", "history", "when", "--at", Instant.now().plusSeconds(1).toString())
                .json(Pointers.class);
        assertThat(now.stages()).containsEntry("Production", 2);
        assertThat(now.aliases()).isNullOrEmpty();
        assertThat(admin.run("history", "when").out()).contains("stage transition").contains("None -> Production");
    }

    @Test
    void auditListFiltersAndVerifyPrintsTheHead() throws IOException {
        Instant start = Instant.now().minusSeconds(1);
        register("audited", "0.5");
        Cli ed = user("audit-ed", "editor");
        assertThat(ed.run("promote", "audited", "1", "--to", "staging").code()).isZero();

        EventList moves = admin.run("-o", "json", "audit", "list", "--model", "audited", "--kind", "STAGE_TRANSITION")
                .json(EventList.class);
        assertThat(moves.events()).singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("audit-ed"));
        assertThat(admin.run("-o", "json", "audit", "list", "--actor", "audit-ed").json(EventList.class).events())
                .extracting(e -> e.kind()).containsExactly("STAGE_TRANSITION");
        assertThat(admin.run("-o", "json", "audit", "list", "--model", "audited", "--kind", "STAGE_TRANSITION",
                "--kind", "VERSION_COMMITTED").json(EventList.class).events()).hasSize(2);
        assertThat(admin.run("-o", "json", "audit", "list", "--model", "audited", "--since", start.toString())
                .json(EventList.class).events()).hasSizeGreaterThan(2);
        assertThat(admin.run("-o", "json", "audit", "list", "--model", "audited", "--until", start.toString())
                .json(EventList.class).events()).isEmpty();
        assertThat(admin.run("-o", "json", "audit", "list", "--limit", "2").json(EventList.class).events()).hasSize(2);
        Result table = admin.run("audit", "list", "--model", "audited");
        assertThat(table.out()).contains("SEQ").contains("stage transition").contains("audit-ed");

        Result verified = admin.run("audit", "verify");
        assertThat(verified.code()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("audit log intact").containsPattern("head: seq \\d+ hash \\S+");
        AuditReport report = admin.run("-o", "json", "audit", "verify").json(AuditReport.class);
        assertThat(admin.run("audit", "verify", "--expect-head", report.headHash()).code()).isZero();
    }

    @Test
    void auditVerifyNamesTheFirstAlteredEventAndExitsOne(@TempDir Path ownData) throws IOException, SQLException {
        try (CairnServer own = CairnServer.start(ServerConfig.builder().port(0).dataDir(ownData).build())) {
            Cli cli = new Cli(own.url(), work);
            Files.writeString(work.resolve("m.bin"), "weights");
            assertThat(cli.run("register", "tampered", "m.bin").code()).isZero();
            assertThat(cli.run("promote", "tampered", "1", "--to", "staging").code()).isZero();
            assertThat(cli.run("audit", "verify").code()).isZero();

            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + ownData.resolve("cairn.db"));
                 Statement sql = db.createStatement()) {
                sql.executeUpdate("UPDATE events SET actor = 'mallory' WHERE seq = 2");
            }
            Result broken = cli.run("audit", "verify");
            assertThat(broken.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(broken.out()).contains("audit log BROKEN at event 2", "intact up to: seq 1 hash ");
            assertThat(cli.run("-o", "json", "audit", "verify").json(AuditReport.class).firstBadSeq()).isEqualTo(2);
        }
    }

    @Test
    void helpListsTheAuthenticationExitStatuses() {
        Result help = Cli.raw("requests", "approve", "--help");
        assertThat(help.out()).contains("--token").contains("6   not authenticated").contains("7   permission denied");
    }

    /** A command line without any token. */
    private Cli anonymous() {
        return new Cli(server.url(), work);
    }

    /** Creates a user with {@code role} and answers a command line acting as them. */
    private Cli user(String name, String role) {
        Result created = admin.run("-o", "json", "users", "create", name, "--role", role);
        assertThat(created.code()).as(created.err()).isZero();
        return anonymous().as(created.json().get("token").asText());
    }

    private void register(String model, String auc) throws IOException {
        Path file = Files.writeString(work.resolve(model + "-" + auc + "-" + System.nanoTime() + ".bin"), model + auc);
        Result result = admin.run("register", model, file.getFileName().toString(), "--metric", "auc=" + auc);
        assertThat(result.code()).as(result.err()).isZero();
    }

    private Version version(String model, int version) {
        return admin.run("-o", "json", "versions", "show", model, String.valueOf(version)).json(Version.class);
    }

    private static void assertInvalid(Result result, String mentions) {
        assertThat(result.code()).as(result.err()).isEqualTo(ExitCodes.INVALID);
        assertOneErrorLine(result, mentions);
    }

    private static void assertOneErrorLine(Result result, String mentions) {
        assertThat(result.err().lines().toList()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("error: ").contains(mentions).doesNotContain("Exception");
    }
}
