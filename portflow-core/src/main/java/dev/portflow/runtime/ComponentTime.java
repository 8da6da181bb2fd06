package dev.portflow.runtime;

import dev.portflow.time.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a component's time goes: busy, idle (waiting for input) or backpressured (waiting on a full
 * downstream buffer). Written by the component's own thread at each state change; read by the
 * {@code portflow.component.time} counters.
 *
 * <p>The owner writes under a version (a seqlock, as {@code StampedLock}'s optimistic read): odd
 * while it changes the totals, the state and its start, so a reader retries rather than combine a
 * total that already holds the interval just closed with the state that was in progress (which
 * counted that interval twice; the clamp that kept the counters monotonic then made the excess
 * stick). The owner pays two ordered stores per state change, no fence and no CAS.
 *
 * <p>A read adds the interval in progress, so a component stuck idle or blocked shows it while it
 * happens. The owner may close that interval at a clock reading it took before the reader's (its
 * reading is passed in, taken when the message arrived), so a state can read higher than the
 * owner later settles on. Readings are kept monotonic without ever exceeding the time that passed:
 * each state is reported as at least what it reported before, and what a state gains is taken
 * from the time not yet reported, so busy + idle + backpressured never exceeds the wall time since
 * the start (and equals it once the reported excess has been absorbed).
 */
final class ComponentTime {

    static final int BUSY = index(ComponentState.BUSY);
    static final int IDLE = index(ComponentState.IDLE);
    static final int BACKPRESSURED = index(ComponentState.BACKPRESSURED);

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle VERSION;
    private static final VarHandle SINCE;
    private static final VarHandle STARTED;
    private static final VarHandle BUSY_FROM;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VERSION = lookup.findVarHandle(ComponentTime.class, "version", long.class);
            SINCE = lookup.findVarHandle(ComponentTime.class, "since", long.class);
            STARTED = lookup.findVarHandle(ComponentTime.class, "startedAt", long.class);
            BUSY_FROM = lookup.findVarHandle(ComponentTime.class, "busyFrom", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The slot of {@code state} in the totals. */
    static int index(ComponentState state) {
        return switch (state) {
            case BUSY -> 0;
            case IDLE -> 1;
            case BACKPRESSURED -> 2;
        };
    }

    // Written by the owner thread only, inside a version window.
    private final long[] completed = new long[3];
    private int state = IDLE;

    @SuppressWarnings("unused") // accessed through SINCE
    private long since = Long.MIN_VALUE; // start of the interval in progress; MIN_VALUE: not started

    @SuppressWarnings("unused") // accessed through STARTED
    private long startedAt = Long.MIN_VALUE;

    @SuppressWarnings("unused") // accessed through BUSY_FROM; outside the version: a racy read for health
    private long busyFrom = Long.MIN_VALUE; // start of the current message (or of the busy state, for a source)

    private boolean finished;
    private long writes; // version windows opened so far (state changes, start, finish); owner writes, tests read

    @SuppressWarnings("unused") // accessed through VERSION; odd while the owner writes
    private long version;

    private boolean off; // set before the component's thread starts, never changed after
    private final Ticker ticker; // reads the interval in progress; the owner passes its own readings

    private final long[] reported = new long[3]; // guarded by this: what readers were told so far
    private final long[] truth = new long[3]; // guarded by this: scratch for one reading

    ComponentTime(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Stops all accounting: every state reads 0 (for components that are not timed). */
    void turnOff() {
        off = true;
    }

    /** Starts accounting in {@code initial} at {@code now}. Owner thread only. */
    void start(int initial, long now) {
        if (off) {
            return;
        }
        long v = beginWrite();
        SINCE.setOpaque(this, now);
        STARTED.setOpaque(this, now);
        state = initial;
        BUSY_FROM.setOpaque(this, now);
        endWrite(v);
    }

    /** Closes the current interval at {@code now} and enters {@code next}. Owner thread only. */
    void enter(int next, long now) {
        if (off) {
            return;
        }
        long v = beginWrite();
        close(now);
        state = next;
        if (next == BUSY) {
            BUSY_FROM.setOpaque(this, (long) SINCE.getOpaque(this));
        }
        endWrite(v);
    }

    /** The state the owner last entered. Owner thread only. */
    int state() {
        return state;
    }

    /**
     * A busy component starts its next message at {@code at} without a break: no state change, only
     * where "busy on its current message" counts from. Owner thread only.
     */
    void nextMessage(long at) {
        if (!off) {
            BUSY_FROM.setOpaque(this, at);
        }
    }

    /**
     * A busy component was idle from {@code from} (the reading that ended its last message) to
     * {@code to} (when the next one arrived) and is busy again, in one write: busy up to {@code from},
     * idle up to {@code to}, busy from {@code to}. Owner thread only, in state {@link #BUSY}.
     */
    void idleBetween(long from, long to) {
        if (off) {
            return;
        }
        long v = beginWrite();
        close(from);
        long start = (long) SINCE.getOpaque(this);
        if (start != Long.MIN_VALUE && to > start) {
            LONGS.setOpaque(completed, IDLE, (long) LONGS.getOpaque(completed, IDLE) + (to - start));
            SINCE.setOpaque(this, to);
        }
        BUSY_FROM.setOpaque(this, (long) SINCE.getOpaque(this));
        endWrite(v);
    }

    /** Stops accounting at {@code now}. Owner thread only. */
    void finish(long now) {
        if (off) {
            return;
        }
        long v = beginWrite();
        close(now);
        finished = true;
        endWrite(v);
    }

    private void close(long now) {
        long start = (long) SINCE.getOpaque(this);
        // A reading older than the interval's start (taken before it began) moves no boundary back:
        // the intervals stay disjoint, so the totals add up to exactly since - startedAt.
        if (start != Long.MIN_VALUE && now > start) {
            LONGS.setOpaque(completed, state, (long) LONGS.getOpaque(completed, state) + (now - start));
            SINCE.setOpaque(this, now);
        }
    }

    private long beginWrite() {
        long v = (long) VERSION.getOpaque(this); // only this thread writes it
        writes++;
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence(); // the odd version is visible before any field changes
        return v;
    }

    private void endWrite(long v) {
        VERSION.setRelease(this, v + 2); // every field change is visible before the even version
    }

    /** Nanoseconds spent in {@code which}, including the interval in progress. */
    long nanos(int which) {
        if (off) {
            return 0L;
        }
        synchronized (this) {
            if (read(truth)) {
                report(truth);
            }
            return reported[which];
        }
    }

    /**
     * One consistent reading of the three states into {@code truth}, the interval in progress up to
     * a clock read taken inside the same version window; {@code false} before the start.
     */
    private boolean read(long[] truth) {
        while (true) {
            long v = (long) VERSION.getAcquire(this); // the field reads below happen after it
            if ((v & 1) != 0) {
                Thread.onSpinWait(); // the owner is between two stores
                continue;
            }
            long busy = (long) LONGS.getOpaque(completed, BUSY);
            long idle = (long) LONGS.getOpaque(completed, IDLE);
            long blocked = (long) LONGS.getOpaque(completed, BACKPRESSURED);
            int current = state;
            long start = (long) SINCE.getOpaque(this);
            boolean done = finished;
            // Read inside the window: an owner that took its reading before ours but had not yet
            // published it is caught by the version check, so fewer readings overshoot.
            long now = start == Long.MIN_VALUE || done ? 0L : ticker.read();
            VarHandle.acquireFence(); // the reads above happen before the version is read again
            if ((long) VERSION.getOpaque(this) != v) {
                continue;
            }
            if (start == Long.MIN_VALUE) {
                return false;
            }
            truth[BUSY] = busy;
            truth[IDLE] = idle;
            truth[BACKPRESSURED] = blocked;
            if (!done) {
                truth[current] += Math.max(0, now - start);
            }
            return true;
        }
    }

    /**
     * Raises what is reported towards {@code truth}, never lowering a state and never reporting more
     * in all than the truth adds up to (the time accounted so far, at most the wall time since start).
     */
    private void report(long[] truth) {
        long budget = truth[0] + truth[1] + truth[2] - (reported[0] + reported[1] + reported[2]);
        for (int s = 0; s < 3 && budget > 0; s++) {
            long gain = Math.min(truth[s] - reported[s], budget);
            if (gain > 0) {
                reported[s] += gain;
                budget -= gain;
            }
        }
    }

    /**
     * Since when (a ticker reading) the component has been busy on its current message, or
     * {@code Long.MIN_VALUE} when it is not busy now or is not timed. A handler stays busy across
     * back-to-back messages, so this is the start of the current message (or the end of a wait on a
     * full output within it), not of the busy state. A racy read, for health checks.
     */
    long busySince() {
        if (off || finished || state != BUSY) {
            return Long.MIN_VALUE;
        }
        return (long) BUSY_FROM.getOpaque(this);
    }

    /** How many times the owner has written under the version (start, each state change, finish). Racy; for tests. */
    long writes() {
        return writes;
    }

    double seconds(int which) {
        return nanos(which) / 1e9;
    }
}
