package io.aiops.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The checked-in element templates in the real Camunda 8 properties panel: the web modeler of the npm package
 * camunda-bpmn-js (the editor Camunda Modeler is built from) opens a diagram whose two service tasks are bound to the
 * AI task and the AI feedback templates, in headless Chromium driven by Selenium. A builder's clicks pick the fields:
 * the task kind and the prompt source dropdowns show and hide the fields their conditions name. Screenshots land in
 * {@code target/screenshots/}.
 */
class ModelerPropertiesPanelBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path MODELER_DIST = Path.of("node_modules", "camunda-bpmn-js", "dist");
    private static final Path PAGE = Path.of("src", "test", "resources", "modeler");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    private static HttpServer server;
    private static ChromeDriver browser;
    private static String baseUrl;

    @BeforeAll
    static void serveTheModelerAndStartTheBrowser() throws IOException {
        assertThat(MODELER_DIST.resolve("camunda-cloud-modeler.production.min.js"))
                .as("the modeler bundle of camunda-bpmn-js (the build's npm ci installs it; else run npm ci in"
                        + " element-templates)")
                .isRegularFile();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/camunda-bpmn-js/", exchange -> serve(exchange, "/camunda-bpmn-js/", MODELER_DIST));
        server.createContext("/templates/", exchange -> serve(exchange, "/templates/", Path.of(".")));
        server.createContext("/", exchange -> serve(exchange, "/", PAGE));
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/";

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
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + Files.createTempDirectory("aiops-chromium"));
        browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(driver.toFile())
                        .build(),
                options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopTheBrowserAndTheServer() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    /** Each test starts from the diagram as saved: the modeler opened anew, nothing selected. */
    @BeforeEach
    void openTheDiagram() {
        browser.get(baseUrl + "index.html");
        new WebDriverWait(browser, WAIT)
                .until(b -> Boolean.TRUE.equals(script("return window.aiops.ready || !!window.aiops.failure")));
        assertThat(script("return window.aiops.failure"))
                .as("opening the diagram")
                .isNull();
        assertThat(script("return window.aiops.templateErrors"))
                .as("what the modeler's template loader rejected")
                .isEqualTo(List.of());
    }

    @Test
    void theAiTaskShowsTheTemplatesGroupsAndTheFiveTaskKinds() {
        select("classify_ticket");
        openGroups("Task");

        assertThat(text(By.cssSelector("#properties .bio-properties-panel-header-type")))
                .isEqualTo("AI Task (AI Ops)");
        assertThat(browser.findElement(By.cssSelector("#canvas [data-element-id='classify_ticket'] image"))
                        .getDomAttribute("href"))
                .as("the template's icon on the task")
                .startsWith("data:image/svg+xml");
        assertThat(groupLabels())
                .containsSubsequence(
                        "Task",
                        "Prompt",
                        "Classification",
                        "Quality checks",
                        "Model and limits",
                        "Output mapping",
                        "Error handling",
                        "Retries")
                .doesNotContain("Structured output");
        Select taskKind = dropdown("Task kind");
        assertThat(taskKind.getOptions().stream().map(WebElement::getText))
                .containsExactly(
                        "Classify: pick one category",
                        "Extract: JSON by a schema",
                        "Generate: write a text",
                        "Summarise: shorten a text",
                        "Custom: any other task");
        assertThat(taskKind.getFirstSelectedOption().getText()).isEqualTo("Classify: pick one category");
    }

    @Test
    void aClassifyTaskOffersCategoriesAndAFallbackButNoSchema() throws IOException {
        select("classify_ticket");
        openGroups("Task", "Prompt", "Classification");

        assertThat(fieldLabels())
                .contains("Project", "Task kind", "Categories", "Fallback category", "System prompt", "Prompt")
                .doesNotContain("JSON schema", "Custom task kind", "Minimum answer length", "Prompt reference");
        assertThat(field("Categories").isDisplayed()).isTrue();
        assertThat(value("Categories")).isEqualTo("billing, technical, other");
        assertThat(value("Fallback category")).isEqualTo("other");
        assertThat(description("Categories")).isEqualTo("The answers allowed, comma-separated or a FEEL list");
        screenshot("ai-task-classify");
    }

    @Test
    void switchingTheTaskKindToExtractShowsTheSchemaAndDropsTheCategories() throws Exception {
        select("classify_ticket");
        openGroups("Task");

        choose("Task kind", "Extract: JSON by a schema");

        awaitField("JSON schema");
        assertThat(fieldLabels()).doesNotContain("Categories", "Fallback category", "Minimum answer length");
        assertThat(groupLabels()).contains("Structured output").doesNotContain("Classification");
        openGroups("Task", "Structured output");
        assertThat(field("JSON schema").isDisplayed()).isTrue();
        assertThat(description("JSON schema"))
                .isEqualTo("The JSON the answer must have; the parsed answer is the result's json");
        assertThat(savedXml())
                .as("the diagram as the modeler saves it")
                .contains("<zeebe:input source=\"extract\" target=\"taskKind\" />")
                .doesNotContain("target=\"categories\"", "target=\"fallbackCategory\"");
        screenshot("ai-task-extract");
    }

    @Test
    void thePromptSourceSwitchesBetweenAWrittenPromptAndARegistryReference() throws IOException {
        select("classify_ticket");
        openGroups("Prompt");
        assertThat(fieldLabels()).contains("System prompt", "Prompt").doesNotContain("Prompt reference");

        choose("Prompt source", "Prompt registry");

        awaitField("Prompt reference");
        assertThat(fieldLabels()).contains("Prompt variables").doesNotContain("System prompt", "Prompt");
        openGroups("Prompt");
        assertThat(field("Prompt reference").isDisplayed()).isTrue();
        assertThat(placeholder("Prompt reference")).isEqualTo("classify-ticket@production");
        assertThat(description("Prompt reference")).isEqualTo("A registry prompt: name, name@version or name@label");
        assertThat(error("Prompt reference")).isEqualTo("Prompt reference must not be empty.");

        input("Prompt reference").sendKeys("classify-ticket@production");

        new WebDriverWait(browser, WAIT)
                .withMessage("the typed reference in the saved diagram")
                .until(b -> savedXml().contains("source=\"classify-ticket@production\" target=\"promptRef\""));
        assertThat(field("Prompt reference").findElements(By.cssSelector(".bio-properties-panel-error")))
                .isEmpty();
        assertThat(savedXml())
                .contains("<zeebe:input source=\"reference\" target=\"promptSource\" />")
                .doesNotContain("target=\"prompt\"", "target=\"systemPrompt\"");
        screenshot("ai-task-reference");

        choose("Prompt source", "Written here");
        awaitField("System prompt");
        assertThat(fieldLabels()).contains("Prompt").doesNotContain("Prompt reference", "Prompt variables");
    }

    @Test
    void everyFieldAndGroupOfTheAiTaskHasATooltipAndEveryFieldADescription() {
        select("classify_ticket");

        @SuppressWarnings("unchecked")
        Map<String, List<String>> found = (Map<String, List<String>>) script("""
                const entries = Array.from(document.querySelectorAll(
                    '#properties [data-entry-id^="custom-entry-io.aiops.ai-task.v1"]'));
                const groups = Array.from(document.querySelectorAll(
                    '#properties [data-group-id^="group-ElementTemplates__CustomProperties-"]'));
                const label = (node, selector) => node.querySelector(selector).textContent.trim();
                return {
                  fields: entries.map(e => label(e, '.bio-properties-panel-label')),
                  withoutTooltip: entries
                      .filter(e => !e.querySelector('.bio-properties-panel-label .bio-properties-panel-tooltip-wrapper'))
                      .map(e => label(e, '.bio-properties-panel-label')),
                  withoutDescription: entries
                      .filter(e => !e.querySelector('.bio-properties-panel-description'))
                      .map(e => label(e, '.bio-properties-panel-label')),
                  groupsWithoutTooltip: groups
                      .filter(g => !g.querySelector('.bio-properties-panel-group-header-title .bio-properties-panel-tooltip-wrapper'))
                      .map(g => label(g, '.bio-properties-panel-group-header-title'))
                };
                """);

        assertThat(found.get("fields")).contains("Project", "Task kind", "Categories", "Retry backoff");
        assertThat(found.get("withoutTooltip")).as("fields without a tooltip").isEmpty();
        assertThat(found.get("withoutDescription"))
                .as("fields without a description")
                .isEmpty();
        assertThat(found.get("groupsWithoutTooltip"))
                .as("groups without a tooltip")
                .isEmpty();
    }

    @Test
    void hoveringALabelOrAGroupShowsItsTooltip() throws IOException {
        select("classify_ticket");
        openGroups("Task");

        assertThat(hover(label("Task kind")))
                .startsWith("Classify reads the answer as one of the declared categories; extract parses it as JSON");
        assertThat(hover(groupTitle("Prompt"))).startsWith("The text sent to the model: written here (FEEL allowed)");
        hover(label("Task kind"));
        screenshot("ai-task-tooltip");
    }

    @Test
    void theFeedbackTaskShowsItsFields() throws IOException {
        select("record_feedback");
        openGroups("AI call", "Verdict");

        assertThat(text(By.cssSelector("#properties .bio-properties-panel-header-type")))
                .isEqualTo("AI Feedback (AI Ops)");
        assertThat(groupLabels())
                .containsSubsequence("AI call", "Verdict", "Output mapping", "Error handling", "Retries");
        assertThat(fieldLabels())
                .contains("AI call id", "AI task element id", "Score name", "Verdict", "Source", "Explanation")
                .doesNotContain("Task kind", "Prompt");
        assertThat(field("Verdict").isDisplayed()).isTrue();
        assertThat(value("Score name")).isEqualTo("accepted");
        Select source = dropdown("Source");
        assertThat(source.getOptions().stream().map(WebElement::getText))
                .containsExactly("A person (reviewer, agent)", "A later step of the workflow");
        assertThat(source.getFirstSelectedOption().getText()).isEqualTo("A person (reviewer, agent)");
        assertThat(description("Source")).isEqualTo("Who found out whether the AI's work held up");
        screenshot("ai-feedback");
    }

    // --- the builder's moves -------------------------------------------------------------------------------------

    /** Clicks the task on the canvas, as a builder does to see its properties. */
    private static void select(String elementId) {
        browser.findElement(By.cssSelector("#canvas [data-element-id='" + elementId + "']"))
                .click();
        new WebDriverWait(browser, WAIT).until(b -> !fieldLabels().isEmpty());
    }

    /**
     * Picks an option of a dropdown by typing its text into the focused select, as a keyboard user does: the panel
     * reacts to the input event a real choice fires (Selenium's option click fires only change).
     */
    private static void choose(String label, String option) {
        WebElement select = field(label).findElement(By.tagName("select"));
        select.sendKeys(option);
        assertThat(new Select(select).getFirstSelectedOption().getText())
                .as(label)
                .isEqualTo(option);
    }

    /** Waits until the panel has a field of that label, as it does at once after a click that shows it. */
    private static void awaitField(String label) {
        new WebDriverWait(browser, WAIT)
                .withMessage(() -> "no field " + label + " among " + fieldLabels())
                .until(b -> fieldLabels().contains(label));
    }

    /** Opens the named groups by a click on their header and closes the other groups. */
    private static void openGroups(String... labels) {
        List<String> wanted = List.of(labels);
        for (WebElement group : browser.findElements(By.cssSelector("#properties .bio-properties-panel-group"))) {
            WebElement header = group.findElement(By.cssSelector(".bio-properties-panel-group-header"));
            String label = header.getText().trim();
            boolean open = header.getAttribute("class").contains(" open");
            if (open != wanted.contains(label)) {
                header.findElement(By.cssSelector(".bio-properties-panel-arrow"))
                        .click();
            }
        }
        for (String label : labels) {
            assertThat(groupLabels()).as("groups").contains(label);
        }
    }

    /** Moves the mouse onto the element and returns the tooltip that appears. */
    private static String hover(WebElement target) {
        new Actions(browser)
                .moveToElement(browser.findElement(By.id("canvas")), 0, 300)
                .perform();
        new WebDriverWait(browser, WAIT)
                .withMessage("the last tooltip stays")
                .until(b -> b.findElements(By.cssSelector(".bio-properties-panel-tooltip"))
                        .isEmpty());
        new Actions(browser)
                .moveToElement(target.findElement(By.cssSelector(".bio-properties-panel-tooltip-wrapper")))
                .perform();
        return new WebDriverWait(browser, WAIT).withMessage("no tooltip").until(b -> {
            List<WebElement> tooltips = b.findElements(By.cssSelector(".bio-properties-panel-tooltip-content"));
            return tooltips.isEmpty() || tooltips.get(0).getText().isBlank()
                    ? null
                    : tooltips.get(0).getText();
        });
    }

    /** Saves the page with the viewport grown to the panel's whole height, so every open group is in the picture. */
    private static void screenshot(String name) throws IOException {
        long height = (Long) script("const panel = document.querySelector('#properties .bio-properties-panel');"
                + " const scroll = panel.querySelector('.bio-properties-panel-scroll-container');"
                + " return Math.ceil(panel.scrollHeight + scroll.scrollHeight - scroll.clientHeight)");
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width",
                        WIDTH,
                        "height",
                        Math.max(HEIGHT, height + 16),
                        "deviceScaleFactor",
                        1,
                        "mobile",
                        false));
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    // --- what the panel shows ------------------------------------------------------------------------------------

    /** The labels of the groups the panel has for the selected task, in order. */
    @SuppressWarnings("unchecked")
    private static List<String> groupLabels() {
        return (List<String>) script("return Array.from(document.querySelectorAll("
                + "'#properties .bio-properties-panel-group-header-title')).map(t => t.textContent.trim())");
    }

    /** The labels of every field the panel has for the selected task (in open and closed groups), in order. */
    @SuppressWarnings("unchecked")
    private static List<String> fieldLabels() {
        return (List<String>)
                script(
                        "return Array.from(document.querySelectorAll("
                                + "'#properties .bio-properties-panel-entry .bio-properties-panel-label')).map(l => l.textContent.trim())");
    }

    private static WebElement groupTitle(String label) {
        return browser.findElement(By.xpath("//*[@id='properties']//div[contains(@class,"
                + "'bio-properties-panel-group-header-title')][normalize-space()='" + label + "']"));
    }

    private static WebElement field(String label) {
        return browser.findElement(By.xpath("//*[@id='properties']//div[contains(@class,'bio-properties-panel-entry')]"
                + "[.//*[contains(@class,'bio-properties-panel-label')][normalize-space()='" + label + "']]"));
    }

    private static WebElement label(String label) {
        return field(label).findElement(By.cssSelector(".bio-properties-panel-label"));
    }

    private static Select dropdown(String label) {
        return new Select(field(label).findElement(By.tagName("select")));
    }

    private static WebElement input(String label) {
        return field(label).findElement(By.cssSelector("input, textarea, [contenteditable='true']"));
    }

    private static String value(String label) {
        WebElement input = input(label);
        String value = input.getDomProperty("value");
        return value != null ? value : input.getText();
    }

    private static String placeholder(String label) {
        WebElement input = input(label);
        String placeholder = input.getDomAttribute("placeholder");
        return placeholder != null
                ? placeholder
                : field(label).findElement(By.cssSelector(".cm-placeholder")).getText();
    }

    private static String description(String label) {
        return field(label)
                .findElement(By.cssSelector(".bio-properties-panel-description"))
                .getText();
    }

    private static String error(String label) {
        return field(label)
                .findElement(By.cssSelector(".bio-properties-panel-error"))
                .getText();
    }

    /** The diagram as the modeler saves it. */
    private static String savedXml() {
        return (String) script("return window.aiops.saveXml()");
    }

    private static String text(By by) {
        return browser.findElement(by).getDomProperty("textContent").trim();
    }

    private static Object script(String script) {
        return browser.executeScript(script);
    }

    // --- the page's server ---------------------------------------------------------------------------------------

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "bpmn", "application/xml",
            "svg", "image/svg+xml",
            "woff", "font/woff",
            "woff2", "font/woff2",
            "ttf", "font/ttf",
            "eot", "application/vnd.ms-fontobject");

    /** Serves a file under root, named by the request path after prefix; nothing outside root. */
    private static void serve(HttpExchange exchange, String prefix, Path root) throws IOException {
        try (exchange) {
            Path base = root.toAbsolutePath().normalize();
            Path file = base.resolve(exchange.getRequestURI().getPath().substring(prefix.length()))
                    .normalize();
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            if (!file.startsWith(base) || !Files.isRegularFile(file) || type == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
