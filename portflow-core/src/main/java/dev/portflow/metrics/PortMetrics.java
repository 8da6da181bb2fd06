package dev.portflow.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of one port's metrics, read live from the port. {@link #toMap()} uses the field names
 * of the JSON snapshot ({@code GET /metrics.json}) so dashboards built on them keep working.
 *
 * <p>Processing-time and age statistics are cumulative since the port was created; durations in
 * milliseconds, {@code lastActivity} in epoch seconds (0 when the port never carried a message).
 * {@code avgProcessingMs} and {@code p99ProcessingMs} are the time the component spent handling a
 * message taken from this port; their JSON names, {@code avg_latency_ms} and {@code p99_latency_ms},
 * are those of the snapshot contract and stay.
 */
public record PortMetrics(
        String portName,
        String component,
        PortCounters.Direction direction,
        long messagesIn,
        long messagesOut,
        long messagesDropped,
        Map<String, Long> droppedByReason,
        long errorsTotal,
        Map<String, Long> errorsByType,
        int queueDepth,
        int capacity,
        double bufferUtilization,
        double avgProcessingMs,
        double p99ProcessingMs,
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

    // JSON field names that /metrics.json's pipeline totals share with every port's snapshot.
    /** JSON field {@value}. */
    public static final String MESSAGES_IN_TOTAL = "messages_in_total";
    /** JSON field {@value}. */
    public static final String MESSAGES_OUT_TOTAL = "messages_out_total";
    /** JSON field {@value}. */
    public static final String MESSAGES_DROPPED_TOTAL = "messages_dropped_total";
    /** JSON field {@value}. */
    public static final String ERRORS_TOTAL = "errors_total";
    /** JSON field {@value}. */
    public static final String QUEUE_DEPTH = "queue_depth";
    /** JSON field {@value}. */
    public static final String CAPACITY = "capacity";

    /** The snapshot with the SPEC's JSON field names (plus a few extra fields after them). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("port_name", portName);
        map.put("component", component);
        map.put(MESSAGES_IN_TOTAL, messagesIn);
        map.put(MESSAGES_OUT_TOTAL, messagesOut);
        map.put(MESSAGES_DROPPED_TOTAL, messagesDropped);
        map.put("dropped_by_reason", new LinkedHashMap<>(droppedByReason));
        map.put(ERRORS_TOTAL, errorsTotal);
        map.put(QUEUE_DEPTH, queueDepth);
        map.put(CAPACITY, capacity);
        map.put("buffer_utilization", bufferUtilization);
        map.put("avg_latency_ms", avgProcessingMs);
        map.put("p99_latency_ms", p99ProcessingMs);
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
