package dev.portflow.tracing;

import dev.portflow.time.ClockOffset;
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

    private final Ticker ticker;
    private volatile ClockOffset offset;

    EpochClock(Ticker ticker) {
        this.ticker = ticker;
        this.offset = measure(ticker);
    }

    /** The ticker's offset to its wall clock, bracketed (ClockOffset). */
    private static ClockOffset measure(Ticker ticker) {
        return ClockOffset.measure(ticker::read, ticker::wallNanos);
    }

    /** {@code reading} (a value of the ticker) in nanoseconds since the epoch. */
    long epochNanos(long reading) {
        ClockOffset current = offset;
        if (reading - current.measuredAt() > REFRESH_NANOS) {
            current = measure(ticker); // racy on purpose: two threads measuring at once store equal offsets
            offset = current;
        }
        return reading + current.nanos();
    }
}
