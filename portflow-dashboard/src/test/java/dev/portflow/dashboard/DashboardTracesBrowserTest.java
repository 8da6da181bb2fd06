package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The side panel's list of the slowest traced messages in a real headless Chromium: for a traced
 * pipeline whose {@code work} stage is slow, the traces slowest first with their stages (and the failed
 * one marked in words), checked by axe-core too; for an untraced one, the line saying tracing is off.
 * Saves {@code target/dashboard-traces.png}.
 */
class DashboardTracesBrowserTest {

    private static final By TRACE_ROWS = By.cssSelector("#traces[data-tracing='true'] li[data-trace-id]");

    @Test
    void listsTheSlowestTracedMessagesFirstWithTheirStages() throws Exception {
        try (TracedPipeline pipeline = new TracedPipeline(true).start();
                HeadlessChromium browser = HeadlessChromium.start(1366, 768)) {
            var driver = browser.driver;
            WebDriverWait wait = open(browser, pipeline);

            // every message traced, each through work and then store (or dead)
            wait.until(d -> {
                List<WebElement> rows = d.findElements(TRACE_ROWS);
                return rows.size() == TracedPipeline.MESSAGES
                        && rows.stream()
                                .allMatch(r -> r.findElements(By.cssSelector("li[data-stage]"))
                                                .size()
                                        == 2);
            });
            WebElement panel = driver.findElement(By.id("traces"));
            assertThat(panel.isDisplayed()).isTrue();
            assertThat(panel.findElement(By.tagName("h2")).getText()).isEqualTo("Slowest traced messages");

            List<WebElement> rows = driver.findElements(TRACE_ROWS);
            List<Double> totals = rows.stream()
                    .map(r -> Double.parseDouble(String.valueOf(r.getAttribute("data-total-ms"))))
                    .toList();
            assertThat(totals).as("slowest first").isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(totals.getFirst()).isGreaterThan(totals.getLast());

            // the slowest: the last message, which waited behind all the others and took 70 ms at work
            WebElement slowest = rows.getFirst();
            assertThat(stages(slowest)).containsExactly("work", "store");
            assertThat(slowest.findElement(By.cssSelector(".trace-total")).getText())
                    .matches("\\d+ ms|\\d+(\\.\\d)? s");
            assertThat(slowest.findElement(By.cssSelector(".why")).getText()).isEqualToIgnoringCase("sampled");
            assertThat(slowest.findElement(By.cssSelector("li[data-stage='work']"))
                            .getText())
                    .contains("work")
                    .containsPattern("wait \\d+ ms · handling (7\\d|[89]\\d|\\d{3,}) ms");
            String traceId = String.valueOf(slowest.getAttribute("data-trace-id"));
            WebElement id = slowest.findElement(By.cssSelector("button.trace-id"));
            assertThat(id.findElement(By.cssSelector(".short")).getText()).isEqualTo(traceId.substring(0, 8) + "…");
            assertThat(id.getAttribute("title")).contains(traceId);

            // the failed message: its work stage says so in words, not only in colour
            List<WebElement> failed =
                    driver.findElements(By.cssSelector("#traces li[data-stage='work'][data-failed='true']"));
            assertThat(failed).hasSize(1);
            assertThat(failed.getFirst().getText()).contains("failed");
            assertThat(driver.findElements(By.cssSelector("#traces li[data-stage='dead']")))
                    .hasSize(1);

            Path shot = Path.of("target", "dashboard-traces.png");
            Files.createDirectories(shot.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

            assertThat(new AxeBuilder()
                                    .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
                                    .analyze(driver)
                                    .getViolations()
                                    .stream()
                                    .map(rule -> rule.getId() + ": " + rule.getHelp() + " -> "
                                            + rule.getNodes().stream()
                                                    .map(n -> String.valueOf(n.getTarget()))
                                                    .collect(Collectors.joining(", "))))
                    .as("axe, with the traces listed")
                    .isEmpty();
            assertThat(browser.consoleErrors())
                    .as("errors in the page's console")
                    .isEmpty();
        }
    }

    @Test
    void saysTracingIsOffForAPipelineThatDoesNotTrace() throws Exception {
        try (TracedPipeline pipeline = new TracedPipeline(false).start();
                HeadlessChromium browser = HeadlessChromium.start(1366, 768)) {
            var driver = browser.driver;
            WebDriverWait wait = open(browser, pipeline);

            WebElement panel = wait.until(
                    ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#traces[data-tracing='false']")));
            assertThat(panel.getText())
                    .contains("Slowest traced messages")
                    .contains("Tracing is off")
                    .contains("tracing:")
                    .contains("OTEL_EXPORTER_OTLP_ENDPOINT");
            assertThat(driver.findElements(By.cssSelector("#traces li[data-trace-id]")))
                    .isEmpty();
            assertThat(browser.consoleErrors())
                    .as("errors in the page's console")
                    .isEmpty();
        }
    }

    /** Opens the pipeline's dashboard; the wait allows 20 s. */
    private static WebDriverWait open(HeadlessChromium browser, TracedPipeline pipeline) {
        browser.driver.get(pipeline.baseUri() + "/");
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20), Duration.ofMillis(100));
    }

    private static List<String> stages(WebElement trace) {
        return trace.findElements(By.cssSelector("li[data-stage]")).stream()
                .map(s -> String.valueOf(s.getAttribute("data-stage")))
                .toList();
    }
}
