package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Transformer;
import dev.portflow.http.PortflowServer;
import dev.portflow.runtime.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against a real pipeline with a deliberately slow stage:
 * the graph, the bottleneck, the rising fill of the slow stage's input, an edge's chart, keyboard
 * use, and reconnecting across a server restart. Saves screenshots under {@code target/}.
 */
class DashboardBrowserTest {

    private static final String SLOW_INPUT_EDGE = "[data-edge='" + SlowStagePipeline.SLOW_INPUT + "']";

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
    void showsTheSlowStageAsTheBottleneckAndChartsItsInput() throws Exception {
        // 100 messages/s offered, 50/s served by slow (20 ms each): its 200-slot input fills at ~50/s,
        // so the page sees the fill rise for about four seconds before the buffer is full.
        SlowStagePipeline pipeline = closeLater(new SlowStagePipeline(100, 20, 200, Dashboard.DEFAULT_INTERVAL));
        HeadlessChromium browser = closeLater(HeadlessChromium.start(1366, 768));
        pipeline.start();
        var driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));

        driver.get(pipeline.baseUri() + "/");

        // every component is drawn
        for (String node : List.of("gen", "parse", "slow", "store")) {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-node='" + node + "']")));
        }
        assertThat(driver.getTitle()).contains("slow_stage");

        // the fill of the slow stage's input rises, frame after frame
        double first = fill(wait);
        wait.until(d -> fill(wait) > first + 0.1);
        double later = fill(wait);
        assertThat(later).isGreaterThan(first);

        // and once it is full, slow is the bottleneck, outlined, with the sentence saying why
        WebElement bottleneck =
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-bottleneck='true']")));
        assertThat(bottleneck.getAttribute("data-node")).isEqualTo("slow");
        assertThat(driver.findElements(By.cssSelector("[data-bottleneck='true']")))
                .hasSize(1);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bottleneck"), "slow is the bottleneck"));
        saveScreenshot(browser, "dashboard-bottleneck.png");

        // clicking the edge draws its charts in the side panel
        driver.findElement(By.cssSelector(SLOW_INPUT_EDGE)).click();
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-panel")));
        wait.until(d -> !panel.findElements(By.cssSelector(".uplot canvas")).isEmpty());
        assertThat(panel.getText()).contains("slow");
        saveScreenshot(browser, "dashboard-edge-chart.png");

        // keyboard: Escape closes the panel; Enter on a focused node opens that node's charts
        panel.sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail-panel")));
        WebElement slowNode = driver.findElement(By.cssSelector("[data-node='slow']"));
        slowNode.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail-panel")));
        wait.until(d -> !d.findElement(By.id("detail-panel"))
                .findElements(By.cssSelector(".uplot canvas"))
                .isEmpty());

        assertThat(browser.consoleErrors()).as("errors in the page's console").isEmpty();
    }

    @Test
    void showsDrainingDuringShutdownAndReconnectsToARestartedServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SlowStagePipeline first = new SlowStagePipeline(200, 20, 60, Duration.ofMillis(250), port);
        HeadlessChromium browser = closeLater(HeadlessChromium.start(1366, 768));
        first.start();
        var driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(50));
        driver.get(first.baseUri() + "/");
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "live"));
        wait.until(d -> fill(wait) > 0.5);

        // ~60 buffered messages at 20 ms each: the drain takes about a second, long enough to be seen
        CompletableFuture<?> drain =
                CompletableFuture.runAsync(() -> first.server.drainAndStop(Duration.ofSeconds(30)));
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "draining"));
        assertThat(driver.findElement(By.id("status")).getText().toLowerCase(Locale.ROOT))
                .contains("draining");
        drain.get();
        wait.until(d -> List.of("stopped", "reconnecting")
                .contains(d.findElement(By.id("status")).getAttribute("data-state")));

        // a new server on the same port: the page finds it again by itself
        SlowStagePipeline second = closeLater(new SlowStagePipeline(200, 20, 60, Duration.ofMillis(250), port));
        second.start();
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "live"));
        wait.until(d -> fill(wait) > 0.5);
        assertThat(driver.findElements(By.cssSelector("[data-node]"))).hasSize(4);
    }

    @Test
    void aTwentyTwoComponentPipelineIsDrawnWithoutOverlapAtLegibleSize() throws Exception {
        // gen fans out to two chains (a1..a10 -> sink_a, b1..b9 -> sink_b): 22 components, 12 columns
        var builder = Pipeline.builder("wide")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("gen", Long.class, context -> {
                    long seq = 0;
                    while (context.isRunning()) {
                        context.emit("out_a", seq);
                        context.emit("out_b", seq++);
                        if (!context.pause(Duration.ofMillis(20))) {
                            return;
                        }
                    }
                });
        List<String> names = new ArrayList<>(List.of("gen"));
        for (String chain : List.of("a", "b")) {
            String previous = "gen.out_" + chain;
            int length = chain.equals("a") ? 10 : 9;
            for (int i = 1; i <= length; i++) {
                String name = chain + i;
                builder.transformer(name, Long.class, Long.class, Transformer.map(x -> x));
                builder.connect(previous, name + ".in_x");
                previous = name + ".out_x";
                names.add(name);
            }
            builder.sink("sink_" + chain, Long.class, x -> {});
            builder.connect(previous, "sink_" + chain + ".in_x");
            names.add("sink_" + chain);
        }
        PortflowServer server = closeLater(PortflowServer.builder(builder.build())
                .port(0)
                .extension(new Dashboard(Duration.ofMillis(250), 60))
                .build()
                .start());
        assertThat(names).hasSize(22);

        HeadlessChromium browser = closeLater(HeadlessChromium.start(1366, 768));
        var driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
        driver.get(server.baseUri() + "/");
        wait.until(d -> d.findElements(By.cssSelector("[data-node]")).size() == 22);

        List<Rectangle> boxes = new ArrayList<>();
        for (String name : names) {
            WebElement node = driver.findElement(By.cssSelector("[data-node='" + name + "']"));
            Rectangle box = node.getRect();
            // drawn at a size whose labels stay readable (the page scrolls rather than shrinks)
            assertThat(box.getHeight()).as(name + " height").isGreaterThanOrEqualTo(40);
            assertThat(box.getWidth()).as(name + " width").isGreaterThanOrEqualTo(100);
            for (Rectangle other : boxes) {
                assertThat(overlap(box, other))
                        .as(name + " overlaps another node")
                        .isFalse();
            }
            boxes.add(box);
            assertThat(node.getText()).as("label of " + name).contains(name);
        }
        saveScreenshot(browser, "dashboard-22-components.png");
    }

    private static boolean overlap(Rectangle a, Rectangle b) {
        return a.getX() < b.getX() + b.getWidth()
                && b.getX() < a.getX() + a.getWidth()
                && a.getY() < b.getY() + b.getHeight()
                && b.getY() < a.getY() + a.getHeight();
    }

    /** The slow stage's input fill as the page shows it. */
    private static double fill(WebDriverWait wait) {
        String value =
                wait.until(d -> d.findElement(By.cssSelector(SLOW_INPUT_EDGE)).getAttribute("data-fill"));
        return value == null || value.isEmpty() ? 0 : Double.parseDouble(value);
    }

    private static void saveScreenshot(HeadlessChromium browser, String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(
                browser.driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
