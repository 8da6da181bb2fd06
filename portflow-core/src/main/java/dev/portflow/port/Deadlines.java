package dev.portflow.port;

import java.time.Duration;

/** Deadline arithmetic on the {@code System.nanoTime()} scale that saturates instead of overflowing. */
final class Deadlines {

    /** No deadline. */
    static final long NONE = Long.MAX_VALUE;

    private Deadlines() {}

    /** {@code duration} in nanoseconds, {@link #NONE} when it does not fit in a long. */
    static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return NONE;
        }
    }

    /** {@code now + nanos}, or {@link #NONE} for an unbounded wait or on overflow. */
    static long after(long now, long nanos) {
        if (nanos == NONE) {
            return NONE;
        }
        long deadline = now + nanos;
        return deadline < now ? NONE : deadline;
    }
}
