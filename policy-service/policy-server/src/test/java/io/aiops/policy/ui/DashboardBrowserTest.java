package io.aiops.policy.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.IssuedApiKey;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.SpendReport;
import io.aiops.policy.support.PolicyServerTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboards in a real browser (headless Chromium driven by Selenium) against the real server: sign in with an
 * API key, open each page, and find on it the figures the API gives for the same period, to the micro-dollar; a key
 * limited to one project finds another project's workflow and instance refused and its data nowhere. Screenshots of
 * every page land in {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest extends PolicyServerTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static ChromeDriver browser;

    private static String project;
    private static String foreignProject;
    private static String workflow;
    private static String foreignWorkflow;
    private static String cheap;
    private static String strong;
    private static long instance;
    private static long foreignInstance;
    private static String projectViewerKey;
    private static boolean recorded;

    @BeforeAll
    static void startBrowser() throws IOException {
        Path chromium = Path.of(System.getProperty("aiops.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("aiops.chromedriver", "/usr/bin/chromedriver"));
        assertThat(chromium)
                .as("the browser tests need Debian's chromium and chromium-driver (.ci/run installs them)")
                .isExecutable();
        assertThat(driver).as("chromedriver").isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1800",
                "--user-data-dir=" + Files.createTempDirectory("aiops-chromium"));
        // the browser's console, to find Content Security Policy violations
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * Once: two weeks of calls of one workflow in the project (a new, dearer model joins in the second week), and one
     * call of another project's workflow.
     */
    @BeforeEach
    void recordCalls() {
        if (recorded) {
            return;
        }
        recorded = true;
        project = unique("dash");
        foreignProject = unique("dash-other");
        workflow = unique("invoice-flow");
        foreignWorkflow = unique("secret-flow");
        cheap = "cheap-" + project;
        strong = "strong-" + project;
        admin.putModel(new ModelPrice(
                "acme", cheap, new BigDecimal("0.0000011"), new BigDecimal("0.0000023"), null, null, null, null));
        admin.putModel(new ModelPrice(
                "acme", strong, new BigDecimal("0.0000107"), new BigDecimal("0.0000311"), null, null, null, null));
        for (String p : List.of(project, foreignProject)) {
            admin.putRoutingPolicy(new RoutingPolicy(
                    unique("route"),
                    p,
                    null,
                    List.of(
                            new RoutingPolicy.Target("acme", cheap, null),
                            new RoutingPolicy.Target("acme", strong, null))));
        }
        projectViewerKey = admin.createApiKey(new ApiKeyRequest("dash-viewer", ApiRole.VIEWER, List.of(project)))
                .key();

        // week of Monday 2026-11-23 (the clock starts on Thursday the 26th): three calls on the cheap model
        instance = nextKey();
        call(project, workflow, instance, "extract", List.of(attempt(cheap, CallStatus.SUCCEEDED, 1200, 300, 900)));
        call(project, workflow, nextKey(), "extract", List.of(attempt(cheap, CallStatus.SUCCEEDED, 1000, 250, 700)));
        call(project, workflow, nextKey(), "summarise", List.of(attempt(cheap, CallStatus.SUCCEEDED, 800, 200, 400)));
        foreignInstance = nextKey();
        call(
                foreignProject,
                foreignWorkflow,
                foreignInstance,
                "extract",
                List.of(attempt(cheap, CallStatus.SUCCEEDED, 5000, 900, 800)));

        // the next week: more calls, and the strong model answers after the cheap one fails
        CLOCK.advance(Duration.ofDays(7));
        call(project, workflow, nextKey(), "extract", List.of(attempt(cheap, CallStatus.SUCCEEDED, 1100, 280, 650)));
        call(project, workflow, nextKey(), "extract", List.of(attempt(cheap, CallStatus.SUCCEEDED, 1300, 310, 720)));
        call(
                project,
                workflow,
                nextKey(),
                "extract",
                List.of(
                        attempt(cheap, CallStatus.FAILED, 0, 0, 30_000),
                        attempt(strong, CallStatus.SUCCEEDED, 1500, 420, 2100)));
        call(project, workflow, nextKey(), "summarise", List.of(attempt(strong, CallStatus.SUCCEEDED, 900, 350, 1800)));
    }

    private static CallOutcome.Attempt attempt(String model, CallStatus status, long input, long output, long latency) {
        return new CallOutcome.Attempt(
                "acme",
                model,
                input,
                0L,
                0L,
                output,
                0L,
                latency,
                status,
                status == CallStatus.FAILED ? "HTTP_503" : null);
    }

    private void call(
            String inProject,
            String bpmnProcessId,
            long processInstance,
            String element,
            List<CallOutcome.Attempt> attempts) {
        long elementInstance = nextKey();
        Decision decision = worker.decide(new DecisionRequest(
                "ei:" + elementInstance + ":1",
                inProject,
                bpmnProcessId,
                7L,
                processInstance,
                element,
                elementInstance,
                null,
                element,
                null,
                1000,
                500,
                Map.of()));
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                                attempts,
                                Map.of(),
                                "Extract the invoice total from: ACME Ltd, 120 EUR",
                                "{\"total\": 120}")
                        .withTraceId(TRACE_ID));
    }

    private void signIn(String key) {
        browser.manage().deleteAllCookies();
        browser.get(baseUri() + "/ui/login");
        browser.findElement(By.id("apiKey")).sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
    }

    private void open(String path, String screenshot) throws IOException {
        browser.get(baseUri() + path);
        Path file = SCREENSHOTS.resolve(screenshot + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** As the pages show money: US dollars rounded half-even to the micro-dollar, with thousands separators. */
    private static String usd(BigDecimal amount) {
        BigDecimal micro = amount.setScale(6, RoundingMode.HALF_EVEN);
        return (micro.signum() < 0 ? "-$" : "$") + String.format(java.util.Locale.ROOT, "%,.6f", micro.abs());
    }

    private SpendReport spend(String from, String to, String groupBy) {
        return new io.aiops.policy.api.PolicyClient(baseUri(), projectViewerKey).spend(from, to, groupBy, List.of());
    }

    @Test
    @Order(1)
    void aWorkerKeyCannotSignInAndTheLoginFormNeedsItsCsrfToken() throws Exception {
        signIn(workerKey());
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login?error");
        assertThat(text("sign-in-error")).contains("not the API key of a viewer or an admin");

        // a form post without the page's CSRF token is refused, even with a valid key
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUri() + "/ui/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("apiKey=" + ADMIN_KEY))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);

        // a page without a session leads to the sign-in page
        browser.manage().deleteAllCookies();
        browser.get(baseUri() + "/ui/budgets");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    }

    private String workerKey() {
        return admin.createApiKey(new ApiKeyRequest("dash-worker", ApiRole.WORKER, List.of(project)))
                .key();
    }

    @Test
    @Order(2)
    void theOverviewShowsThisWeeksSpendAsTheApiReportsItInAnHttpOnlySession() throws Exception {
        signIn(projectViewerKey);
        open("/ui/", "overview");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/");
        Cookie session = browser.manage().getCookieNamed("AIOPS_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualToIgnoringCase("Lax");
        assertThat(text("signed-in-as")).contains("dash-viewer").contains(project);

        LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        LocalDate monday = today.minusDays(today.getDayOfWeek().getValue() - 1);
        SpendReport week = spend(monday.toString(), today.plusDays(1).toString(), null);
        assertThat(week.total().calls()).isEqualTo(4);
        assertThat(browser.findElement(By.cssSelector("#period-this-week .cost"))
                        .getText())
                .isEqualTo(usd(week.total().costUsd()));
        SpendReport month =
                spend(today.withDayOfMonth(1).toString(), today.plusDays(1).toString(), "workflow");
        assertThat(browser.findElement(By.id("top-workflows")).getText())
                .contains(workflow)
                .contains(usd(month.groups().getFirst().costUsd()));
        // the chart was drawn from the page's data, one series
        assertThat(browser.findElement(By.id("trend-chart")).getAttribute("data-drawn"))
                .isEqualTo("1");
        assertThat(browser.getPageSource()).doesNotContain(foreignWorkflow).doesNotContain(foreignProject);
    }

    @Test
    @Order(3)
    void theWorkflowPageAgreesWithTheApiToTheMicroDollar() throws Exception {
        signIn(projectViewerKey);
        LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        String from = today.minusDays(14).toString();
        String to = today.plusDays(1).toString();
        open("/ui/workflows/" + workflow + "?from=" + from + "&to=" + to, "workflow");
        SpendReport byModel = spend(from, to, "workflow,model");
        BigDecimal total =
                byModel.groups().stream().map(SpendReport.Group::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(text("workflow-cost")).isEqualTo(usd(total));
        assertThat(text("workflow-calls")).isEqualTo("7");
        assertThat(text("workflow-failovers")).isEqualTo("1");
        // one attempt of eight failed, but every call ended with an answer
        assertThat(text("workflow-error-rate")).isEqualTo("0.0 %");
        String models = text("by-model");
        for (SpendReport.Group g : byModel.groups()) {
            assertThat(models).contains(g.key().get("model")).contains(usd(g.costUsd()));
        }
        assertThat(browser.findElement(By.id("workflow-chart")).getAttribute("data-drawn"))
                .isEqualTo("2");
        // quality per model, on its own page
        browser.findElement(By.id("quality-link")).click();
        Files.write(
                SCREENSHOTS.resolve("workflow-quality.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(text("quality")).contains(cheap).contains(strong);
        open("/ui/workflows/" + workflow + "?from=" + from + "&to=" + to, "workflow");
        // the most expensive instance leads to its own page
        WebElement costliest = browser.findElement(By.cssSelector("#costliest tbody tr a"));
        assertThat(costliest.getText()).isNotBlank();
    }

    @Test
    @Order(4)
    void theInstancePageShowsEveryCallWithItsCostPromptAndAnswer() throws Exception {
        signIn(projectViewerKey);
        open("/ui/instances/" + instance, "instance");
        List<CallRecord> calls =
                new io.aiops.policy.api.PolicyClient(baseUri(), projectViewerKey).callsOfProcessInstance(instance);
        assertThat(text("instance-calls")).isEqualTo(Integer.toString(calls.size()));
        assertThat(text("instance-cost")).isEqualTo(usd(calls.getFirst().costUsd()));
        assertThat(browser.getPageSource()).contains("ACME Ltd, 120 EUR").contains("cheap-");
        // the worker's trace of the call, linked to the tracing UI the server was told of
        assertThat(browser.findElement(By.cssSelector(".trace a")).getAttribute("href"))
                .isEqualTo("http://traces.example/trace/" + TRACE_ID);

        browser.findElement(By.id("audit-link")).click();
        Files.write(
                SCREENSHOTS.resolve("instance-audit.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(text("audit-verdicts")).contains(project).contains("intact");
    }

    @Test
    @Order(5)
    void theWeeklyReviewSplitsTheChangeIntoDriversThatAddUp() throws Exception {
        signIn(projectViewerKey);
        LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        LocalDate monday = today.minusDays(today.getDayOfWeek().getValue() - 1);
        open("/ui/weekly-review?week=" + monday, "weekly-review");
        SpendReport after = spend(monday.toString(), monday.plusWeeks(1).toString(), null);
        SpendReport before = spend(monday.minusWeeks(1).toString(), monday.toString(), null);
        assertThat(text("week-after")).isEqualTo(usd(after.total().costUsd()));
        assertThat(text("week-before")).isEqualTo(usd(before.total().costUsd()));
        BigDecimal change = after.total().costUsd().subtract(before.total().costUsd());
        assertThat(text("week-change")).isEqualTo("+" + usd(change));

        WebElement row = browser.findElement(By.cssSelector("#drivers tbody tr"));
        BigDecimal drivers = row.findElements(By.cssSelector("td.driver")).stream()
                .map(td -> new BigDecimal(td.getText().replace("$", "").replace(",", "")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(drivers).isEqualByComparingTo(change.setScale(6, RoundingMode.HALF_EVEN));
        // a new model in the week: the mix names it
        assertThat(text("headlines")).contains(workflow).contains("new model " + strong);
        assertThat(text("headlines")).contains("volume, 4 calls after 3");

        // the export is one HTML file with nothing to fetch
        HttpResponse<String> export = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUri() + "/ui/weekly-review/export?week=" + monday))
                                .header(
                                        "Cookie",
                                        "AIOPS_SESSION="
                                                + browser.manage()
                                                        .getCookieNamed("AIOPS_SESSION")
                                                        .getValue())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment")
                .contains("ai-spend-week-" + monday);
        assertThat(export.body())
                .contains(usd(after.total().costUsd()))
                .doesNotContain("<script")
                .doesNotContain("src=");
    }

    @Test
    @Order(6)
    void anotherProjectsWorkflowAndInstanceAreRefusedAndAppearNowhere() throws Exception {
        signIn(projectViewerKey);
        open("/ui/workflows/" + foreignWorkflow, "foreign-workflow");
        assertThat(text("status")).isEqualTo("404");
        open("/ui/instances/" + foreignInstance, "foreign-instance");
        assertThat(text("status")).isEqualTo("403");
        // odd addresses are refused pages, not errors of the database: a NUL, a name past the limit, a bad date
        String cookie = "AIOPS_SESSION="
                + browser.manage().getCookieNamed("AIOPS_SESSION").getValue();
        for (String odd : List.of(
                "/ui/workflows/bad%00name", "/ui/workflows/" + "w".repeat(300), "/ui/weekly-review?week=last-week")) {
            HttpResponse<String> refused = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(baseUri() + odd))
                                    .header("Cookie", cookie)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(odd).isEqualTo(400);
        }
        for (String page : List.of("/ui/", "/ui/budgets", "/ui/alerts", "/ui/weekly-review")) {
            browser.get(baseUri() + page);
            assertThat(browser.getPageSource()).as(page).doesNotContain(foreignWorkflow);
        }
    }

    @Test
    @Order(7)
    void theApiPageListsTheOperationsForASignedInViewerUnderTheDashboardsPolicy() throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(baseUri() + "/ui/api");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");

        signIn(projectViewerKey);
        // reading the console empties it: what follows is this page's
        browser.manage().logs().get(LogType.BROWSER);
        browser.findElement(By.id("api-link")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/ui/swagger-ui/index.html");
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(page -> !page.findElements(By.cssSelector(".opblock-summary-path"))
                        .isEmpty());
        Files.write(SCREENSHOTS.resolve("api.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        List<String> paths = browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(paths).contains("/api/v1/decisions", "/api/v1/decisions/{decisionId}/outcome");
        // the bearer key scheme is there for "Try it out"
        assertThat(browser.findElements(By.cssSelector(".btn.authorize"))).isNotEmpty();
        // the page runs under the dashboards' policy (scripts and styles from this server only) without a violation
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()
                        || entry.getMessage().contains("Content Security Policy"))
                // the browser asks for /favicon.ico by itself, outside the dashboards (401 from the API key check)
                .filteredOn(entry -> !entry.getMessage().contains("/favicon.ico"))
                .isEmpty();
        // only Swagger UI's page allows its one inline style; the dashboards' pages allow none
        String cookie = "AIOPS_SESSION="
                + browser.manage().getCookieNamed("AIOPS_SESSION").getValue();
        for (String page : List.of("/ui/", "/ui/swagger-ui/index.html")) {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(baseUri() + page))
                                    .header("Cookie", cookie)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(page).isEqualTo(200);
            String policy =
                    answer.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).as(page).contains("default-src 'self'; script-src 'self';");
            assertThat(policy.contains("style-src 'self';")).as(page).isEqualTo(page.equals("/ui/"));
        }
    }

    @Test
    @Order(8)
    void aOneTimeLinkSignsInOnceAndSigningOutEndsTheSession() throws Exception {
        HttpResponse<String> issued = sendAsAdmin("POST", "/api/v1/ui/sign-in-links", null);
        assertThat(issued.statusCode()).isEqualTo(200);
        String url = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(issued.body())
                .get("url")
                .asText();
        browser.manage().deleteAllCookies();
        browser.get(url);
        browser.findElement(By.id("use-link")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/ui/");
        assertThat(text("signed-in-as")).contains("bootstrap-admin");
        open("/ui/budgets", "budgets");
        open("/ui/alerts", "alerts");

        browser.findElement(By.id("logout")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login?signedOut");
        browser.get(baseUri() + "/ui/");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");

        // the link was used
        browser.get(url);
        browser.findElement(By.id("use-link")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login?linkUsed");
        // a viewer may not ask for links
        HttpResponse<String> byViewer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/ui/sign-in-links"))
                                .header("Authorization", "Bearer " + projectViewerKey)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(byViewer.statusCode()).isEqualTo(403);
    }

    @Test
    @Order(8)
    void aSessionEndsWithItsKeyOnceTheKeyIsRevoked() throws Exception {
        IssuedApiKey key = admin.createApiKey(new ApiKeyRequest("dash-leaver", ApiRole.VIEWER, List.of(project)));
        signIn(key.key());
        browser.get(baseUri() + "/ui/budgets");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/budgets");

        admin.revokeApiKey(key.id());

        // the session cookie alone no longer opens a page: the next request asks to sign in
        browser.get(baseUri() + "/ui/budgets");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
        browser.get(baseUri() + "/ui/");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    }
}
