package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
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
        WebElement bottleneck = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-bottleneck='true']")));
        assertThat(bottleneck.getAttribute("data-node")).isEqualTo("slow");
        assertThat(driver.findElements(By.cssSelector("[data-bottleneck='true']"))).hasSize(1);
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
        wait.until(d -> !d.findElement(By.id("detail-panel")).findElements(By.cssSelector(".uplot canvas")).isEmpty());
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
        CompletableFuture<?> drain = CompletableFuture.runAsync(() -> first.server.drainAndStop(Duration.ofSeconds(30)));
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "draining"));
        assertThat(driver.findElement(By.id("status")).getText().toLowerCase()).contains("draining");
        drain.get();
        wait.until(d -> List.of("stopped", "reconnecting").contains(d.findElement(By.id("status")).getAttribute("data-state")));

        // a new server on the same port: the page finds it again by itself
        SlowStagePipeline second = closeLater(new SlowStagePipeline(200, 20, 60, Duration.ofMillis(250), port));
        second.start();
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "live"));
        wait.until(d -> fill(wait) > 0.5);
        assertThat(driver.findElements(By.cssSelector("[data-node]"))).hasSize(4);
    }

    /** The slow stage's input fill as the page shows it. */
    private static double fill(WebDriverWait wait) {
        String value = wait.until(d -> d.findElement(By.cssSelector(SLOW_INPUT_EDGE)).getAttribute("data-fill"));
        return value == null || value.isEmpty() ? 0 : Double.parseDouble(value);
    }

    private static void saveScreenshot(HeadlessChromium browser, String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(browser.driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
