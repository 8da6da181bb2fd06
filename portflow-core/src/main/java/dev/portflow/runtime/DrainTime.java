package dev.portflow.runtime;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The drain-time gauge of a stage the autoscaler does not size: the seconds its input backlog would
 * take at its recent throughput, not counting new arrivals (an autoscaled stage's comes from its
 * {@link ScalingPolicy}, with the same meaning). No thread samples it: each read takes a sample of
 * the stage's cumulative counters (at most one a second, so few are kept), and the throughput is
 * over the newest samples spanning at least {@link #WINDOW_NANOS} (all of them when reads are further
 * apart), so several scrapers reading at once do not shorten the window.
 *
 * <p>0 without a backlog; {@code NaN} before two samples a second apart (unknown); the cap when the
 * stage finished nothing over the window, or its input is full (arrivals are then held back and the
 * real backlog waits upstream, unmeasured).
 */
final class DrainTime {

    /** The stage's counters now: messages finished since start, waiting now, and the inputs' capacity. */
    record Reading(long finished, long depth, long capacity) {}

    static final long STEP_NANOS = 1_000_000_000L;
    static final long WINDOW_NANOS = 3_000_000_000L;

    private final Supplier<Reading> counters;
    private final LongSupplier clock;
    private final double fullFraction;
    private final double cap;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // guarded by this: {nanoTime, finished}

    DrainTime(Supplier<Reading> counters, LongSupplier clock, double fullFraction, double cap) {
        this.counters = counters;
        this.clock = clock;
        this.fullFraction = fullFraction;
        this.cap = cap;
    }

    synchronized double seconds() {
        long now = clock.getAsLong();
        Reading r = counters.get();
        long[] newest = samples.peekLast();
        if (newest == null || now - newest[0] >= STEP_NANOS) {
            samples.addLast(new long[] {now, r.finished()});
        }
        // keep the newest samples that span the window: drop the oldest while the next one still reaches back far
        // enough
        while (samples.size() > 2) {
            long[] oldest = samples.pollFirst();
            long[] next = samples.peekFirst();
            if (next == null || now - next[0] < WINDOW_NANOS) {
                samples.addFirst(oldest);
                break;
            }
        }
        long[] oldest = samples.peekFirst();
        long elapsed = oldest == null ? 0 : now - oldest[0];
        if (oldest == null || elapsed < STEP_NANOS) {
            // no throughput yet: unknown, unless the rule needs none (no backlog, or a full input)
            return r.depth() <= 0 || isFull(r.depth(), r.capacity(), fullFraction)
                    ? seconds(r, Double.NaN)
                    : Double.NaN;
        }
        return seconds(r, (r.finished() - oldest[1]) / (elapsed / 1e9));
    }

    private double seconds(Reading r, double throughput) {
        return seconds(r.depth(), r.capacity(), throughput, fullFraction, cap);
    }

    /**
     * The drain-time rule, shared with the autoscaler ({@link ScalingPolicy#drainSeconds()}): 0 without a
     * backlog; {@code cap} when the input is full (arrivals are held back upstream, unmeasured) or nothing
     * finished; else the backlog over the throughput, at most {@code cap}.
     */
    static double seconds(long depth, long capacity, double throughput, double fullFraction, double cap) {
        if (depth <= 0) {
            return 0;
        }
        if (!(throughput > 0) || isFull(depth, capacity, fullFraction)) {
            return cap;
        }
        return Math.min(cap, depth / throughput);
    }

    static boolean isFull(long depth, long capacity, double fullFraction) {
        return capacity > 0 && depth >= fullFraction * capacity;
    }
}
