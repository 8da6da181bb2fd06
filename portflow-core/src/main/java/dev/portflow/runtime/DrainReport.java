package dev.portflow.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * The result of {@link Pipeline#drain(Duration)}.
 *
 * @param completed whether every component finished within the timeout
 * @param leftovers messages still buffered per input port ({@code component.port}); all 0 when completed
 * @param took      how long the drain took
 */
public record DrainReport(boolean completed, Map<String, Integer> leftovers, Duration took) {

    /** Total messages left in buffers. */
    public int totalLeftovers() {
        return leftovers.values().stream().mapToInt(Integer::intValue).sum();
    }
}
