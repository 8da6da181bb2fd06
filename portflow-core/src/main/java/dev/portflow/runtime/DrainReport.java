package dev.portflow.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * The result of {@link Pipeline#drain(Duration)}.
 *
 * @param completed whether every component finished within the timeout
 * @param leftovers messages still buffered in process per input port ({@code component.port}); all 0 when
 *                  completed (messages waiting in a remote buffer, e.g. a Kafka topic, are kept there)
 * @param took      how long the drain took
 */
public record DrainReport(boolean completed, Map<String, Integer> leftovers, Duration took) {

    /** Total messages left in buffers. */
    public int totalLeftovers() {
        return leftovers.values().stream().mapToInt(Integer::intValue).sum();
    }
}
