package dev.portflow.cli;

import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.PipelineHealth;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What {@code portflow run} prints when it stops: what was left in each buffer, what failed, which
 * components were degraded, and, after a drain that timed out or was forced, where the messages that
 * did not reach their end were written.
 */
record StopSummary(DrainReport report, PipelineHealth health, long drainSeconds, boolean forced) {

    void print(PrintWriter out, PrintWriter err, Path leftovers) {
        report.leftovers().forEach((port, left) -> out.printf("leftover %-40s %d%n", port, left));
        report.droppedWhileStopping().forEach((port, dropped) -> {
            if (dropped > 0) {
                out.printf("dropped while stopping %-26s %d%n", port, dropped);
            }
        });
        report.errors().forEach((component, errors) -> {
            if (errors > 0) {
                out.printf("errors   %-40s %d%n", component, errors);
            }
        });
        for (PipelineHealth.ComponentProblem problem : health.problems()) {
            out.println("degraded " + problem.component() + ": " + problem.reason());
        }
        out.println(
                report.completed()
                        ? "drained in " + report.took().toMillis() + " ms, " + report.totalLeftovers()
                                + " messages left"
                        : (forced ? "drain stopped by force" : "drain timed out after " + drainSeconds + " s") + ", "
                                + report.totalLeftovers() + " messages left");
        long redelivered = report.unfinished().stream()
                .filter(DrainReport.Leftover::redelivered)
                .count();
        if (redelivered > 0) {
            out.println(
                    redelivered + " of them stay in their Kafka topic or disk log and are read again by the next run");
        }
        if (!report.unfinished().isEmpty() && report.unfinished().size() > redelivered) {
            try {
                int written = LeftoversFile.write(report, leftovers);
                out.println(written + " messages that did not reach their end are in " + leftovers.toAbsolutePath()
                        + " (one JSON object per line; the original body under \"message\")");
            } catch (IOException e) {
                err.println("portflow: could not write the leftover messages to " + leftovers + ": " + e.getMessage());
            }
        }
        long dropped = report.droppedWhileStopping().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        if (dropped > 0) {
            out.println(dropped + " messages sent while the stop was forced could not be delivered (counted as dropped,"
                    + " reason closed)");
        }
        out.flush();
    }
}
