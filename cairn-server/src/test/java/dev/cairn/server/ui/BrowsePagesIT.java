package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.ui.Web.Reply;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's pages and forms over plain HTTP, as a browser without JavaScript uses them, on a server without
 * authentication (the local user may do everything; the promotion policy still applies).
 */
class BrowsePagesIT {
    private static final String EVIL = "<script>alert(1)</script>";
    /** A model name with markup (a name may not hold '/'). */
    private static final String EVIL_NAME = "<img src=x onerror=alert(1)>";

    @TempDir
    static Path data;
    static CairnServer server;
    static Web web;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
        web = new Web(server);
        String lineage = "\"lineage\":{\"datasets\":[{\"name\":\"payments\",\"uri\":\"s3://data/payments.parquet\","
                + "\"version\":\"7\",\"role\":\"train\",\"digest\":\"sha256:" + "a".repeat(64) + "\"}],"
                + "\"code\":{\"repository\":\"git@example.com:risk/fraud.git\",\"commit\":\"abcdef1234567\"}}";
        web.register("fraud", "{\"metrics\":{\"auc\":0.90,\"loss\":0.30},\"params\":{\"depth\":\"6\"},"
                + "\"tags\":{\"note\":\"" + EVIL.replace("\"", "\\\"") + "\"}," + lineage + "}");
        web.register("fraud", "{\"metrics\":{\"auc\":0.93,\"loss\":0.35},\"params\":{\"depth\":\"8\"},"
                + "\"lineage\":{\"parents\":[{\"model\":\"fraud\",\"version\":1,\"relation\":\"fine-tuned-from\"}]}}");
        web.register("fraud", "{\"metrics\":{\"auc\":0.88}}");
        assertThat(web.json("POST", "/api/v1/models/fraud/versions/1/stage", "{\"stage\":\"Production\"}").status())
                .isEqualTo(200);
        assertThat(web.json("POST", "/api/v1/models", "{\"name\":\"" + EVIL_NAME + "\"}").status()).isEqualTo(201);
        assertThat(web.json("PUT", "/api/v1/models/fraud/tags/team", "{\"value\":\"risk\"}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theModelsPageListsModelsWithTheirProductionVersionAndKeyMetric() {
        Reply page = web.get("/");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertCommonLayout(page);
        assertThat(page.body()).contains("<h1>Models</h1>").contains("<table id=\"models\"")
                .contains("<tr data-model=\"fraud\">");
        String row = between(page.body(), "<tr data-model=\"fraud\">", "</tr>");
        assertThat(row).contains("v1").contains("auc").contains("0.9");
        assertThat(web.get("/?q=rau").body()).contains("data-model=\"fraud\"");
        assertThat(web.get("/?q=nothing-like-it").body()).doesNotContain("data-model=\"fraud\"");
    }

    @Test
    void theModelsPageFiltersByStageAliasAndTag() {
        String inProduction = web.get("/?stage=Production").body();
        assertThat(inProduction).contains("data-model=\"fraud\"").doesNotContain("onerror");
        assertThat(web.get("/?tag=team%3Drisk").body()).contains("data-model=\"fraud\"").doesNotContain("onerror");
        assertThat(web.get("/?tag=team%3Dother").body()).doesNotContain("data-model=\"fraud\"");
        assertThat(web.get("/?tag=team").body()).contains("data-model=\"fraud\"");
        assertThat(web.get("/?alias=nobody-has-it").body()).doesNotContain("<tr data-model=");
        assertThat(web.get("/?stage=Nonsense").status()).isEqualTo(400);
    }

    @Test
    void markupInNamesAndTagsIsShownAsTextNeverRun() {
        Reply models = web.get("/");
        assertThat(models.body()).doesNotContain(EVIL_NAME).contains("&lt;img src=x onerror=alert(1)&gt;");
        Reply model = web.get("/ui/models/" + Web.seg(EVIL_NAME));
        assertThat(model.status()).as(model.toString()).isEqualTo(200);
        assertThat(model.body()).doesNotContain(EVIL_NAME).contains("<h1>&lt;img src=x onerror=alert(1)&gt;</h1>");
        Reply version = web.get("/ui/models/fraud/versions/1");
        assertThat(version.body()).doesNotContain(EVIL).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(version.header("Content-Security-Policy")).contains("default-src 'self'");
    }

    @Test
    void theModelPageShowsWhatServesTheVersionsTheHistoryAndTheActions() {
        Reply page = web.get("/ui/models/fraud");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertCommonLayout(page);
        assertThat(text(page.body(), "production")).isEqualTo("v1");
        assertThat(text(page.body(), "staging")).isEqualTo("none");
        assertThat(page.body()).contains("<table id=\"versions\"").contains("<tr data-version=\"3\">")
                .contains("<tr data-version=\"1\">").contains("id=\"history\"").contains("None → Production");
        for (String action : new String[] {"promote", "alias", "request", "rollback"}) {
            assertThat(page.body()).contains("data-action=\"" + action + "\"");
        }
        assertThat(page.body()).contains("name=\"confirm\"");
    }

    @Test
    void theVersionPageShowsMetricsFilesAndTheLineageGraph() {
        Reply page = web.get("/ui/models/fraud/versions/2");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertCommonLayout(page);
        assertThat(page.body()).contains("<svg id=\"lineage\"").contains("<table id=\"files\"")
                .contains("<table id=\"metrics\"").contains("fraud v1").contains("fine-tuned-from")
                .contains("href=\"/api/v1/models/fraud/versions/2/files/model.bin\"");
        Reply first = web.get("/ui/models/fraud/versions/1");
        assertThat(first.body()).contains("payments").contains("commit abcdef12345").contains("Production");
        Reply verified = web.get("/ui/models/fraud/versions/1?verify=1");
        assertThat(verified.body()).contains("id=\"verify-result\"").contains("Verified: 1 files match");
        assertThat(web.get("/ui/models/fraud/versions/99").status()).isEqualTo(404);
    }

    @Test
    void comparePageColoursDeltasAndChartsEveryVersionMarkingProduction() {
        Reply page = web.get("/ui/models/fraud/compare?versions=1,2&metric=auc");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertCommonLayout(page);
        String metrics = between(page.body(), "<table id=\"compare-metrics\"", "</table>");
        // auc went up (better); loss went up too, which is worse.
        assertThat(between(metrics, ">auc<", "</tr>")).contains("delta better");
        assertThat(between(metrics, ">loss", "</tr>")).contains("delta worse");
        String chart = between(page.body(), "<svg id=\"metric-chart\"", "</svg>");
        assertThat(count(chart, "<circle class=\"point")).isEqualTo(3);
        assertThat(count(chart, "class=\"point production\"")).isEqualTo(1);
        assertThat(chart).contains("data-version=\"1\"><title>v1: 0.9 (held Production)");
        assertThat(web.get("/ui/models/fraud/compare?versions=1,x").status()).isEqualTo(400);
    }

    @Test
    void auditLineageAndRequestPagesRender() {
        assertThat(text(web.get("/ui/audit").body(), "chain-status")).contains("not checked");
        Reply audit = web.get("/ui/audit?model=fraud&verify=1");
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        assertCommonLayout(audit);
        assertThat(text(audit.body(), "chain-status")).contains("intact");
        assertThat(audit.body()).contains("<table id=\"events\"").contains("STAGE_TRANSITION");
        Reply lineage = web.get("/ui/lineage?commit=abcdef12");
        assertThat(lineage.status()).as(lineage.toString()).isEqualTo(200);
        assertThat(lineage.body()).contains("data-model=\"fraud\" data-version=\"1\"");
        Reply requests = web.get("/ui/requests");
        assertThat(requests.status()).isEqualTo(200);
        assertThat(requests.body()).contains("<h1>Pending requests</h1>");
        assertThat(web.get("/ui/static/cairn.css").header("Content-Type")).startsWith("text/css");
        assertThat(web.get("/ui/static/htmx.min.js").body()).contains("htmx");
        assertThat(web.get("/ui/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void formsWorkWithoutJavaScriptAndRedirectBackWithAMessage() {
        web.register("churn", "{\"metrics\":{\"auc\":0.8}}");
        web.register("churn", "{\"metrics\":{\"auc\":0.85}}");
        Reply promoted = web.form("/ui/models/churn/promote", "version=1&stage=Production&confirm=yes&comment=go");
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(303);
        assertThat(promoted.header("Location")).isEqualTo("/ui/models/churn");
        String flash = promoted.cookies().stream().filter(c -> c.startsWith("cairn_flash=")).findFirst().orElseThrow();
        assertThat(web.json("GET", "/api/v1/models/churn/versions/1", null).json().get("stage").asText())
                .isEqualTo("Production");
        Reply after = web.as("Cookie", flash.substring(0, flash.indexOf(';'))).get("/ui/models/churn");
        assertThat(after.body()).contains("id=\"flash\" class=\"flash ok\"").contains("moved to Production");
        assertThat(text(after.body(), "production")).isEqualTo("v1");

        assertThat(web.form("/ui/models/churn/promote", "version=2&stage=Production&confirm=yes").status()).isEqualTo(303);
        assertThat(web.form("/ui/models/churn/alias", "alias=champion&version=2&confirm=yes").status()).isEqualTo(303);
        Reply rolledBack = web.form("/ui/models/churn/rollback", "pointer=Production&confirm=yes");
        assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(303);
        assertThat(web.json("GET", "/api/v1/models/churn/pointers", null).json().toString())
                .contains("\"champion\":2");
        assertThat(text(web.get("/ui/models/churn").body(), "production")).isEqualTo("v1");
        assertThat(web.get("/ui/models/churn").body()).contains("rollback of Production: v2 → v1");
    }

    @Test
    void aFormWithoutItsConfirmationChangesNothingAndSaysWhy() {
        web.register("unconfirmed", "{}");
        long events = web.events();
        Reply refused = web.form("/ui/models/unconfirmed/promote", "version=1&stage=Staging");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"flash\" class=\"flash error\"").contains("I confirm");
        assertThat(web.events()).isEqualTo(events);
        assertThat(web.json("GET", "/api/v1/models/unconfirmed/versions/1", null).json().get("stage").asText())
                .isEqualTo("None");
    }

    @Test
    void aFormFromAnotherSiteIsRefused() {
        web.register("forged", "{}");
        long events = web.events();
        Reply foreign = web.formFrom("https://evil.example", "/ui/models/forged/promote",
                "version=1&stage=Production&confirm=yes");
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(403);
        assertThat(foreign.body()).contains("another site");
        Reply none = web.formFrom(null, "/ui/models/forged/promote", "version=1&stage=Production&confirm=yes");
        assertThat(none.status()).isEqualTo(403);
        assertThat(web.events()).isEqualTo(events);
        assertThat(web.json("GET", "/api/v1/models/forged/versions/1", null).json().get("stage").asText())
                .isEqualTo("None");
    }

    @Test
    void aPolicyRefusalShowsEveryFailedCheck() {
        web.register("gated", "{\"metrics\":{\"auc\":0.5}}");
        assertThat(web.json("PUT", "/api/v1/models/gated/policy", "{\"min_metrics\":{\"auc\":0.9}}").status())
                .isEqualTo(200);
        Reply refused = web.form("/ui/models/gated/promote", "version=1&stage=Production&confirm=yes");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.body()).contains("class=\"flash error\"").contains("promotion policy refused")
                .contains("auc");
        assertThat(text(refused.body(), "production")).isEqualTo("none");
    }

    @Test
    void pagesOfAModelWithManyVersionsReadOnePageAtATime() {
        for (int i = 0; i < 501; i++) {
            web.version("big", "s3://bucket/big/" + i);
        }
        Reply page = web.get("/ui/models/big");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(count(page.body(), "<tr data-version=")).isEqualTo(25);
        assertThat(page.body()).contains("<tr data-version=\"501\">").doesNotContain("<tr data-version=\"476\">");
        Matcher older = Pattern.compile("href=\"(/ui/models/big\\?page_token=[^\"]+)\" rel=\"next\"").matcher(page.body());
        assertThat(older.find()).isTrue();
        Reply next = web.get(older.group(1).replace("&amp;", "&"));
        assertThat(next.body()).contains("<tr data-version=\"476\">").doesNotContain("<tr data-version=\"477\">");
        Reply compare = web.get("/ui/models/big/compare");
        assertThat(compare.status()).as(compare.toString()).isEqualTo(200);
        assertThat(compare.body()).contains("more than 500 versions").contains("value=\"500,501\"");
    }

    static void assertCommonLayout(Reply page) {
        assertThat(count(page.body(), "<h1")).isEqualTo(1);
        assertThat(page.body()).contains("<main id=\"main\">").contains("id=\"whoami\"")
                .contains(">Models</a>").contains(">Requests</a>").contains(">Audit</a>").contains(">Lineage</a>");
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'" + from + "' in the page").isNotNegative();
        int end = text.indexOf(to, start + from.length());
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The text of the element with this id (no nested markup). */
    static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(m.find()).as("#" + id + " in the page").isTrue();
        return m.group(1).strip();
    }
}
