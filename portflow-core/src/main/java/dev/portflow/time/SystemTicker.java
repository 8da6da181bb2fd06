package dev.portflow.time;

import java.time.Instant;

/** {@link Ticker#system()}. */
final class SystemTicker implements Ticker {

    static final SystemTicker INSTANCE = new SystemTicker();

    private SystemTicker() {}

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public long coarse() {
        return CoarseClock.now();
    }

    @Override
    public long wallNanos() {
        return NanoWallClock.epochNanos(Instant.now());
    }

    @Override
    public long toNanoTime(Instant instant, long nowNanos) {
        return NanoWallClock.toNanoTime(instant, nowNanos);
    }

    @Override
    public long toEpochMillis(long nanoTime) {
        return NanoWallClock.toEpochMillis(nanoTime);
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
