package dev.portflow.metrics;

import java.time.Instant;

/**
 * Puts wall-clock instants (event times) on the {@link System#nanoTime()} scale, so one monotonic
 * clock read per message serves queue wait and message age alike.
 *
 * <p>The offset between the two clocks is re-measured at most once a second, from a nanoTime value
 * the caller already has, so a wall clock adjusted by NTP is followed within a second.
 */
public final class NanoWallClock {

    private static final long RECALIBRATE_EVERY_NANOS = 1_000_000_000L;

    private static volatile long offsetNanos; // epochNanos - nanoTime
    private static volatile long calibratedAt;

    static {
        calibrate(System.nanoTime());
    }

    private NanoWallClock() {
    }

    private static void calibrate(long nowNanos) {
        Instant wall = Instant.now();
        offsetNanos = epochNanos(wall) - nowNanos;
        calibratedAt = nowNanos;
    }

    /** {@code instant} on the nanoTime scale; {@code nowNanos} is a recent {@code System.nanoTime()}. */
    public static long toNanoTime(Instant instant, long nowNanos) {
        if (nowNanos - calibratedAt > RECALIBRATE_EVERY_NANOS) {
            calibrate(nowNanos);
        }
        return saturatingSubtract(epochNanos(instant), offsetNanos);
    }

    /** Epoch milliseconds for a nanoTime value. */
    public static long toEpochMillis(long nanoTime) {
        return Math.floorDiv(nanoTime + offsetNanos, 1_000_000L);
    }

    /** Epoch nanoseconds of {@code instant}, saturating far outside ±292 years. */
    static long epochNanos(Instant instant) {
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
