package dev.portflow.time;

import java.time.Instant;

/**
 * Puts wall-clock instants (event times) on the {@link System#nanoTime()} scale, so one monotonic
 * clock read per message serves queue wait and message age alike.
 *
 * <p>The offset between the two clocks is re-measured at most once a second (whether one is due is
 * decided from a nanoTime value the caller already has; the measurement reads both clocks itself),
 * so a wall clock adjusted by NTP is followed within a second.
 */
public final class NanoWallClock {

    private static final long RECALIBRATE_EVERY_NANOS = 1_000_000_000L;

    /*
     * epochNanos - nanoTime, measured from a wall-clock read and nanoTime reads taken beside it
     * (never from a caller's nanoTime, which may be old by the time we run: the caller may have been
     * descheduled since, and the offset would be off by that delay until the next calibration).
     * Volatile so a new offset is seen by every thread; the two fields are written separately, so a
     * reader may pair the new calibratedAt with the previous offset for a moment, and concurrent
     * calibrations may race. Both are harmless: every offset written is a fresh measurement, and one
     * that is up to a second old is what a reader between calibrations uses anyway.
     */
    private static volatile long offsetNanos;
    private static volatile long calibratedAt; // nanoTime of the last calibration

    static {
        calibrate();
    }

    private NanoWallClock() {}

    private static void calibrate() {
        // bracketed, the narrowest of a few tries: one pair read across a descheduling would put
        // every mapped time off by as much until the next calibration
        ClockOffset offset = ClockOffset.measure(System::nanoTime, () -> epochNanos(Instant.now()));
        offsetNanos = offset.nanos();
        calibratedAt = offset.measuredAt();
    }

    /** {@code instant} on the nanoTime scale; {@code nowNanos} is a recent {@code System.nanoTime()}. */
    public static long toNanoTime(Instant instant, long nowNanos) {
        // nowNanos only decides whether a calibration is due (at most once a second): a stale value
        // delays it, and two clock reads more once a second cost nothing per message.
        if (nowNanos - calibratedAt > RECALIBRATE_EVERY_NANOS) {
            calibrate();
        }
        return saturatingSubtract(epochNanos(instant), offsetNanos);
    }

    /**
     * Epoch nanoseconds for a nanoTime value: how a time is stored beyond this process (a disk
     * log's record) without losing precision; {@link #fromEpochNanos} reads it back.
     */
    public static long toEpochNanos(long nanoTime) {
        long offset = offsetNanos;
        long sum = nanoTime + offset;
        // saturate instead of wrapping (both of one sign and the sum of the other)
        if (((nanoTime ^ sum) & (offset ^ sum)) < 0) {
            return nanoTime < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** {@code epochNanos} on the nanoTime scale; {@code nowNanos} is a recent {@code System.nanoTime()}. */
    public static long fromEpochNanos(long epochNanos, long nowNanos) {
        if (nowNanos - calibratedAt > RECALIBRATE_EVERY_NANOS) {
            calibrate();
        }
        return saturatingSubtract(epochNanos, offsetNanos);
    }

    /** Epoch milliseconds for a nanoTime value. */
    public static long toEpochMillis(long nanoTime) {
        return Math.floorDiv(nanoTime + offsetNanos, 1_000_000L);
    }

    /** Epoch nanoseconds of {@code instant}, saturating far outside ±292 years. */
    public static long epochNanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds > 9_223_372_035L) {
            return Long.MAX_VALUE;
        }
        if (seconds < -9_223_372_035L) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + instant.getNano();
    }

    private static long saturatingSubtract(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
