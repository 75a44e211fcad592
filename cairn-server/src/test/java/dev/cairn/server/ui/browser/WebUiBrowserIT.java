package dev.cairn.server.ui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import dev.cairn.server.CairnServer;
import dev.cairn.server.DemoData;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser, against a real server with authentication on, seeded with the demo registry: every
 * page loads with its heading and key parts, an approver promotes and rolls back through the forms (checked through the
 * API), a viewer is offered no actions, and the compare chart draws its points. Saves a screenshot of each page to
 * {@code docs/screenshots/} for the README.
 *
 * <p>The tests that take screenshots run first, so that the pictures show the demo registry before the other tests
 * promote, roll back and approve in it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserIT {
    private static final String ADMIN_TOKEN = "cairn_browser_it_admin_token_0123456789abcdef";
    private static final List<String> NAV = List.of("Models", "Requests", "Audit", "Lineage");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;

    private static CairnServer server;
    private static ChromeDriver browser;
    private static String viewer;
    private static String editor;
    private static String approver;

    @BeforeAll
    static void startServerAndBrowser() {
        if (!Browser.installed()) {
            return; // each test then says why it is skipped, or fails in CI
        }
        DemoData.seed(data);
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN).build());
        viewer = createUser("vera", "viewer");
        editor = createUser("eddie", "editor");
        approver = createUser("alex", "approver");
        browser = Browser.start(1280, 900);
    }

    @BeforeEach
    void requireBrowser() {
        Browser.requireInstalled();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void signInThroughTheForm() {
        browser.manage().deleteAllCookies();
        open("/ui/signin");
        assertPage("Sign in");
        assertThat(browser.findElements(By.cssSelector("form#signin input[name=token]"))).hasSize(1);
        Browser.screenshot(browser, "signin.png");

        signIn(viewer);
        assertThat(browser.findElement(By.id("whoami")).getText()).contains("vera");
    }

    @Test
    @Order(1)
    void everyPageShowsTheDemoRegistry() {
        signIn(approver);

        open("/");
        assertPage("Models");
        assertThat(browser.findElements(By.cssSelector("table#models tr[data-model]")))
                .extracting(row -> row.getAttribute("data-model"))
                .contains("fraud-detector", "churn-predictor", "demand-forecast", "image-tagger");
        Browser.screenshot(browser, "models.png");

        open("/ui/models/fraud-detector");
        assertPage("fraud-detector");
        assertThat(text("#production")).contains("v6");
        assertThat(text("#staging")).contains("v10");
        assertThat(browser.findElements(By.cssSelector("#versions tr[data-version]"))).hasSize(10);
        assertThat(text("#history")).contains("sam").contains("priya");
        Browser.screenshot(browser, "model.png");

        open("/ui/models/fraud-detector/versions/6");
        assertPage("fraud-detector");
        assertThat(browser.findElements(By.cssSelector("svg#lineage"))).hasSize(1);
        assertThat(text("svg#lineage")).contains("transactions");
        assertThat(text("#files")).contains("model.onnx").contains("config.json");
        assertThat(text("#metrics")).contains("auc");
        Browser.screenshot(browser, "version.png");

        open("/ui/models/fraud-detector/compare?versions=3,6,10&metric=auc");
        assertPage("fraud-detector");
        assertThat(text("#compare-metrics")).contains("auc").contains("latency_ms");
        // One point per version of the model, those that held Production marked.
        assertThat(browser.findElements(By.cssSelector("svg#metric-chart circle.point"))).hasSize(10);
        assertThat(browser.findElements(By.cssSelector("svg#metric-chart circle.point.production"))).isNotEmpty();
        browser.executeScript("document.getElementById('metric-chart').scrollIntoView({block: 'center'});");
        Browser.screenshot(browser, "compare.png");

        open("/");
        browser.findElement(By.linkText("Lineage")).click();
        assertPage("Lineage");
        WebElement search = browser.findElement(By.cssSelector("form[action='/ui/lineage']"));
        search.findElement(By.name("dataset")).sendKeys("s3://data/transactions");
        search.findElement(By.cssSelector("[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.getCurrentUrl().contains("dataset="));
        assertThat(browser.findElements(By.cssSelector("#lineage-results tr[data-model]")))
                .as("versions trained on s3://data/transactions").hasSize(10)
                .allSatisfy(row -> assertThat(row.getAttribute("data-model")).isEqualTo("fraud-detector"));
        Browser.screenshot(browser, "lineage.png");

        open("/ui/audit?verify=1");
        assertPage("Audit");
        assertThat(text("#chain-status")).contains("intact");
        assertThat(text("#events")).contains("fraud-detector");
        Browser.screenshot(browser, "audit.png");

        open("/ui/requests");
        assertPage("Requests");
        List<WebElement> pending = browser.findElements(By.cssSelector("tr[data-request]"));
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).getText()).contains("fraud-detector");
        assertThat(pending.get(0).findElements(By.cssSelector("form[data-action=approve]"))).hasSize(1);
        assertThat(pending.get(0).findElements(By.cssSelector("form[data-action=reject]"))).hasSize(1);
        Browser.screenshot(browser, "requests.png");
    }

    @Test
    void anApproverPromotesAndRollsBackThroughTheForms() {
        signIn(approver);
        assertThat(production("churn-predictor")).isEqualTo(4);

        open("/ui/models/churn-predictor");
        submit("promote", "version", "9", "stage", "Production");
        assertThat(flash()).doesNotContain("error");
        assertThat(production("churn-predictor")).as("Production after promoting v9 in the UI").isEqualTo(9);
        assertThat(text("#production")).contains("v9");

        open("/ui/models/churn-predictor");
        submit("rollback", "pointer", "Production");
        assertThat(flash()).doesNotContain("error");
        assertThat(production("churn-predictor")).as("Production after rolling back in the UI").isEqualTo(4);
        assertThat(text("#production")).contains("v4");
    }

    @Test
    void anApproverApprovesARequestOnTheRequestsPage() {
        JsonNode request = post("/api/v1/requests", "{\"model\":\"image-tagger\",\"version\":10,"
                + "\"target\":\"production\",\"comment\":\"larger batch wins\"}", editor);
        long id = request.get("id").asLong();
        String row = "tr[data-request='" + id + "']";

        signIn(approver);
        open("/ui/requests");
        submit(browser.findElement(By.cssSelector(row + " form[data-action=approve]")), "comment", "eval report checked");
        assertThat(flash()).doesNotContain("error");
        assertThat(production("image-tagger")).as("Production after approving in the UI").isEqualTo(10);
        assertThat(get("/api/v1/requests/" + id).get("status").asText()).isEqualToIgnoringCase("approved");
        open("/ui/requests");
        assertThat(browser.findElements(By.cssSelector(row))).as("the approved request, no longer pending").isEmpty();
    }

    @Test
    void aFormIsNotSubmittedWithoutConfirmation() {
        signIn(approver);
        open("/ui/models/demand-forecast");
        WebElement form = browser.findElement(By.cssSelector("form[data-action=promote]"));
        fill(form, "version", "9");
        fill(form, "stage", "Production");
        form.findElement(By.cssSelector("[type=submit]")).click();
        // The browser refuses to send it; were it sent, the server would refuse it: give either the time to show.
        assertThat(browser.findElements(By.cssSelector("#flash:not(.error)"))).as("a success message").isEmpty();
        assertThat(production("demand-forecast")).as("Production of demand-forecast, unconfirmed promotion").isEqualTo(5);
    }

    @Test
    void aViewerIsOfferedNoActions() {
        signIn(viewer);
        for (String page : List.of("/ui/models/churn-predictor", "/ui/models/fraud-detector/versions/10", "/ui/requests")) {
            open(page);
            assertThat(browser.findElements(By.tagName("h1"))).as(page).hasSize(1);
            assertThat(browser.findElements(By.cssSelector("[data-action]"))).as("actions a viewer sees on " + page).isEmpty();
        }
        assertThat(browser.findElements(By.cssSelector("tr[data-request]"))).as("the pending request is listed").hasSize(1);
    }

    @Test
    @Order(1)
    void theModelPageFitsANarrowScreen() {
        ChromeDriver phone = Browser.start(390, 844);
        try {
            phone.get(server.url() + "/ui/signin");
            phone.findElement(By.cssSelector("form#signin input[name=token]")).sendKeys(approver);
            phone.findElement(By.cssSelector("form#signin [type=submit]")).click();
            new WebDriverWait(phone, Duration.ofSeconds(10)).until(b -> !b.getCurrentUrl().contains("/ui/signin"));
            phone.get(server.url() + "/ui/models/fraud-detector");
            assertThat(phone.findElements(By.tagName("h1"))).singleElement()
                    .satisfies(h1 -> assertThat(h1.getText()).contains("fraud-detector"));
            Object overflow = phone.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue()).as("pixels the page overflows a 390 px screen sideways").isLessThanOrEqualTo(0);
            Browser.screenshot(phone, "model-mobile.png");
        } finally {
            phone.quit();
        }
    }

    // --- the browser ---------------------------------------------------------------------------------------------

    private void open(String path) {
        browser.get(server.url() + path);
    }

    /** Signs in afresh with {@code token} through the sign-in form. */
    private void signIn(String token) {
        browser.manage().deleteAllCookies();
        open("/ui/signin");
        WebElement form = browser.findElement(By.cssSelector("form#signin"));
        form.findElement(By.name("token")).sendKeys(token);
        form.findElement(By.cssSelector("[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> !b.getCurrentUrl().contains("/ui/signin"));
    }

    /** Checks the page's landmarks: one h1 containing {@code heading}, the main region, the navigation and the user. */
    private void assertPage(String heading) {
        assertThat(browser.findElements(By.tagName("h1"))).as("h1 of " + browser.getCurrentUrl()).singleElement()
                .satisfies(h1 -> assertThat(h1.getText()).containsIgnoringCase(heading));
        assertThat(browser.findElements(By.cssSelector("main#main"))).hasSize(1);
        for (String link : NAV) {
            assertThat(browser.findElements(By.linkText(link))).as("nav link " + link).isNotEmpty();
        }
        assertThat(browser.findElements(By.id("whoami"))).hasSize(1);
        Object unlabelled = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')]"
                        + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name || e.id)");
        assertThat((java.util.List<?>) unlabelled).as("form fields without a label on " + browser.getCurrentUrl()).isEmpty();
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Fills the form of {@code action} with name/value pairs, ticks its confirmation and submits it. */
    private void submit(String action, String... fields) {
        submit(browser.findElement(By.cssSelector("form[data-action=" + action + "]")), fields);
    }

    private void submit(WebElement form, String... fields) {
        for (int i = 0; i < fields.length; i += 2) {
            fill(form, fields[i], fields[i + 1]);
        }
        WebElement confirm = form.findElement(By.name("confirm"));
        if (!confirm.isSelected()) {
            confirm.click();
        }
        form.findElement(By.cssSelector("[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> !b.findElements(By.id("flash")).isEmpty());
    }

    /** The flash message's class and text. */
    private String flash() {
        WebElement flash = browser.findElement(By.id("flash"));
        return "class=" + flash.getAttribute("class") + " text=" + flash.getText();
    }

    /** Types into a field, or picks the option whose value or label is {@code value}, ignoring case. */
    private static void fill(WebElement form, String name, String value) {
        WebElement field = form.findElement(By.name(name));
        if (field.getTagName().equalsIgnoreCase("select")) {
            Select select = new Select(field);
            WebElement option = select.getOptions().stream()
                    .filter(o -> value.equalsIgnoreCase(o.getAttribute("value")) || value.equalsIgnoreCase(o.getText().strip()))
                    .findFirst().orElseThrow(() -> new AssertionError("no option '" + value + "' in " + name));
            if (!option.isSelected()) {
                option.click();
            }
        } else {
            field.clear();
            field.sendKeys(value);
        }
    }

    // --- the API -------------------------------------------------------------------------------------------------

    /** The version in Production now, as the API says, or null. */
    private static Integer production(String model) {
        JsonNode stages = get("/api/v1/models/" + model).path("stages");
        return stages.has("Production") ? stages.get("Production").asInt() : null;
    }

    private static String createUser(String name, String role) {
        JsonNode created = post("/api/v1/users", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", ADMIN_TOKEN);
        return created.path("token").path("token").asText();
    }

    private static JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET(), ADMIN_TOKEN, 200);
    }

    /** Posts JSON as the owner of {@code token}, expecting 201 Created. */
    private static JsonNode post(String path, String json, String token) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), token, 201);
    }

    private static JsonNode send(HttpRequest.Builder request, String token, int expected) {
        try {
            HttpResponse<String> reply = HTTP.send(request.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(expected);
            return Json.mapper().readTree(reply.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
