package dev.portflow.port;

import java.time.Duration;
import java.util.Objects;

/**
 * How one connection buffers: capacity, overflow policy, the wait limit of
 * {@link OverflowPolicy#BLOCK_WITH_TIMEOUT}, and whether its ports record timing metrics.
 *
 * <pre>{@code
 * ConnectionOptions.defaults().capacity(64).overflow(OverflowPolicy.DROP_OLDEST)
 * }</pre>
 *
 * @param capacity maximum buffered messages, at least 1
 * @param overflow what a send does when the buffer is full
 * @param timeout  how long a {@code BLOCK_WITH_TIMEOUT} send waits, positive; one too long for the
 *                 {@code nanoTime} scale (about 292 years) waits without a deadline
 * @param timed    whether the ports read the clock per message (queue wait, age, last activity);
 *                 counts, drops and buffer gauges are exact either way
 */
public record ConnectionOptions(int capacity, OverflowPolicy overflow, Duration timeout, boolean timed) {

    public static final int DEFAULT_CAPACITY = 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public ConnectionOptions {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity must be >= 1, was " + capacity);
        }
        Objects.requireNonNull(overflow, "overflow policy");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Capacity 1024, {@code BLOCK}, 2 s timeout, timing on. */
    public static ConnectionOptions defaults() {
        return new ConnectionOptions(DEFAULT_CAPACITY, OverflowPolicy.BLOCK, DEFAULT_TIMEOUT, true);
    }

    public ConnectionOptions capacity(int newCapacity) {
        return new ConnectionOptions(newCapacity, overflow, timeout, timed);
    }

    public ConnectionOptions overflow(OverflowPolicy newPolicy) {
        return new ConnectionOptions(capacity, newPolicy, timeout, timed);
    }

    public ConnectionOptions timeout(Duration newTimeout) {
        return new ConnectionOptions(capacity, overflow, newTimeout, timed);
    }

    public ConnectionOptions timed(boolean newTimed) {
        return new ConnectionOptions(capacity, overflow, timeout, newTimed);
    }
}
