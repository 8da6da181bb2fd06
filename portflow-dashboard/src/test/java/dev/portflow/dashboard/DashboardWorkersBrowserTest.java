package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.portflow.runtime.Workers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Worker pools on the page, in headless Chromium: the "×4" badge of a 4-worker stage, its worker
 * count in the accessible name, the bottleneck sentence that knows it, the node panel's workers line
 * and chart (checked by axe-core too); and the "scaling" state and the list of scaling decisions,
 * drawn by the page's own modules from figures the autoscaler cannot be made to produce in a test.
 */
class DashboardWorkersBrowserTest {

    private static final List<String> WCAG_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    @Test
    void aFourWorkerStageShowsItsWorkersAndIsTheBottleneckAtItsMaximum() throws Exception {
        // slow on 4 workers at 20 ms each serves ~200/s of the 400/s offered: its input fills
        SlowStagePipeline pipeline = closeLater(
                        new SlowStagePipeline(400, 20, 100, Duration.ofMillis(500), 0, Workers.fixed(4)))
                .start();
        HeadlessChromium browser = closeLater(HeadlessChromium.start(1366, 768));
        var driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
        driver.get(pipeline.baseUri() + "/");

        By slowBadge = By.cssSelector("[data-node='slow'] .node-workers");
        wait.until(ExpectedConditions.textToBe(slowBadge, "×4"));
        assertThat(driver.findElements(By.cssSelector("[data-node='parse'] .node-workers")))
                .as("a one-worker node has no badge")
                .isEmpty();
        WebElement slow = driver.findElement(By.cssSelector("[data-node='slow']"));
        wait.until(d -> "4".equals(slow.getAttribute("data-workers")));
        assertThat(slow.getAttribute("aria-label")).startsWith("component slow, transformer, 4 workers, busy ");

        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-node='slow']"), "data-bottleneck", "true"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("bottleneck"), "slow is the bottleneck at its maximum of 4 workers"));
        assertThat(driver.findElement(By.cssSelector(".scaling-bar")).isDisplayed())
                .isFalse();

        // the node's panel: its workers now and configured, and a chart of them
        slow.click();
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-panel")));
        wait.until(d -> panel.findElements(By.cssSelector(".uplot canvas")).size() == 3);
        assertThat(panel.findElement(By.id("detail-now")).getText()).contains("Workers", "4 (fixed at 4)");
        assertThat(panel.findElements(By.cssSelector("figcaption")).stream().map(WebElement::getText))
                .contains("Workers", "Worker time busy, idle and backpressured");
        assertThat(panel.findElement(By.id("detail-decisions")).isDisplayed())
                .as("a fixed pool has no decisions")
                .isFalse();
        saveScreenshot(browser, "dashboard-workers.png");

        List<String> violations = new AxeBuilder()
                .withTags(WCAG_A_AA).analyze(driver).getViolations().stream()
                        .map((Rule rule) -> rule.getId() + ": " + rule.getHelp() + " -> "
                                + rule.getNodes().stream()
                                        .map(n -> String.valueOf(n.getTarget()))
                                        .toList())
                        .toList();
        assertThat(violations)
                .as("axe-core, node panel of a widened stage open")
                .isEmpty();
        assertThat(browser.consoleErrors()).as("errors in the page's console").isEmpty();
    }

    @Test
    void anAutoscaledStageShowsItsRangeItsScalingStateAndItsDecisions() throws Exception {
        SlowStagePipeline pipeline = closeLater(
                        new SlowStagePipeline(400, 20, 100, Duration.ofMillis(500), 0, Workers.between(1, 4)))
                .start();
        HeadlessChromium browser = closeLater(HeadlessChromium.start(1366, 768));
        var driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
        driver.get(pipeline.baseUri() + "/");

        // live: "×N of 4" whatever the autoscaler does; the panel fetches the decisions (maybe none yet)
        By slowBadge = By.cssSelector("[data-node='slow'] .node-workers");
        wait.until(d -> d.findElement(slowBadge).getText().matches("×[1-4] of 4"));
        driver.findElement(By.cssSelector("[data-node='slow']")).click();
        WebElement decisions = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-decisions")));
        wait.until(d -> decisions.getText().contains("No scaling decisions yet.")
                || !decisions.findElements(By.cssSelector("tbody tr")).isEmpty());
        assertThat(driver.findElement(By.id("detail-now")).getText()).contains("(autoscaled, 1–4)");

        // The scaling state and a list of decisions, drawn by the page's modules from given figures:
        // a test cannot make the autoscaler widen a stage or decide on cue.
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                Promise.all([import('/dashboard/static/graph.js'), import('/dashboard/static/workers.js'),
                             import('/dashboard/static/header.js')]).then(([graphJs, workersJs, headerJs]) => {
                  const box = document.createElement('div');
                  box.id = 'synthetic';
                  document.body.append(box);
                  const graph = graphJs.createGraph(box, { onSelect() {} });
                  graph.render({ pipeline: 'synthetic', edges: [{ id: 'gen.out_x->archive.in_x', from: 'gen',
                      from_port: 'out_x', to: 'archive', to_port: 'in_x', capacity: 10, overflow: 'BLOCK' }],
                    nodes: [
                      { name: 'gen', kind: 'source', column: 0, row: 0, inputs: [], outputs: ['out_x'],
                        workers_min: 1, workers_max: 1 },
                      { name: 'archive', kind: 'transformer', column: 1, row: 0, inputs: ['in_x'], outputs: [],
                        workers_min: 1, workers_max: 16 }] });
                  const reason = 'archive is widening (3 of 16 workers): busy 97% of worker time, its input'
                    + ' gen.out_x->archive.in_x is 100% full and it has no outputs to wait on.';
                  const frame = { seq: 9, time: Date.now(), state: 'RUNNING', bottleneck: null,
                    nodes: { gen: { busy: 0.1, idle: 0.9, backpressured: 0, workers: 1 },
                             archive: { busy: 0.97, idle: 0.03, backpressured: 0, workers: 3, last_decision_ms: 1 } },
                    edges: { 'gen.out_x->archive.in_x': { depth: 10, capacity: 10, fill: 1 } },
                    scaling: [{ component: 'archive', edge: 'gen.out_x->archive.in_x', workers: 3, workers_max: 16, reason }] };
                  graph.update(frame);
                  // the header, read back at once (the next frame from the server comes later)
                  headerJs.createHeader().frame(frame);
                  const header = { scaling: document.getElementById('scaling').textContent,
                    barShown: !document.querySelector('.scaling-bar').hidden,
                    bottleneck: document.getElementById('bottleneck').textContent };
                  const list = document.createElement('div');
                  list.id = 'synthetic-decisions';
                  box.append(list);
                  workersJs.renderDecisions(list, [
                    { time: 1764201600000, from: 1, to: 2, reason: 'busy 98 % of worker time: widening' },
                    { time: 1764201605000, from: 2, to: 3, reason: 'busy 97 % of worker time: widening' }]);
                  done(header);
                }).catch((e) => done({ error: String(e) }));
                """);
        if (drawn == null) {
            throw new AssertionError("the script answered nothing");
        }
        assertThat(drawn).doesNotContainKey("error");
        assertThat((String) drawn.get("scaling")).startsWith("archive is widening (3 of 16 workers)");
        assertThat(drawn.get("barShown")).isEqualTo(true);
        assertThat((String) drawn.get("bottleneck"))
                .startsWith("No bottleneck right now: the busy stages with a full input");

        WebElement archive = driver.findElement(By.cssSelector("#synthetic [data-node='archive']"));
        assertThat(archive.getAttribute("data-scaling")).isEqualTo("true");
        assertThat(archive.getAttribute("data-bottleneck")).isNull();
        assertThat(archive.findElement(By.cssSelector(".node-workers")).getText())
                .isEqualTo("×3 of 16");
        assertThat(archive.getAttribute("aria-label"))
                .contains("3 of 16 workers")
                .contains("widening");
        assertThat(driver.findElement(By.cssSelector("#synthetic [data-node='gen']"))
                        .getAttribute("data-scaling"))
                .isNull();

        List<WebElement> rows = driver.findElements(By.cssSelector("#synthetic-decisions tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.getFirst().getAttribute("data-decision"))
                .as("newest first")
                .isEqualTo("2->3");
        assertThat(rows.getFirst().getText()).contains("2 → 3", "busy 97 % of worker time: widening");
        assertThat(rows.get(1).getAttribute("data-decision")).isEqualTo("1->2");
        assertThat(browser.consoleErrors()).as("errors in the page's console").isEmpty();
    }

    private static void saveScreenshot(HeadlessChromium browser, String name) throws java.io.IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(
                browser.driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
