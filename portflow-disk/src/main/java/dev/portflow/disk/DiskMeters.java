package dev.portflow.disk;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one disk edge beside its port metrics, tagged like the receiving port
 * ({@code pipeline}, {@code component}, {@code port}) so the two join:
 *
 * <ul>
 *   <li>{@code portflow.disk.fsync.duration} (timer, histogram): one per group commit;
 *   <li>{@code portflow.disk.bytes} (gauge): record bytes in the log's files now (the files also hold
 *       up to {@value DiskLog#PREALLOCATION} bytes of zeros written ahead);
 *   <li>{@code portflow.disk.available} (gauge): 1 while the disk takes writes, 0 after a failed one;
 *   <li>{@code portflow.disk.write.failures} (counter): writes refused by the disk;
 *   <li>{@code portflow.disk.records.recovered} (counter): records not yet done with found at start;
 *   <li>{@code portflow.disk.bytes.truncated} (counter): bytes of a write cut short by a crash, cut at start;
 *   <li>{@code portflow.disk.damaged.regions} and {@code portflow.disk.bytes.skipped} (counters):
 *       stretches that failed their checksum and were stepped over;
 *   <li>{@code portflow.disk.records.lost} (counter): records known to have been in damaged stretches.
 * </ul>
 */
final class DiskMeters {

    private DiskMeters() {}

    static void bind(MeterRegistry registry, DiskLog log, String pipeline, String component, String port) {
        Tags tags = Tags.of("pipeline", pipeline, "component", component, "port", port);
        log.bindFsyncTimer(Timer.builder("portflow.disk.fsync.duration")
                .description("Time one group commit's fsync took")
                .tags(tags)
                .publishPercentileHistogram()
                .register(registry));
        Gauge.builder("portflow.disk.bytes", log, DiskLog::bytesOnDisk)
                .description(
                        "Record bytes in the connection's log files (which also hold up to 1 MiB of zeros written ahead)")
                .baseUnit("bytes")
                .tags(tags)
                .register(registry);
        Gauge.builder("portflow.disk.available", log, l -> l.unavailableReason() == null ? 1 : 0)
                .description("1 while the disk takes the log's writes, 0 after a refused write until one succeeds")
                .tags(tags)
                .register(registry);
        counter(registry, "portflow.disk.write.failures", "Writes the disk refused", log, DiskLog::writeFailures, tags);
        counter(
                registry,
                "portflow.disk.records.recovered",
                "Records not yet done with, found in the log at start",
                log,
                DiskLog::recordsRecovered,
                tags);
        counter(
                registry,
                "portflow.disk.bytes.truncated",
                "Bytes of a write cut short by a crash, truncated at start",
                log,
                DiskLog::bytesTruncated,
                tags);
        counter(
                registry,
                "portflow.disk.damaged.regions",
                "Stretches of the log that failed their checksum and were skipped",
                log,
                DiskLog::damagedRegions,
                tags);
        counter(
                registry,
                "portflow.disk.bytes.skipped",
                "Bytes in damaged stretches",
                log,
                DiskLog::bytesSkipped,
                tags);
        counter(
                registry,
                "portflow.disk.records.lost",
                "Records known to have been in damaged stretches",
                log,
                DiskLog::recordsLost,
                tags);
    }

    private static void counter(
            MeterRegistry registry,
            String name,
            String description,
            DiskLog log,
            java.util.function.ToDoubleFunction<DiskLog> count,
            Tags tags) {
        FunctionCounter.builder(name, log, count)
                .description(description)
                .tags(tags)
                .register(registry);
    }
}
