package dev.portflow.time;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} as last read by one daemon thread, refreshed every
 * {@value #PERIOD_MICROS} µs while anyone reads it: a reading that costs a volatile load or two
 * instead of a clock call (~25 ns on a VM's {@code kvm-clock}).
 *
 * <p>The value is never ahead of the real clock: it is a reading taken before the load that returns
 * it. It lags by the refresh period plus however long the refreshing thread waits for a CPU (well
 * under a millisecond unless the machine is saturated). Port metrics use it only where a lower
 * bound of "now" is what they need: the enqueue and origin stamps of messages that are not timed
 * exactly, so a wait or age computed from them can only come out too long, never too short.
 *
 * <p>The refresher sleeps when nobody has read the clock for {@value #SLEEP_AFTER_PERIODS} periods
 * (an idle pipeline): waking 5,000 times a second cost an idle process about 7 % of a core. A read
 * that finds it asleep reads the real clock, stores it (so the next readers' value is fresh too),
 * and wakes it. Readers mark the clock read with a store only when the mark is clear, so a busy
 * clock costs one store per period, not one per read. Sleep and read are a Dekker pair on two
 * volatiles: the refresher stores {@code asleep} then loads {@code read}; a reader stores {@code
 * read} then loads {@code asleep}; at least one sees the other's store, so a read never leaves the
 * refresher asleep and itself with a stale value.
 */
final class CoarseClock {

    static final long PERIOD_MICROS = 200;
    static final int SLEEP_AFTER_PERIODS = 250; // 50 ms unread

    private static volatile long now = System.nanoTime();
    private static volatile boolean read; // set by readers, cleared by the refresher each period
    private static volatile boolean asleep; // the refresher is parked until a reader wakes it

    private static final Thread REFRESHER =
            Thread.ofPlatform().daemon().name("portflow-coarse-clock").unstarted(CoarseClock::refresh);

    static {
        REFRESHER.start();
    }

    private CoarseClock() {}

    /** A {@code System.nanoTime()} reading taken at most about {@value #PERIOD_MICROS} µs ago. */
    static long now() {
        if (!read) {
            read = true;
        }
        if (asleep) {
            return wake();
        }
        return now;
    }

    /** Whether the refresher is asleep (tests). */
    static boolean isAsleep() {
        return asleep;
    }

    private static long wake() {
        long t = System.nanoTime();
        now = t; // before asleep is cleared: a reader that then finds it awake reads a fresh value
        asleep = false;
        LockSupport.unpark(REFRESHER);
        return t;
    }

    private static void refresh() {
        long period = TimeUnit.MICROSECONDS.toNanos(PERIOD_MICROS);
        int unread = 0;
        while (true) {
            now = System.nanoTime();
            if (read) {
                read = false;
                unread = 0;
            } else if (++unread >= SLEEP_AFTER_PERIODS) {
                asleep = true;
                while (asleep && !read) {
                    LockSupport.park(); // until a reader's wake(); a spurious return re-checks
                }
                asleep = false; // woken, or a reader marked the clock read before it saw asleep
                unread = 0;
                continue; // refresh at once
            }
            LockSupport.parkNanos(period);
        }
    }
}
