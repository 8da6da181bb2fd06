package dev.portflow.tracing;

import dev.portflow.time.Ticker;

/**
 * Readings of a pipeline's {@link Ticker} (nanoTime scale) as epoch nanoseconds, for span timestamps:
 * {@code reading + offset}, where {@code offset = wallNanos() - read()} is measured once (bracketed by two
 * readings, the narrowest of a few tries) and again when a reading is more than {@value #REFRESH_NANOS} ns
 * past the last measurement.
 *
 * <p>Not measured per span, on purpose: one offset keeps every span of a message on the ticker's
 * monotonic timeline, so the durations are the exact differences of the readings the port metrics
 * take too, and a child never starts before its parent; measuring the wall clock per span would add
 * two clock reads to every span and shift spans of the same message against each other by the jitter
 * between the two reads, and by any step of the wall clock (an NTP correction) in the middle of a
 * trace. Refreshing every few seconds follows the wall clock's corrections with a lag no trace viewer
 * can show. The refresh is decided on the reading given, without a clock read of its own; a reading
 * older than the last measurement (the origin of a late trace) uses the current offset.
 */
final class EpochClock {

    /** How long an offset is used before it is measured again: 5 s. */
    static final long REFRESH_NANOS = 5_000_000_000L;

    private static final int MEASURE_TRIES = 10;
    private static final long GOOD_ENOUGH_NANOS = 2_000L; // a bracket this narrow: stop trying

    /** An offset and the ticker reading it was measured at. */
    private record Offset(long nanos, long measuredAt) {}

    private final Ticker ticker;
    private volatile Offset offset;

    EpochClock(Ticker ticker) {
        this.ticker = ticker;
        this.offset = measure(ticker);
    }

    /**
     * The offset, from the narrowest of a few bracketed tries: the wall clock was read somewhere between
     * two ticker readings, so the midpoint errs by at most half their distance. One unbracketed pair
     * was off by 0.1-11 ms in a fresh process (the first wall-clock read loads classes, or the thread is
     * descheduled between the two reads), which shifted every span late until the next measurement.
     */
    private static Offset measure(Ticker ticker) {
        long bestWidth = Long.MAX_VALUE;
        long bestOffset = 0L;
        long at = 0L;
        for (int i = 0; i < MEASURE_TRIES && bestWidth > GOOD_ENOUGH_NANOS; i++) {
            long before = ticker.read();
            long wall = ticker.wallNanos();
            long after = ticker.read();
            long width = after - before;
            if (width < bestWidth) {
                bestWidth = width;
                bestOffset = wall - (before + width / 2);
                at = after;
            }
        }
        return new Offset(bestOffset, at);
    }

    /** {@code reading} (a value of the ticker) in nanoseconds since the epoch. */
    long epochNanos(long reading) {
        Offset current = offset;
        if (reading - current.measuredAt() > REFRESH_NANOS) {
            current = measure(ticker); // racy on purpose: two threads measuring at once store equal offsets
            offset = current;
        }
        return reading + current.nanos();
    }
}
