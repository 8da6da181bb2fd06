package dev.portflow.tracing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code perSecond} late traces a second, in bursts of up to a second's worth: a generic cell
 * rate algorithm over the pipeline's ticker readings, lock-free. Asked only for a message that is
 * already slow or failed; in a backed-up pipeline that is every message, on every worker thread, so
 * a refusal costs one volatile read.
 */
final class LateTraceLimit {

    private static final long SECOND = 1_000_000_000L;

    private final long interval; // ticker nanoseconds per permit; 0: no permits at all
    /** The theoretical arrival time of the next permit: permits are taken while it is at most a second ahead. */
    private final AtomicLong next;

    LateTraceLimit(int perSecond, long nowNanos) {
        this.interval = perSecond == 0 ? 0L : Math.max(1L, SECOND / perSecond);
        this.next = new AtomicLong(nowNanos); // a full burst is available at the start
    }

    /** Whether one more late trace may start at {@code nowNanos} (a reading of the pipeline's ticker). */
    boolean tryAcquire(long nowNanos) {
        if (interval == 0L) {
            return false;
        }
        while (true) {
            long tat = next.get();
            long from = tat - nowNanos > 0 ? tat : nowNanos;
            long after = from + interval;
            if (after - nowNanos > SECOND) {
                return false;
            }
            if (next.compareAndSet(tat, after)) {
                return true;
            }
        }
    }
}
