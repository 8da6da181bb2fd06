package dev.portflow.internal;

import java.util.BitSet;

/**
 * How many of a port's messages are finished with no unfinished one before them, when several
 * workers finish them out of order: message {@code s} is the s-th the port handed out (from 0).
 *
 * <p>A bit per message past the prefix, under a lock: the distance between the prefix and the
 * newest finished message is not bounded by the number of workers (one slow message holds the
 * prefix while the others go on), so a fixed ring would wrap. The bits are shifted down once the
 * prefix has moved far, so memory follows that distance, not the stream's length. The lock is taken
 * once per message and only by components with several workers, which take another lock per
 * message anyway.
 */
final class FinishedPrefix {

    private static final int SHIFT_AFTER = 1 << 16;

    private final BitSet finished = new BitSet(); // bit i: message base + i is finished; guarded by this
    private long base; // guarded by this
    private volatile long prefix;

    /** Message {@code sequence} is finished (from any thread, once per message). */
    synchronized void finished(long sequence) {
        long p = prefix;
        if (sequence < p) {
            throw new IllegalStateException("message " + sequence + " finished twice (prefix " + p + ")");
        }
        finished.set(Math.toIntExact(sequence - base));
        if (sequence == p) {
            long next = base + finished.nextClearBit(Math.toIntExact(p - base));
            if (next - base >= SHIFT_AFTER) {
                BitSet rest = finished.get(
                        Math.toIntExact(next - base), Math.max(finished.length(), Math.toIntExact(next - base)));
                finished.clear();
                finished.or(rest);
                base = next;
            }
            prefix = next;
        }
    }

    /** Messages finished with none unfinished before them. */
    long completed() {
        return prefix;
    }
}
