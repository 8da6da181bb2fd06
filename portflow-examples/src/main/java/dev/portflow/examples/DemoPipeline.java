package dev.portflow.examples;

import dev.portflow.EventTimed;
import dev.portflow.component.Router;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The built-in demo: sensor readings flow through enrichment and a router into two sinks, one of
 * them deliberately slow, so the metrics show a bottleneck. Prints every port's metrics once a
 * second; Ctrl-C or SIGTERM drains the pipeline, prints the leftovers per port and exits 0.
 *
 * <pre>
 *   sensors -> enrich -> route -> archive
 *                 |           \-> alerts (slow: 5 ms per message)
 *                 \-> dead_letters (readings that failed enrichment)
 * </pre>
 */
public final class DemoPipeline {

    /** One sensor reading; its age is measured from {@code eventTime}. */
    public record Reading(String sensor, double fahrenheit, Instant eventTime) implements EventTimed {}

    /** An enriched reading. */
    public record Celsius(String sensor, double celsius, boolean alert, Instant eventTime) implements EventTimed {}

    private DemoPipeline() {}

    /** Builds the demo pipeline emitting about {@code ratePerSecond} readings a second. */
    public static Pipeline build(int ratePerSecond) {
        Source<Reading> sensors = ctx -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int perTick = Math.max(1, ratePerSecond / 100);
            while (ctx.isRunning()) {
                for (int i = 0; i < perTick; i++) {
                    String sensor = "s" + random.nextInt(20);
                    double f = random.nextGaussian(68, 15);
                    // Readings arrive 0-50 ms after they were taken.
                    ctx.emit(new Reading(sensor, f, Instant.now().minusMillis(random.nextInt(50))));
                }
                ctx.pause(Duration.ofMillis(10));
            }
        };
        Transformer<Reading, Celsius> enrich = (r, out) -> {
            if (Double.isNaN(r.fahrenheit()) || r.fahrenheit() < -100) {
                return; // filtered
            }
            if (r.sensor().equals("s13") && r.fahrenheit() > 100) {
                throw new IllegalStateException("sensor s13 is known to be faulty above 100F");
            }
            double c = (r.fahrenheit() - 32) * 5 / 9;
            out.emit(new Celsius(r.sensor(), c, c > 30, r.eventTime()));
        };
        Router<Celsius> route = c -> c.alert() ? "out_alerts" : "out_normal";

        return Pipeline.builder("demo")
                .source("sensors", Reading.class, sensors)
                .transformer("enrich", Reading.class, Celsius.class, enrich)
                .router("route", Celsius.class, route)
                .sink("archive", Celsius.class, c -> {})
                .sink("alerts", Celsius.class, c -> Thread.sleep(5))
                .sink("dead_letters", ErrorEnvelope.class, e -> {})
                .connect("sensors.out_readings", "enrich.in_readings")
                .connect("enrich.out_celsius", "route.in_celsius")
                .connect("enrich.err_readings", "dead_letters.in_errors")
                .connect("route.out_normal", "archive.in_normal")
                .connect(
                        "route.out_alerts",
                        "alerts.in_alerts",
                        ConnectionOptions.defaults().capacity(256).overflow(OverflowPolicy.DROP_OLDEST))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int rate = 2000;
        long seconds = Long.MAX_VALUE;
        for (String arg : args) {
            if (arg.startsWith("--rate=")) {
                rate = Integer.parseInt(arg.substring("--rate=".length()));
            } else if (arg.startsWith("--duration=")) {
                seconds = Long.parseLong(arg.substring("--duration=".length()));
            } else if (!arg.equals("run")) {
                System.err.println("usage: portflow run [--rate=MESSAGES_PER_SECOND] [--duration=SECONDS]");
                System.exit(2);
            }
        }
        Pipeline pipeline = build(rate);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch drained = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: the JVM runs this hook and exits once it returns, so the hook waits for
        // main to drain the pipeline first (the exit code is then the signal's, 130 or 143).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                drained.await(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        pipeline.start();
        System.out.println("Portflow demo pipeline running at ~" + rate + " readings/s. Ctrl-C drains and exits.");
        long deadline = seconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS) && System.nanoTime() < deadline) {
            printMetrics(pipeline, System.out);
        }
        System.out.println("Draining...");
        DrainReport report = pipeline.drain(Duration.ofSeconds(10));
        report.leftovers().forEach((port, left) -> System.out.printf("leftover %-28s %d%n", port, left));
        System.out.println(report.completed() ? "Drained in " + report.took().toMillis() + " ms." : "Drain timed out.");
        drained.countDown();
        if (stop.getCount() == 0) {
            return; // a signal: the JVM is already exiting (System.exit would wait for the hook forever)
        }
        System.exit(report.completed() ? 0 : 1);
    }

    /** Prints one line per port: traffic, drops, buffer fill and message age. */
    public static void printMetrics(Pipeline pipeline, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%n%-28s %9s %9s %8s %11s %6s %9s %9s%n",
                "port",
                "in",
                "out",
                "dropped",
                "depth/cap",
                "util",
                "age p99",
                "errors");
        for (PortMetrics m : pipeline.portMetrics()) {
            out.printf(
                    Locale.ROOT,
                    "%-28s %9d %9d %8d %5d/%-5d %5.0f%% %7.1fms %9d%n",
                    m.component() + "." + m.portName(),
                    m.messagesIn(),
                    m.messagesOut(),
                    m.messagesDropped(),
                    m.queueDepth(),
                    m.capacity(),
                    m.bufferUtilization() * 100,
                    m.p99MessageAgeMs(),
                    m.errorsTotal());
        }
    }
}
