package dev.portflow.runtime;

import dev.portflow.time.Ticker;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a component's time goes, over all its workers: busy, idle and backpressured in
 * worker-nanoseconds (so with N workers the three add up to N times the wall time). Each worker
 * thread keeps its own {@link ComponentTime} (single writer, no sharing on the hot path); a read
 * adds them up. A worker that ends is folded into fixed totals, so a stage that widens and narrows
 * for days keeps no clock per worker it ever had.
 *
 * <p>Each worker's readings are consistent and monotonic and never add up to more than its wall
 * time ({@link ComponentTime}). Folding removes the worker's clock before adding its totals and a
 * read takes the totals before the clocks, so a read racing a fold can miss the worker but never
 * counts it twice; the sum is clamped to the previous reading only to hide that dip, and the
 * previous reading was itself within the wall time then.
 */
final class ComponentTimes {

    private final CopyOnWriteArrayList<ComponentTime> workers = new CopyOnWriteArrayList<>();
    private final AtomicLongArray retired = new AtomicLongArray(3);
    private final AtomicLongArray lastRead = new AtomicLongArray(3);
    private final java.util.concurrent.atomic.AtomicLong retiredWrites = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean off;
    private final Ticker ticker;

    ComponentTimes(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Stops all accounting (untimed components): every state reads 0. Before any worker starts. */
    void turnOff() {
        off = true;
    }

    boolean isOff() {
        return off;
    }

    /** A clock for a new worker thread, counted from now on. */
    ComponentTime newWorker() {
        ComponentTime time = new ComponentTime(ticker);
        if (off) {
            time.turnOff();
        }
        workers.add(time);
        return time;
    }

    /** Folds the clock of a worker that has ended ({@link ComponentTime#finish} called) into the totals. */
    void retire(ComponentTime time) {
        if (workers.remove(time)) {
            retiredWrites.addAndGet(time.writes());
            for (int which = 0; which < 3; which++) {
                retired.addAndGet(which, time.nanos(which));
            }
        }
    }

    /** Worker-nanoseconds spent in {@code which} ({@link ComponentTime#BUSY}, ...), including intervals in progress. */
    long nanos(int which) {
        long total = retired.get(which);
        for (ComponentTime time : workers) {
            total += time.nanos(which);
        }
        long previous;
        do {
            previous = lastRead.get(which);
            if (total <= previous) {
                return previous;
            }
        } while (!lastRead.compareAndSet(which, previous, total));
        return total;
    }

    /** Version windows written over all workers so far ({@link ComponentTime#writes}); for tests. */
    long writes() {
        long total = retiredWrites.get();
        for (ComponentTime time : workers) {
            total += time.writes();
        }
        return total;
    }

    double seconds(int which) {
        return nanos(which) / 1e9;
    }

    /** The earliest time a worker has been busy on its current message since, or {@code Long.MIN_VALUE} when none is busy. */
    long busySince() {
        long earliest = Long.MIN_VALUE;
        for (ComponentTime time : workers) {
            long since = time.busySince();
            if (since != Long.MIN_VALUE && (earliest == Long.MIN_VALUE || since < earliest)) {
                earliest = since;
            }
        }
        return earliest;
    }
}
