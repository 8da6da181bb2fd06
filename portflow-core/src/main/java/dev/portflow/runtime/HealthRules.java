package dev.portflow.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * When the runtime calls a component degraded (see {@link Pipeline#health()}).
 *
 * @param failuresInARow a component whose last this-many messages all failed is degraded until one
 *                       succeeds (at least 1)
 * @param stuckAfter     a component busy on one message for longer than this is degraded (a sink
 *                       hanging on I/O); measured only for timed components
 */
public record HealthRules(int failuresInARow, Duration stuckAfter) {

    public HealthRules {
        if (failuresInARow < 1) {
            throw new IllegalArgumentException("failuresInARow must be >= 1, was " + failuresInARow);
        }
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuckAfter must be positive, was " + stuckAfter);
        }
    }

    /** 10 failures in a row; busy on one message for 60 s. */
    public static HealthRules defaults() {
        return new HealthRules(10, Duration.ofSeconds(60));
    }
}
