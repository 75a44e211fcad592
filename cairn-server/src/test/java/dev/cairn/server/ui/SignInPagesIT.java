package dev.cairn.server.ui;

import static dev.cairn.server.ui.BrowsePagesIT.assertCommonLayout;
import static dev.cairn.server.ui.BrowsePagesIT.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.ui.Web.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With authentication on: signing in with a token, the cookie, and what each role sees and may do from the UI. */
class SignInPagesIT {
    private static final String ADMIN_TOKEN = "ui-bootstrap-admin-token-0123456789abcdef";

    @TempDir
    static Path data;
    static CairnServer server;
    static Web admin;
    static String viewer;
    static String editor;
    static String approver;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN).build());
        admin = new Web(server).bearer(ADMIN_TOKEN);
        viewer = user("vera", "viewer");
        editor = user("ed", "editor");
        approver = user("april", "approver");
        admin.register("fraud", "{\"metrics\":{\"auc\":0.9}}");
    }

    private static String user(String name, String role) {
        Reply created = admin.json("POST", "/api/v1/users", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("token").path("token").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPageWithoutSigningInSendsTheBrowserToTheSignInForm() {
        Reply page = new Web(server).get("/ui/models/fraud?page_token=");
        assertThat(page.status()).as(page.toString()).isEqualTo(303);
        assertThat(page.header("Location")).isEqualTo("/ui/signin?next=%2Fui%2Fmodels%2Ffraud%3Fpage_token%3D");
        Reply form = new Web(server).get("/ui/signin?next=/ui/models/fraud");
        assertThat(form.status()).isEqualTo(200);
        assertCommonLayout(form);
        assertThat(form.body()).contains("<form id=\"signin\"").contains("name=\"token\"")
                .contains("value=\"/ui/models/fraud\"");
        assertThat(new Web(server).get("/ui/signin?next=//evil.example/x").body()).contains("name=\"next\" value=\"/\"");
    }

    @Test
    void aBadTokenIsRefusedWithoutACookie() {
        Reply refused = new Web(server).form("/ui/signin", "token=cairn_not-a-real-token&next=%2F");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.body()).contains("class=\"flash error\"").contains("Sign-in failed")
                .doesNotContain("cairn_not-a-real-token");
        assertThat(refused.cookies()).noneMatch(c -> c.startsWith("cairn_token=cairn"));
    }

    @Test
    void aGoodTokenSetsAnHttpOnlyStrictCookieThatSignsInThePages() {
        Reply signedIn = new Web(server).form("/ui/signin", "token=" + Web.q(viewer) + "&next=%2Fui%2Fmodels%2Ffraud");
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(303);
        assertThat(signedIn.header("Location")).isEqualTo("/ui/models/fraud");
        String cookie = signedIn.cookies().stream().filter(c -> c.startsWith("cairn_token=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        Reply page = new Web(server).as("Cookie", cookie.substring(0, cookie.indexOf(';'))).get("/ui/models/fraud");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(text(page.body(), "whoami")).isEqualTo("vera");
        assertThat(page.body()).doesNotContain(viewer);
        Reply out = new Web(server).cookie(viewer).form("/ui/signout", "");
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.cookies()).anyMatch(c -> c.startsWith("cairn_token=;") && c.contains("Max-Age=0"));
    }

    @Test
    void theCookieDoesNotAuthenticateWritesToTheApi() {
        Reply write = new Web(server).cookie(editor).json("POST", "/api/v1/models", "{\"name\":\"by-cookie\"}");
        assertThat(write.status()).as(write.toString()).isEqualTo(401);
        assertThat(new Web(server).cookie(editor).get("/api/v1/models/fraud").status()).isEqualTo(200);
    }

    @Test
    void aViewerSeesNoActionForms() {
        Reply page = new Web(server).cookie(viewer).get("/ui/models/fraud");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("data-action=");
    }

    @Test
    void anEditorSeesEditorFormsAndIsRefusedProductionWithAReadableMessage() {
        Web ed = new Web(server).cookie(editor);
        Reply page = ed.get("/ui/models/fraud");
        assertThat(page.body()).contains("data-action=\"promote\"").contains("data-action=\"request\"")
                .doesNotContain("data-action=\"rollback\"").doesNotContain("<option>Production</option>");
        long events = admin.events();
        Reply refused = ed.form("/ui/models/fraud/promote", "version=1&stage=Production&confirm=yes");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body()).contains("class=\"flash error\"").contains("editor").contains("the approver role");
        assertThat(text(refused.body(), "production")).isEqualTo("none");
        assertThat(admin.events()).isEqualTo(events);

        Reply requested = ed.form("/ui/models/fraud/request", "version=1&target=production&confirm=yes");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(303);
        Reply requests = admin.get("/ui/requests");
        assertThat(requests.body()).contains("data-request=").contains("data-action=\"approve\"");
        assertThat(ed.get("/ui/requests").body()).doesNotContain("data-action=\"approve\"");
    }

    @Test
    void anApproverApprovesARequestFromTheRequestsPage() {
        admin.register("churn", "{}");
        Reply requested = new Web(server).cookie(editor).form("/ui/models/churn/request",
                "version=1&target=production&comment=ready&confirm=yes");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(303);
        Web april = new Web(server).cookie(approver);
        String page = april.get("/ui/requests").body();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr data-request=\"(\\d+)\">").matcher(page);
        long id = -1;
        while (row.find()) {
            long candidate = Long.parseLong(row.group(1));
            if (page.substring(row.end(), page.indexOf("</tr>", row.end())).contains("churn")) {
                id = candidate;
            }
        }
        assertThat(id).as(page).isPositive();
        Reply unconfirmed = april.form("/ui/requests/" + id + "/approve", "comment=ok");
        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(admin.json("GET", "/api/v1/models/churn/versions/1", null).json().get("stage").asText())
                .isEqualTo("None");
        Reply approved = april.form("/ui/requests/" + id + "/approve", "comment=ok&confirm=yes");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(303);
        assertThat(approved.header("Location")).isEqualTo("/ui/requests");
        assertThat(admin.json("GET", "/api/v1/models/churn/versions/1", null).json().get("stage").asText())
                .isEqualTo("Production");
        assertThat(april.get("/ui/models/churn").body()).contains("by request #" + id);
    }
}
