package dev.portflow.port;

import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The acknowledgements of a pipelined {@link RemoteLink}: a link that hands a message over and
 * returns {@link RemoteLink.Offer#ACCEPTED} before the remote buffer acknowledges it numbers each
 * hand-off ({@link #handOff}) and reports each acknowledgement ({@link #acknowledge}), in any order.
 * {@link #acknowledged()} is the length of the acknowledged prefix: every hand-off numbered below it
 * is acknowledged. The completion watermark reads the hand-offs after a component finished its
 * messages and waits for the prefix to pass them, so an upstream message counts as done only once
 * the records it led to are acknowledged.
 *
 * <p>A hand-off that fails keeps its number: the link sends the message again and acknowledges
 * that number when a retry succeeds, and the prefix waits for it meanwhile (at-least-once).
 *
 * <p>Thread-safe: hand-offs come from the sending threads, acknowledgements from the link's I/O
 * threads. Acknowledgements that arrive in order (the usual case: one partition, one connection)
 * cost one lock and no allocation; out-of-order ones wait in a sorted set until the gap closes.
 */
public final class AcknowledgedSequence {

    private long handedOff; // guarded by this
    private volatile long acknowledged; // written under this, read by the watermark without the lock
    private final TreeSet<Long> acknowledgedAhead = new TreeSet<>(); // guarded by this: above the prefix
    private int waiters; // guarded by this: threads in awaitAcknowledged

    /** A sequence with nothing handed off yet. */
    public AcknowledgedSequence() {}

    /** Numbers one hand-off: call it just before the message is handed to the remote buffer. */
    public synchronized long handOff() {
        return handedOff++;
    }

    /**
     * Records that hand-off {@code number} is acknowledged. A number already acknowledged is ignored
     * (a retry that raced its original).
     *
     * @throws IllegalArgumentException if {@code number} was never handed off
     */
    public synchronized void acknowledge(long number) {
        if (number < 0 || number >= handedOff) {
            throw new IllegalArgumentException("hand-off " + number + " was never made (" + handedOff + " made)");
        }
        long prefix = acknowledged;
        if (number != prefix) {
            if (number > prefix && acknowledgedAhead.add(number) && waiters > 0) {
                notifyAll(); // a sender may wait for this one alone
            }
            return;
        }
        prefix++;
        while (!acknowledgedAhead.isEmpty() && acknowledgedAhead.first() == prefix) {
            acknowledgedAhead.pollFirst();
            prefix++;
        }
        acknowledged = prefix;
        if (waiters > 0) {
            notifyAll();
        }
    }

    /** Whether hand-off {@code number} itself is acknowledged (the prefix may still wait for earlier ones). */
    public synchronized boolean isAcknowledged(long number) {
        return number < acknowledged || acknowledgedAhead.contains(number);
    }

    /**
     * Waits until hand-off {@code number} itself is acknowledged or {@code deadlineNanoTime}
     * ({@code System.nanoTime()} scale; {@code Long.MAX_VALUE} for no limit) passes.
     *
     * @return {@code false} if the deadline passed first
     */
    public synchronized boolean awaitAcknowledged(long number, long deadlineNanoTime) throws InterruptedException {
        waiters++;
        try {
            while (!isAcknowledged(number)) {
                if (deadlineNanoTime == Long.MAX_VALUE) {
                    wait();
                    continue;
                }
                long left = deadlineNanoTime - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        } finally {
            waiters--;
        }
    }

    /** How many hand-offs were numbered. */
    public synchronized long handedOff() {
        return handedOff;
    }

    /** The acknowledged prefix: every hand-off numbered below it is acknowledged. */
    public long acknowledged() {
        return acknowledged;
    }

    /** Hand-offs not yet covered by the prefix: the messages still in flight, as the link's room sees them. */
    public synchronized long inFlight() {
        return handedOff - acknowledged;
    }
}
