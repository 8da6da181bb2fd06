package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard checked by axe-core (Deque) in headless Chromium against WCAG 2.x A and AA:
 * contrast, names of controls, labels, landmarks, ARIA use. Once with the graph and the
 * bottleneck showing, once with an edge's side panel and its charts open.
 */
class DashboardAccessibilityTest {

    private static final List<String> WCAG_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    @Test
    void theDashboardHasNoWcagAOrAaViolations() throws Exception {
        try (SlowStagePipeline pipeline = new SlowStagePipeline(400, 20, 100, Duration.ofMillis(500)).start();
                HeadlessChromium browser = HeadlessChromium.start(1366, 768)) {
            var driver = browser.driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
            driver.get(pipeline.baseUri() + "/");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-bottleneck='true']")));

            assertThat(violations(new AxeBuilder().withTags(WCAG_A_AA).analyze(driver)))
                    .as("graph view")
                    .isEmpty();

            driver.findElement(By.cssSelector("[data-edge='" + SlowStagePipeline.SLOW_INPUT + "']"))
                    .click();
            wait.until(d -> !d.findElement(By.id("detail-panel"))
                    .findElements(By.cssSelector(".uplot canvas"))
                    .isEmpty());
            assertThat(violations(new AxeBuilder().withTags(WCAG_A_AA).analyze(driver)))
                    .as("side panel open")
                    .isEmpty();
        }
    }

    /** One line per violated rule: its id, what it asks for, and the elements that fail it. */
    private static List<String> violations(Results results) {
        return results.getViolations().stream()
                .map((Rule rule) -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " -> "
                        + rule.getNodes().stream()
                                .map(n -> String.valueOf(n.getTarget()))
                                .collect(Collectors.joining(", ")))
                .toList();
    }
}
