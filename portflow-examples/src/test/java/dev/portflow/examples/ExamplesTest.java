package dev.portflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.metrics.PortMetrics;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ExamplesTest {

    @Test
    void readmeExamplePrintsUtilizationAndAge() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("utilization 0.0020"); // 2 of 1024
        String ages =
                text.lines().filter(l -> l.startsWith("avg age")).findFirst().orElseThrow();
        double avg = Double.parseDouble(ages.replaceAll("avg age ([0-9.]+) ms.*", "$1"));
        double max = Double.parseDouble(ages.replaceAll(".*max age ([0-9.]+) ms", "$1"));
        // 120 ms and more: aged from its event time, not from the send. An event time is mapped onto
        // the monotonic clock with a wall-clock offset measured up to a second earlier, so a step of
        // the wall clock since then shifts the age by the step. Seen twice within minutes on two
        // VMs (CI and a developer's), 116.8 and 117.3 ms, and not in 9 runs after; no wall-clock
        // jump was then caught by a 10-minute monitor, so the cause is a likely step, not proven.
        // A 10 ms allowance keeps such a step from failing the test.
        assertThat(max).isBetween(110.0, 1000.0);
        assertThat(avg).isBetween(80.0, max);
    }

    @Test
    void demoPipelineRunsShowsTheSlowSinkAndDrainsClean() throws Exception {
        Pipeline pipeline = DemoPipeline.build(2000);
        pipeline.start();
        Thread.sleep(1500);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoPipeline.printMetrics(pipeline, new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("sensors.out_readings", "alerts.in_alerts", "dead_letters.in_errors");

        PortMetrics alerts = pipeline.inputPort("alerts", "in_alerts").metrics();
        PortMetrics archive = pipeline.inputPort("archive", "in_normal").metrics();
        assertThat(archive.messagesIn()).isGreaterThan(500);
        assertThat(alerts.messagesIn()).isPositive();

        DrainReport report = pipeline.drain(Duration.ofSeconds(20));
        assertThat(report.completed()).isTrue();
        assertThat(report.totalLeftovers()).isZero();
    }
}
