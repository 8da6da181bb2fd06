package dev.portflow.runtime;

import dev.portflow.metrics.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a component's time goes: busy, idle (waiting for input) or backpressured (waiting on a full
 * downstream buffer). Written by the component's own thread with plain stores at each state change;
 * read by the {@code portflow.component.time} counters.
 *
 * <p>A read adds the interval in progress, so a component stuck idle or blocked shows it while it
 * happens. A read racing a state change can momentarily over- or under-count by that change's few
 * nanoseconds; each reading is clamped to never go below the previous one, so the exported
 * counters stay monotonic.
 */
final class ComponentTime {

    static final int BUSY = 0;
    static final int IDLE = 1;
    static final int BACKPRESSURED = 2;
    static final String[] STATE_TAGS = {"busy", "idle", "backpressured"};

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] completed = new long[3];
    private final AtomicLongArray lastRead = new AtomicLongArray(3);
    private volatile int state = IDLE;
    private volatile long since = Long.MIN_VALUE; // MIN_VALUE: not started
    private volatile boolean finished;
    private boolean off; // set before the component's thread starts, never changed after
    private final Ticker ticker; // reads the interval in progress; the owner passes its own readings

    ComponentTime(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Stops all accounting: every state reads 0 (for components that are not timed). */
    void turnOff() {
        off = true;
    }

    /** Starts accounting in {@code initial} at {@code now}. */
    void start(int initial, long now) {
        if (off) {
            return;
        }
        since = now;
        state = initial;
    }

    /** Closes the current interval at {@code now} and enters {@code next}. Owner thread only. */
    void enter(int next, long now) {
        if (off) {
            return;
        }
        int current = state;
        long start = since;
        if (start != Long.MIN_VALUE && now > start) {
            LONGS.setOpaque(completed, current, (long) LONGS.getOpaque(completed, current) + (now - start));
        }
        since = now;
        state = next;
    }

    /** Stops accounting at {@code now}. */
    void finish(long now) {
        enter(state, now);
        finished = true;
    }

    /** Nanoseconds spent in {@code which}, including the interval in progress. */
    long nanos(int which) {
        long value = (long) LONGS.getOpaque(completed, which);
        if (!finished && state == which) {
            long start = since;
            if (start != Long.MIN_VALUE) {
                value += Math.max(0, ticker.read() - start);
            }
        }
        long previous;
        do {
            previous = lastRead.get(which);
            if (value <= previous) {
                return previous;
            }
        } while (!lastRead.compareAndSet(which, previous, value));
        return value;
    }

    /**
     * Since when (a ticker reading) the component has been busy on its current message, or
     * {@code Long.MIN_VALUE} when it is not busy now or is not timed. A racy read, for health checks.
     */
    long busySince() {
        if (off || finished || state != BUSY) {
            return Long.MIN_VALUE;
        }
        return since;
    }

    double seconds(int which) {
        return nanos(which) / 1e9;
    }
}
