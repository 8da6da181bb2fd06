package dev.portflow.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of one port's metrics, read live from the port. {@link #toMap()} uses the field names
 * of the JSON snapshot ({@code GET /metrics.json}) so dashboards built on them keep working.
 *
 * <p>Latency and age statistics are cumulative since the port was created; durations in
 * milliseconds, {@code lastActivity} in epoch seconds (0 when the port never carried a message).
 */
public record PortMetrics(
        String portName,
        String component,
        PortMeasurements.Direction direction,
        long messagesIn,
        long messagesOut,
        long messagesDropped,
        Map<String, Long> droppedByReason,
        long errorsTotal,
        Map<String, Long> errorsByType,
        int queueDepth,
        int capacity,
        double bufferUtilization,
        double avgLatencyMs,
        double p99LatencyMs,
        double avgMessageAgeMs,
        double p50MessageAgeMs,
        double p99MessageAgeMs,
        double maxMessageAgeMs,
        double oldestMessageAgeMs,
        double avgQueueWaitMs,
        double p99QueueWaitMs,
        double blockedDurationMs,
        long clockSkewTotal,
        double lastActivity) {

    private static final double NANOS_PER_MS = 1_000_000.0;

    /** Reads {@code m} now. */
    public static PortMetrics of(PortMeasurements m) {
        long now = m.ticker().read();
        HistogramSnapshot process = m.processDuration.snapshot();
        HistogramSnapshot age = m.messageAge.snapshot();
        HistogramSnapshot wait = m.queueWait.snapshot();
        boolean input = m.direction() == PortMeasurements.Direction.INPUT;

        Map<String, Long> drops = new LinkedHashMap<>();
        long dropped = 0;
        for (DropReason reason : DropReason.values()) {
            if (appliesTo(reason, input)) {
                long n = m.dropped(reason);
                drops.put(reason.tag(), n);
                dropped += n;
            }
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        m.errorsByType().forEach((type, adder) -> errors.put(type, adder.sum()));

        int depth = m.depth();
        int capacity = m.capacity();
        long lastActivityMillis = m.lastActivityEpochMillis();
        return new PortMetrics(
                m.portName(),
                m.component(),
                m.direction(),
                input ? m.messagesIn() : 0,
                input ? 0 : m.messagesOut(),
                dropped,
                java.util.Collections.unmodifiableMap(drops),
                m.errorsTotal(),
                java.util.Collections.unmodifiableMap(errors),
                depth,
                capacity,
                capacity == 0 ? 0.0 : Math.min(1.0, (double) depth / capacity),
                process.meanNanos() / NANOS_PER_MS,
                process.percentileNanos(0.99) / NANOS_PER_MS,
                age.meanNanos() / NANOS_PER_MS,
                age.percentileNanos(0.50) / NANOS_PER_MS,
                age.percentileNanos(0.99) / NANOS_PER_MS,
                age.maxNanos() / NANOS_PER_MS,
                m.oldestMessageAgeNanos(now) / NANOS_PER_MS,
                wait.meanNanos() / NANOS_PER_MS,
                wait.percentileNanos(0.99) / NANOS_PER_MS,
                m.blocked.sumNanos() / NANOS_PER_MS,
                m.clockSkewCount(),
                lastActivityMillis / 1000.0);
    }

    /** Which drop reasons a port of this direction can count. */
    static boolean appliesTo(DropReason reason, boolean input) {
        return switch (reason) {
            case FILTERED, INVALID -> input;
            case DROP_NEWEST, DROP_OLDEST, TIMEOUT, FAIL, CLOSED -> !input;
        };
    }

    /** The snapshot with the SPEC's JSON field names (plus a few extra fields after them). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("port_name", portName);
        map.put("component", component);
        map.put("messages_in_total", messagesIn);
        map.put("messages_out_total", messagesOut);
        map.put("messages_dropped_total", messagesDropped);
        map.put("dropped_by_reason", new LinkedHashMap<>(droppedByReason));
        map.put("errors_total", errorsTotal);
        map.put("queue_depth", queueDepth);
        map.put("capacity", capacity);
        map.put("buffer_utilization", bufferUtilization);
        map.put("avg_latency_ms", avgLatencyMs);
        map.put("p99_latency_ms", p99LatencyMs);
        map.put("avg_message_age_ms", avgMessageAgeMs);
        map.put("p50_message_age_ms", p50MessageAgeMs);
        map.put("p99_message_age_ms", p99MessageAgeMs);
        map.put("max_message_age_ms", maxMessageAgeMs);
        map.put("oldest_message_age_ms", oldestMessageAgeMs);
        map.put("blocked_duration_ms", blockedDurationMs);
        map.put("last_activity", lastActivity);
        map.put("direction", direction.name().toLowerCase(java.util.Locale.ROOT));
        map.put("errors_by_type", new LinkedHashMap<>(errorsByType));
        map.put("avg_queue_wait_ms", avgQueueWaitMs);
        map.put("p99_queue_wait_ms", p99QueueWaitMs);
        map.put("clock_skew_total", clockSkewTotal);
        return map;
    }
}
