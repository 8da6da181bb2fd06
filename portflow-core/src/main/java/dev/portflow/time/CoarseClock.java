package dev.portflow.time;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} as last read by one daemon thread, refreshed every
 * {@value #PERIOD_MICROS} µs: a reading that costs one volatile load instead of a clock call
 * (~25 ns on a VM's {@code kvm-clock}).
 *
 * <p>The value is never ahead of the real clock: it is a reading taken before the load that returns
 * it. It lags by the refresh period plus however long the refreshing thread waits for a CPU (well
 * under a millisecond unless the machine is saturated). Port metrics use it only where a lower
 * bound of "now" is what they need: the enqueue and origin stamps of messages that are not timed
 * exactly, so a wait or age computed from them can only come out too long, never too short.
 */
final class CoarseClock {

    static final long PERIOD_MICROS = 200;

    private static volatile long now = System.nanoTime();

    static {
        Thread refresher =
                Thread.ofPlatform().daemon().name("portflow-coarse-clock").unstarted(CoarseClock::refresh);
        refresher.start();
    }

    private CoarseClock() {}

    /** A {@code System.nanoTime()} reading taken at most about {@value #PERIOD_MICROS} µs ago. */
    static long now() {
        return now;
    }

    private static void refresh() {
        long period = TimeUnit.MICROSECONDS.toNanos(PERIOD_MICROS);
        while (true) {
            now = System.nanoTime();
            LockSupport.parkNanos(period);
        }
    }
}
