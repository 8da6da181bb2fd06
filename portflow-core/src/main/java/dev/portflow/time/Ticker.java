package dev.portflow.time;

import java.time.Instant;

/**
 * The time source behind every measurement a pipeline makes: queue wait, message age, processing,
 * blocked and busy / idle / backpressured time, last activity, health and drain durations. The
 * default is {@link #system()}, {@link System#nanoTime()} plus the wall clock for event times; set
 * another with {@code PipelineBuilder.ticker(...)} or {@code port.ticker(...)}, e.g. a manual
 * ticker in tests so that measured durations are exact values instead of wall-clock ranges.
 *
 * <p>It times what is measured, not how long anything waits: timeouts and parks (a send waiting
 * for room, a receive timeout, a drain timeout) still take real time.
 *
 * <p>Implementations must be thread-safe and {@link #read()} must never go backwards.
 */
public interface Ticker {

    /** Nanoseconds from an arbitrary origin, like {@link System#nanoTime()}. */
    long read();

    /** Wall-clock time now, in nanoseconds since the epoch. */
    long wallNanos();

    /**
     * A reading on the same scale as {@link #read()} that is cheap to take and never ahead of it: a
     * lower bound of now. Ports stamp the messages they do not time exactly with it (see
     * {@code docs/metrics-fast-path.md}). The default is {@link #read()}; {@link #system()} returns
     * a {@code System.nanoTime()} reading refreshed every 200 µs by a daemon thread, for the cost of
     * one memory load.
     */
    default long coarse() {
        return read();
    }

    /**
     * {@code instant} (an event time) on this ticker's scale, where {@code nowNanos} is a recent
     * {@link #read()}: so one clock read serves message age and queue wait alike.
     */
    default long toNanoTime(Instant instant, long nowNanos) {
        long a = NanoWallClock.epochNanos(instant);
        long b = wallNanos() - nowNanos;
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) { // overflow: an instant hundreds of years away
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** Epoch milliseconds of a value on this ticker's scale. */
    default long toEpochMillis(long nanoTime) {
        return Math.floorDiv(nanoTime + (wallNanos() - read()), 1_000_000L);
    }

    /**
     * {@link System#nanoTime()}, with event times mapped through an offset to the wall clock that is
     * re-measured at most once a second ({@link NanoWallClock}). One shared instance, so a port
     * that keeps the default pays nothing but the clock read itself.
     */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
