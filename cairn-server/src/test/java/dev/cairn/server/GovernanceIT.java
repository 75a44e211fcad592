package dev.cairn.server;

import static dev.cairn.server.TestApi.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.TestApi.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance through the native API of a server that authenticates: per-model grants, transition requests and their
 * approvals, promotion policies (also against the MLflow API's ways around them), the audit log's filters and its
 * hash chain, and the pointers at a past time.
 */
class GovernanceIT {
    private static final String ADMIN_TOKEN = "governance-bootstrap-admin-token-42";
    private static final String[] ADMIN = bearer(ADMIN_TOKEN);
    private static final byte[] BYTES = "weights".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path data;
    static TestApi api;
    static String[] viewer;
    static String[] editor;
    static String[] otherEditor;
    static String[] approver;
    static String[] otherApprover;

    @BeforeAll
    static void start() {
        api = TestApi.startWithAuth(data, ADMIN_TOKEN);
        viewer = bearer(api.createUser("vic", "viewer"));
        editor = bearer(api.createUser("ed", "editor"));
        otherEditor = bearer(api.createUser("eve", "editor"));
        approver = bearer(api.createUser("ann", "approver"));
        otherApprover = bearer(api.createUser("amy", "approver"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    // --- per-model grants ---------------------------------------------------------------------------------------

    @Test
    void aGrantWidensOrNarrowsARoleOnOneModelOnly() {
        model("granted-a");
        model("granted-b");
        assertThat(api.put("/api/v1/models/granted-a/grants/vic", "{\"role\":\"editor\"}", ADMIN).json()
                .get("role").asText()).isEqualTo("editor");

        assertThat(api.put("/api/v1/models/granted-a/tags/team", "{\"value\":\"ml\"}", viewer).status()).isEqualTo(200);
        Reply other = api.unchangedBy(() -> api.put("/api/v1/models/granted-b/tags/team", "{\"value\":\"ml\"}", viewer));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.errorCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(other.errorMessage()).contains("'vic' is viewer on model 'granted-b'").contains("the editor role");

        // An approver narrowed to viewer on one model cannot move its Production; elsewhere they still can.
        api.registerAs(ADMIN, "granted-a", "model.bin", BYTES);
        api.registerAs(ADMIN, "granted-b", "model.bin", BYTES);
        api.put("/api/v1/models/granted-a/grants/ann", "{\"role\":\"viewer\"}", ADMIN);
        Reply narrowed = api.unchangedBy(() -> api.post("/api/v1/models/granted-a/versions/1/stage",
                "{\"stage\":\"Production\"}", approver));
        assertThat(narrowed.status()).isEqualTo(403);
        assertThat(narrowed.errorMessage()).contains("'ann' is viewer on model 'granted-a'");
        assertThat(api.get("/api/v1/models/granted-a/versions/1", ADMIN).json().get("stage").asText()).isEqualTo("None");
        assertThat(api.post("/api/v1/models/granted-b/versions/1/stage", "{\"stage\":\"Production\"}", approver).status())
                .isEqualTo(200);

        JsonNode grants = api.get("/api/v1/models/granted-a/grants", viewer).json().get("grants");
        assertThat(grants).extracting(g -> g.get("user").asText() + "=" + g.get("role").asText())
                .containsExactlyInAnyOrder("vic=editor", "ann=viewer");

        // Only an admin (of the registry or of the model) hands out grants.
        Reply selfGrant = api.unchangedBy(() -> api.put("/api/v1/models/granted-a/grants/vic", "{\"role\":\"admin\"}",
                viewer));
        assertThat(selfGrant.status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/models/granted-a/grants/vic", ADMIN).status()).isEqualTo(204);
        assertThat(api.put("/api/v1/models/granted-a/tags/team", "{\"value\":\"ops\"}", viewer).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/models/granted-a/grants/vic", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void theCallerIsTheTokensUserAndTheUserHeaderIsIgnored() {
        JsonNode me = api.get("/api/v1/whoami", "X-Cairn-User", "ann", editor[0], editor[1]).json();
        assertThat(me.get("user").asText()).isEqualTo("ed");
        assertThat(me.get("role").asText()).isEqualTo("editor");
        assertThat(me.get("authenticated").asBoolean()).isTrue();

        Reply created = api.post("/api/v1/models", "{\"name\":\"impersonated\"}", "X-Cairn-User", "ann", editor[0],
                editor[1]);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("owner").asText()).isEqualTo("ed");
        assertThat(api.get("/api/v1/models/impersonated/history", ADMIN).json().get("events").get(0).get("actor").asText())
                .isEqualTo("ed");
        assertThat(api.get("/api/v1/whoami", ADMIN).json().get("user").asText()).isEqualTo("bootstrap-admin");
    }

    // --- transition requests and approvals ----------------------------------------------------------------------

    @Test
    void anApproverOtherThanTheRequesterApprovesAndTheApprovalMakesTheTransition() {
        model("fraud");
        api.registerAs(ADMIN, "fraud", "model.bin", BYTES);
        Reply filed = request(editor, "fraud", 1, "Production", "ready for prime time");
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        JsonNode request = filed.json();
        long id = request.get("id").asLong();
        assertThat(request.get("status").asText()).isEqualTo("pending");
        assertThat(request.get("target").asText()).isEqualTo("production");
        assertThat(request.get("requested_by").asText()).isEqualTo("ed");

        // An editor cannot approve at all; an approver may not approve their own request (four-eyes).
        Reply byEditor = api.unchangedBy(() -> api.post("/api/v1/requests/" + id + "/approve", null, editor));
        assertThat(byEditor.status()).isEqualTo(403);
        Reply own = request(approver, "fraud", 1, "@champion", null);
        assertThat(own.status()).as("champion is not protected: no request needed").isEqualTo(400);
        api.put("/api/v1/models/fraud/policy", "{\"protected_aliases\":[\"champion\"]}", ADMIN);
        long ownId = request(approver, "fraud", 1, "@champion", null).json().get("id").asLong();
        Reply fourEyes = api.unchangedBy(() -> api.post("/api/v1/requests/" + ownId + "/approve", null, approver));
        assertThat(fourEyes.status()).isEqualTo(403);
        assertThat(fourEyes.errorMessage()).contains("four-eyes");

        Reply approved = api.post("/api/v1/requests/" + id + "/approve", "{\"comment\":\"looks good\"}", otherApprover);
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("approved");
        assertThat(approved.json().get("decided_by").asText()).isEqualTo("amy");
        assertThat(approved.json().get("approvals").get(0).get("approver").asText()).isEqualTo("amy");
        assertThat(api.get("/api/v1/models/fraud/versions/1", viewer).json().get("stage").asText()).isEqualTo("Production");
        List<JsonNode> history = events(api.get("/api/v1/models/fraud/history?kind=REQUEST_APPROVED,STAGE_TRANSITION",
                viewer));
        assertThat(history).extracting(e -> e.get("kind").asText() + " by " + e.get("actor").asText())
                .containsExactly("REQUEST_APPROVED by amy", "STAGE_TRANSITION by amy");
        assertThat(history.get(1).get("payload").get("request").asText()).isEqualTo(Long.toString(id));

        Reply twice = api.unchangedBy(() -> api.post("/api/v1/requests/" + id + "/approve", null, approver));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.errorCode()).isEqualTo("FAILED_PRECONDITION");
        assertThat(api.get("/api/v1/requests/" + id, viewer).json().get("status").asText()).isEqualTo("approved");
    }

    @Test
    void aPolicyAskingTwoApprovalsKeepsTheRequestPendingAfterTheFirst() {
        model("twice");
        api.registerAs(ADMIN, "twice", "model.bin", BYTES);
        api.put("/api/v1/models/twice/policy", "{\"approvals\":2}", ADMIN);
        // With approvals required, even an approver cannot move Production directly.
        Reply direct = api.post("/api/v1/models/twice/versions/1/stage", "{\"stage\":\"Production\"}", approver);
        assertThat(direct.status()).isEqualTo(409);
        assertThat(direct.errorMessage()).contains("file a transition request");

        long id = request(editor, "twice", 1, "production", null).json().get("id").asLong();
        JsonNode first = api.post("/api/v1/requests/" + id + "/approve", null, approver).json();
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("approvals")).hasSize(1);
        assertThat(api.get("/api/v1/models/twice/versions/1", viewer).json().get("stage").asText()).isEqualTo("None");
        assertThat(api.post("/api/v1/requests/" + id + "/approve", null, approver).status()).isEqualTo(409);

        JsonNode second = api.post("/api/v1/requests/" + id + "/approve", null, otherApprover).json();
        assertThat(second.get("status").asText()).isEqualTo("approved");
        assertThat(second.get("approvals")).extracting(a -> a.get("approver").asText()).containsExactly("ann", "amy");
        assertThat(api.get("/api/v1/models/twice/versions/1", viewer).json().get("stage").asText()).isEqualTo("Production");
    }

    @Test
    void requestsAreRejectedByApproversAndCancelledByTheirRequester() {
        model("declined");
        api.registerAs(ADMIN, "declined", "model.bin", BYTES);
        long rejected = request(editor, "declined", 1, "PRODUCTION", "please").json().get("id").asLong();
        assertThat(api.post("/api/v1/requests/" + rejected + "/reject", "{\"comment\":\"not yet\"}", editor).status())
                .isEqualTo(403);
        JsonNode decision = api.post("/api/v1/requests/" + rejected + "/reject", "{\"comment\":\"not yet\"}", approver)
                .json();
        assertThat(decision.get("status").asText()).isEqualTo("rejected");
        assertThat(decision.get("decision_comment").asText()).isEqualTo("not yet");
        assertThat(api.post("/api/v1/requests/" + rejected + "/approve", null, otherApprover).status()).isEqualTo(409);

        long cancelled = request(editor, "declined", 1, "production", null).json().get("id").asLong();
        Reply byOther = api.unchangedBy(() -> api.post("/api/v1/requests/" + cancelled + "/cancel", null, otherEditor));
        assertThat(byOther.status()).isEqualTo(403);
        assertThat(api.post("/api/v1/requests/" + cancelled + "/cancel", null, editor).json().get("status").asText())
                .isEqualTo("cancelled");
        assertThat(request(editor, "declined", 1, "production", null).status()).isEqualTo(201);
        assertThat(request(editor, "declined", 1, "production", null).status()).as("one pending request per target")
                .isEqualTo(409);

        JsonNode pending = api.get("/api/v1/requests?model=declined&status=pending", viewer).json();
        assertThat(pending.get("requests")).hasSize(1);
        JsonNode all = api.get("/api/v1/requests?model=declined", viewer).json();
        assertThat(all.get("requests")).extracting(r -> r.get("status").asText())
                .containsExactly("pending", "cancelled", "rejected");
        assertThat(api.get("/api/v1/requests?status=maybe", viewer).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/requests/999999", viewer).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/requests/abc", viewer).status()).isEqualTo(400);
        assertThat(request(editor, "declined", 0, "production", null).status()).isEqualTo(400);
        assertThat(request(editor, "declined", 1, "Staging", null).status()).isEqualTo(400);
    }

    // --- promotion policies -------------------------------------------------------------------------------------

    @Test
    void aBlockedPromotionIsRefusedWithEveryFailedCheckChangesNothingAndIsRecorded() {
        model("churn");
        JsonNode view = api.put("/api/v1/models/churn/policy", "{\"min_metrics\":{\"auc\":0.9},\"require_commit\":true,"
                + "\"staging_for\":\"1h\"}", ADMIN).json();
        assertThat(view.get("source").asText()).isEqualTo("model");
        assertThat(view.get("policy").get("staging_for").asText()).isEqualTo("1h");
        assertThat(view.get("policy").get("require_staging").asBoolean()).isTrue();
        assertThat(view.get("policy").get("four_eyes").asBoolean()).isTrue();
        registerWith("churn", "{\"metrics\":{\"auc\":0.8}}");

        long events = api.eventCount();
        Reply blocked = api.post("/api/v1/models/churn/versions/1/stage", "{\"stage\":\"Production\"}", approver);
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.errorCode()).isEqualTo("FAILED_PRECONDITION");
        assertThat(blocked.errorMessage()).contains("metric auc >= 0.9").contains("code commit");
        JsonNode details = blocked.json().get("error").get("details");
        assertThat(details.get("target").asText()).isEqualTo("production");
        assertThat(details.get("checks")).filteredOn(c -> !c.get("passed").asBoolean())
                .extracting(c -> c.get("check").asText())
                .containsExactly("metric auc >= 0.9", "lineage: code commit", "held Staging for at least 1h");
        assertThat(api.get("/api/v1/models/churn/versions/1", viewer).json().get("stage").asText()).isEqualTo("None");
        assertThat(api.eventCount()).as("only the refusal is recorded").isEqualTo(events + 1);
        JsonNode refusal = events(api.get("/api/v1/models/churn/history?kind=PROMOTION_BLOCKED", viewer)).get(0);
        assertThat(refusal.get("actor").asText()).isEqualTo("ann");
        assertThat(refusal.get("payload").get("failed").asText()).contains("metric auc >= 0.9");

        // The dry run explains the same, changing nothing; for an editor it says to file a request.
        JsonNode dryRun = api.unchangedBy(() -> api.get(
                "/api/v1/models/churn/versions/1/promotion-check?target=Production", approver)).json();
        assertThat(dryRun.get("allowed").asBoolean()).isFalse();
        assertThat(dryRun.get("checks")).extracting(c -> c.get("check").asText() + "=" + c.get("passed").asBoolean())
                .contains("role: approver=true", "metric auc >= 0.9=false", "lineage: code commit=false");
        JsonNode asEditor = api.get("/api/v1/models/churn/versions/1/promotion-check?target=production", editor).json();
        assertThat(asEditor.get("checks").get(0).get("detail").asText()).contains("file a transition request");
        assertThat(api.get("/api/v1/models/churn/versions/1/promotion-check", approver).status()).isEqualTo(400);

        // A version that meets the policy passes the dry run and moves.
        api.put("/api/v1/models/churn/policy", "{\"min_metrics\":{\"auc\":0.9},\"require_commit\":true}", ADMIN);
        registerWith("churn", "{\"metrics\":{\"auc\":0.95},\"lineage\":{\"code\":{\"commit\":\"abc123\"}}}");
        JsonNode passes = api.get("/api/v1/models/churn/versions/2/promotion-check?target=production", approver).json();
        assertThat(passes.get("allowed").asBoolean()).as(passes.toString()).isTrue();
        assertThat(api.post("/api/v1/models/churn/versions/2/stage", "{\"stage\":\"Production\"}", approver).status())
                .isEqualTo(200);
    }

    @Test
    void theMlflowApiCannotBypassPoliciesOrRoles() {
        model("bypass");
        api.put("/api/v1/models/bypass/policy", "{\"min_metrics\":{\"auc\":0.9},\"protected_aliases\":[\"champion\"]}",
                ADMIN);
        registerWith("bypass", "{\"metrics\":{\"auc\":0.5}}");
        String transition = "{\"name\":\"bypass\",\"version\":\"1\",\"stage\":\"Production\"}";
        String champion = "{\"name\":\"bypass\",\"alias\":\"champion\",\"version\":\"1\"}";

        for (String prefix : List.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/")) {
            Reply byEditor = api.unchangedBy(() -> api.post(prefix + "model-versions/transition-stage", transition, editor));
            assertThat(byEditor.status()).isEqualTo(403);
            assertThat(byEditor.json().get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
            Reply byApprover = api.post(prefix + "model-versions/transition-stage", transition, approver);
            assertThat(byApprover.status()).isEqualTo(409);
            assertThat(byApprover.json().get("message").asText()).contains("metric auc >= 0.9 (auc = 0.5)");

            Reply aliasByEditor = api.unchangedBy(() -> api.post(prefix + "registered-models/alias", champion, editor));
            assertThat(aliasByEditor.status()).isEqualTo(403);
            assertThat(aliasByEditor.json().get("message").asText()).contains("the approver role");
            Reply aliasByApprover = api.post(prefix + "registered-models/alias", champion, approver);
            assertThat(aliasByApprover.status()).isEqualTo(409);
            assertThat(aliasByApprover.json().get("error_code").asText()).isEqualTo("RESOURCE_CONFLICT");
        }
        // The same through the native API; an unprotected alias stays an editor's.
        assertThat(api.put("/api/v1/models/bypass/aliases/champion", "{\"version\":1}", editor).status()).isEqualTo(403);
        assertThat(api.put("/api/v1/models/bypass/aliases/candidate", "{\"version\":1}", editor).status()).isEqualTo(200);
        JsonNode version = api.get("/api/v1/models/bypass/versions/1", viewer).json();
        assertThat(version.get("stage").asText()).isEqualTo("None");
        assertThat(version.get("aliases")).extracting(JsonNode::asText).containsExactly("candidate");
        assertThat(events(api.get("/api/v1/models/bypass/history?kind=PROMOTION_BLOCKED", viewer))).hasSize(4);
    }

    @Test
    void policiesAreSetByAdminsAndAModelFallsBackToTheDefault() {
        model("defaulted");
        JsonNode none = api.get("/api/v1/models/defaulted/policy", viewer).json();
        assertThat(none.get("source").asText()).isEqualTo("default");
        assertThat(none.get("policy").get("approvals").asInt()).isZero();

        assertThat(api.unchangedBy(() -> api.put("/api/v1/policies/default", "{\"approvals\":1}", editor)).status())
                .isEqualTo(403);
        assertThat(api.unchangedBy(() -> api.put("/api/v1/models/defaulted/policy", "{\"approvals\":1}", approver))
                .status()).isEqualTo(403);
        for (String invalid : List.of("{\"approvals\":11}", "{\"staging_for\":\"soon\"}", "{\"protected_aliases\":[\"Bad\"]}",
                "{\"min_metrics\":{\"auc\":null}}", "[]")) {
            Reply reply = api.unchangedBy(() -> api.put("/api/v1/models/defaulted/policy", invalid, ADMIN));
            assertThat(reply.status()).as(invalid + " -> " + reply).isEqualTo(400);
        }

        try {
            JsonNode set = api.put("/api/v1/policies/default", "{\"max_metrics\":{\"latency_ms\":20}}", ADMIN).json();
            assertThat(set.get("source").asText()).isEqualTo("default");
            assertThat(set.has("model")).isFalse();
            assertThat(api.get("/api/v1/models/defaulted/policy", viewer).json().get("policy").get("max_metrics")
                    .get("latency_ms").asDouble()).isEqualTo(20.0);
            api.put("/api/v1/models/defaulted/policy", "{\"approvals\":3,\"four_eyes\":false}", ADMIN);
            JsonNode own = api.get("/api/v1/models/defaulted/policy", viewer).json();
            assertThat(own.get("source").asText()).isEqualTo("model");
            assertThat(own.get("policy").get("four_eyes").asBoolean()).isFalse();
            assertThat(own.get("policy").get("max_metrics")).isEmpty();
            JsonNode dropped = api.delete("/api/v1/models/defaulted/policy", ADMIN).json();
            assertThat(dropped.get("source").asText()).isEqualTo("default");
            assertThat(dropped.get("policy").get("max_metrics").get("latency_ms").asDouble()).isEqualTo(20.0);
            assertThat(api.delete("/api/v1/models/defaulted/policy", ADMIN).status()).isEqualTo(404);
        } finally {
            api.put("/api/v1/policies/default", "{}", ADMIN);
        }
    }

    // --- audit log and history ----------------------------------------------------------------------------------

    @Test
    void theAuditLogFiltersByModelActorKindAndTime() throws Exception {
        model("audited");
        Instant before = Instant.now();
        Thread.sleep(5);
        api.put("/api/v1/models/audited/tags/a", "{\"value\":\"1\"}", editor);
        api.put("/api/v1/models/audited/tags/b", "{\"value\":\"2\"}", otherEditor);
        Thread.sleep(5);
        Instant middle = Instant.now();
        Thread.sleep(5);
        api.patch("/api/v1/models/audited", "{\"description\":\"d\"}", editor);

        assertThat(kinds("/api/v1/audit?model=audited")).containsExactly("MODEL_CREATED", "MODEL_TAG_SET",
                "MODEL_TAG_SET", "MODEL_UPDATED");
        assertThat(kinds("/api/v1/audit?model=audited&actor=ed")).containsExactly("MODEL_TAG_SET", "MODEL_UPDATED");
        assertThat(kinds("/api/v1/audit?model=audited&kind=MODEL_UPDATED&kind=MODEL_CREATED"))
                .containsExactly("MODEL_CREATED", "MODEL_UPDATED");
        assertThat(kinds("/api/v1/audit?model=audited&since=" + before + "&until=" + middle))
                .containsExactly("MODEL_TAG_SET", "MODEL_TAG_SET");
        assertThat(kinds("/api/v1/audit?actor=eve&since=" + before)).containsExactly("MODEL_TAG_SET");
        assertThat(kinds("/api/v1/audit?actor=bootstrap-admin&kind=USER_CREATED")).hasSizeGreaterThanOrEqualTo(5);

        JsonNode page = api.get("/api/v1/audit?model=audited&limit=3", viewer).json();
        assertThat(page.get("events")).hasSize(3);
        JsonNode rest = api.get("/api/v1/audit?model=audited&limit=3&page_token="
                + page.get("next_page_token").asText(), viewer).json();
        assertThat(rest.get("events")).hasSize(1);

        assertThat(api.get("/api/v1/audit?since=yesterday", viewer).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit?kind=NOT_A_KIND", viewer).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit?model=never-existed", viewer).status()).isEqualTo(404);
        assertThat(kinds("/api/v1/audit?actor=" + TestApi.enc("' OR '1'='1"))).isEmpty();
    }

    @Test
    void aFreshRegistrysAuditChainIsIntact(@TempDir Path fresh) {
        try (TestApi own = TestApi.startWithAuth(fresh, ADMIN_TOKEN)) {
            JsonNode empty = own.get("/api/v1/audit/verify", ADMIN).json();
            assertThat(empty.get("intact").asBoolean()).isTrue();
            assertThat(empty.get("checked").asLong()).isZero();
            assertThat(empty.has("head_hash")).isFalse();
            own.post("/api/v1/models", "{\"name\":\"first\"}", ADMIN);
            JsonNode one = own.get("/api/v1/audit/verify", ADMIN).json();
            assertThat(one.get("intact").asBoolean()).isTrue();
            assertThat(one.get("checked").asLong()).isEqualTo(1);
            assertThat(one.get("head_seq").asLong())
                    .isEqualTo(own.get("/api/v1/events", ADMIN).json().get("events").get(0).get("seq").asLong());
        }
    }

    @Test
    void theAuditChainVerifiesAndNamesItsHead() {
        JsonNode report = api.get("/api/v1/audit/verify", viewer).json();
        assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("checked").asLong()).isEqualTo(api.eventCount());
        assertThat(report.has("first_bad_seq")).isFalse();
        String head = report.get("head_hash").asText();
        assertThat(head).matches("[0-9a-f]{64}");

        assertThat(api.get("/api/v1/audit/verify?expect_head=" + head, viewer).json().get("intact").asBoolean()).isTrue();
        JsonNode truncated = api.get("/api/v1/audit/verify?expect_head=" + "0".repeat(63) + "1", viewer).json();
        assertThat(truncated.get("intact").asBoolean()).isFalse();
        assertThat(truncated.get("problem").asText()).contains("deleted from the end");
    }

    @Test
    void pointersAnswerWhichVersionHeldEachStageAndAliasAtATime() throws Exception {
        model("timeline");
        api.registerAs(ADMIN, "timeline", "model.bin", BYTES);
        api.registerAs(ADMIN, "timeline", "model.bin", "two".getBytes(StandardCharsets.UTF_8));
        Instant empty = Instant.now();
        Thread.sleep(5);
        api.post("/api/v1/models/timeline/versions/1/stage", "{\"stage\":\"Production\"}", approver);
        api.put("/api/v1/models/timeline/aliases/candidate", "{\"version\":2}", editor);
        Thread.sleep(5);
        Instant first = Instant.now();
        Thread.sleep(5);
        api.post("/api/v1/models/timeline/versions/2/stage", "{\"stage\":\"Production\"}", approver);
        api.delete("/api/v1/models/timeline/aliases/candidate", editor);

        JsonNode then = api.get("/api/v1/models/timeline/pointers?at=" + first, viewer).json();
        assertThat(then.get("at").asText()).isEqualTo(first.toString());
        assertThat(then.get("stages").get("Production").asInt()).isEqualTo(1);
        assertThat(then.get("aliases").get("candidate").asInt()).isEqualTo(2);
        JsonNode before = api.get("/api/v1/models/timeline/pointers?at=" + empty, viewer).json();
        assertThat(before.get("stages")).isEmpty();
        JsonNode now = api.get("/api/v1/models/timeline/pointers", viewer).json();
        assertThat(now.get("stages").get("Production").asInt()).isEqualTo(2);
        assertThat(now.get("aliases")).isEmpty();
        assertThat(now.get("at").asText()).isNotEmpty();
        assertThat(api.get("/api/v1/models/timeline/pointers?at=noon", viewer).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/models/nowhere/pointers", viewer).status()).isEqualTo(404);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static void model(String name) {
        Reply created = api.post("/api/v1/models", "{\"name\":\"" + name + "\"}", ADMIN);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    /** Registers a READY version with the given CreateVersion body, as the admin. */
    private static void registerWith(String model, String versionJson) {
        Reply draft = api.post("/api/v1/models/" + model + "/versions", versionJson, ADMIN);
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        String base = "/api/v1/models/" + model + "/versions/" + draft.json().get("version").asInt();
        assertThat(api.upload(base + "/files/model.bin", BYTES, ADMIN).status()).isEqualTo(201);
        assertThat(api.post(base + "/commit", null, ADMIN).status()).isEqualTo(200);
    }

    private static Reply request(String[] who, String model, int version, String target, String comment) {
        return api.post("/api/v1/requests", "{\"model\":\"" + model + "\",\"version\":" + version + ",\"target\":\""
                + target + "\"" + (comment == null ? "" : ",\"comment\":\"" + comment + "\"") + "}", who);
    }

    private static List<JsonNode> events(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        reply.json().get("events").forEach(events::add);
        return events;
    }

    private static List<String> kinds(String path) {
        return events(api.get(path, viewer)).stream().map(e -> e.get("kind").asText()).toList();
    }
}
