package dev.portflow.time;

import java.util.function.LongSupplier;

/**
 * The offset between a monotonic clock and the wall clock ({@code wall - monotonic}, in nanoseconds),
 * and the monotonic reading it was measured at. What maps one clock's readings onto the other.
 *
 * <p>{@link #measure} reads the wall clock between two monotonic readings and takes the midpoint, which
 * errs by at most half the bracket; it keeps the narrowest of up to {@value #TRIES} tries, stopping at
 * one narrower than {@value #GOOD_ENOUGH_NANOS} ns. One unbracketed pair was off by 0.1-11 ms in a fresh
 * process: the first wall-clock read loads classes, or the thread is descheduled between the reads, and
 * every time mapped with that offset is then off by as much until the next measurement.
 *
 * @param nanos      wall-clock nanoseconds minus monotonic nanoseconds
 * @param measuredAt the monotonic reading at the end of the try it came from
 */
public record ClockOffset(long nanos, long measuredAt) {

    static final int TRIES = 10;
    static final long GOOD_ENOUGH_NANOS = 2_000L;

    /** Measures the offset of {@code wallNanos} (epoch nanoseconds) against {@code monotonic} (see the class comment). */
    public static ClockOffset measure(LongSupplier monotonic, LongSupplier wallNanos) {
        long bestWidth = Long.MAX_VALUE;
        long bestOffset = 0L;
        long at = 0L;
        for (int i = 0; i < TRIES && bestWidth > GOOD_ENOUGH_NANOS; i++) {
            long before = monotonic.getAsLong();
            long wall = wallNanos.getAsLong();
            long after = monotonic.getAsLong();
            long width = after - before;
            if (width < bestWidth) {
                bestWidth = width;
                bestOffset = wall - (before + width / 2);
                at = after;
            }
        }
        return new ClockOffset(bestOffset, at);
    }
}
