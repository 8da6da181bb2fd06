package dev.portflow;

import dev.portflow.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A ticker that moves only when a test says so, so measured durations are exact. Starts at 1 s:
 * ports treat a reading of 0 as "no reading". Its wall clock is {@link #WALL_AT_ZERO} plus its reading.
 */
public final class FakeTicker implements Ticker {

    /** The wall-clock instant of reading 0. */
    public static final Instant WALL_AT_ZERO = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private volatile @Nullable Runnable onNextRead;
    private final java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();

    @Override
    public long read() {
        reads.increment();
        long value = nanos.get();
        Runnable hook = onNextRead;
        if (hook != null) {
            onNextRead = null;
            hook.run(); // after the value is taken: models work that happens just after a clock read
        }
        return value;
    }

    /** How far behind {@link #coarse()} may lag, as {@code Ticker.system()}'s refresh period does. */
    public static final long COARSE_PERIOD_NANOS = 200_000;

    /**
     * The reading rounded down to a multiple of {@link #COARSE_PERIOD_NANOS}: a lower bound of now
     * that moves in steps, like the system ticker's refreshed reading. Runs no {@link #onNextRead}
     * hook (that models the exact clock read).
     */
    @Override
    public long coarse() {
        long now = nanos.get();
        return now - Math.floorMod(now, COARSE_PERIOD_NANOS);
    }

    @Override
    public long wallNanos() {
        return WALL_AT_ZERO.getEpochSecond() * 1_000_000_000L + nanos.get();
    }

    @Override
    public long toEpochMillis(long nanoTime) { // no read(): a metrics read must not run the hook
        return Math.floorDiv(WALL_AT_ZERO.getEpochSecond() * 1_000_000_000L + nanoTime, 1_000_000L);
    }

    /** How many times {@link #read()} was called: exact clock reads, which sampling saves. */
    public long reads() {
        return reads.sum();
    }

    /** The reading now, without running a {@link #onNextRead} hook. */
    public long now() {
        return nanos.get();
    }

    /** Moves the clock on; returns the new reading. */
    public long advance(Duration by) {
        return advance(by.toNanos());
    }

    /** Moves the clock on by {@code byNanos}; returns the new reading. */
    public long advance(long byNanos) {
        if (byNanos < 0) {
            throw new IllegalArgumentException("a ticker never goes back");
        }
        return nanos.addAndGet(byNanos);
    }

    /** The wall-clock instant of reading {@code nanoTime}. */
    public Instant instantAt(long nanoTime) {
        return WALL_AT_ZERO.plusNanos(nanoTime);
    }

    /**
     * Runs {@code hook} once, inside the next {@link #read()}, after that read has taken its value:
     * whatever it does (advance the clock, send a message) happens between the reader's clock read
     * and its next step.
     */
    public void onNextRead(Runnable hook) {
        this.onNextRead = hook;
    }
}
