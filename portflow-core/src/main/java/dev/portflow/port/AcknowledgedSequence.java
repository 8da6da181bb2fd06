package dev.portflow.port;

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
 * threads, under one lock, with no allocation in the steady state. Acknowledgements arrive out of
 * order (a Kafka producer completes each partition's batch on its own), so the ones above the
 * prefix are kept as bits in a ring indexed by hand-off number, which grows (doubling) only when an
 * acknowledgement lands further ahead of the prefix than it covers; the prefix advances over the
 * set bits, clearing them. (A sorted set of boxed numbers here cost a tenth of the Kafka network
 * thread in {@code bench/run-kafka}.)
 */
public final class AcknowledgedSequence {

    private long handedOff; // guarded by this
    private volatile long acknowledged; // written under this, read by the watermark without the lock
    // guarded by this: bit (n mod bits) is set for hand-off n in (prefix, prefix + bits) acknowledged
    // ahead of the prefix; a bit is cleared when the prefix passes it, so no stale bit is ever read
    private long[] ahead = new long[16];
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
            if (number > prefix && setAhead(number, prefix) && waiters > 0) {
                notifyAll(); // a sender may wait for this one alone
            }
            return;
        }
        prefix++;
        while (clearAhead(prefix)) {
            prefix++;
        }
        acknowledged = prefix;
        if (waiters > 0) {
            notifyAll();
        }
    }

    /** Whether hand-off {@code number} itself is acknowledged (the prefix may still wait for earlier ones). */
    public synchronized boolean isAcknowledged(long number) {
        long prefix = acknowledged;
        return number < prefix || (number - prefix < bits() && bit(number));
    }

    private long bits() {
        return (long) ahead.length << 6;
    }

    private boolean bit(long number) {
        long index = number & (bits() - 1);
        return (ahead[(int) (index >>> 6)] & (1L << index)) != 0;
    }

    /** Sets {@code number}'s bit ({@code number > prefix}), growing the ring first if needed; whether it was clear. */
    private boolean setAhead(long number, long prefix) {
        if (number - prefix >= bits()) {
            grow(number - prefix, prefix);
        }
        long index = number & (bits() - 1);
        int word = (int) (index >>> 6);
        long mask = 1L << index;
        boolean wasClear = (ahead[word] & mask) == 0;
        ahead[word] |= mask;
        return wasClear;
    }

    /** Clears {@code number}'s bit; whether it was set (then the prefix may pass it). */
    private boolean clearAhead(long number) {
        long index = number & (bits() - 1);
        int word = (int) (index >>> 6);
        long mask = 1L << index;
        if ((ahead[word] & mask) == 0) {
            return false;
        }
        ahead[word] &= ~mask;
        return true;
    }

    /** Doubles the ring until it covers {@code distance} ahead of {@code prefix}, moving the set bits. */
    private void grow(long distance, long prefix) {
        long newBits = bits();
        while (distance >= newBits) {
            newBits <<= 1;
        }
        if (newBits > Integer.MAX_VALUE) {
            throw new IllegalStateException(
                    "more than " + Integer.MAX_VALUE + " hand-offs acknowledged ahead of hand-off " + prefix);
        }
        long[] old = ahead;
        long oldBits = bits();
        long[] grown = new long[(int) (newBits >>> 6)];
        for (long n = prefix + 1; n < prefix + oldBits; n++) {
            long oldIndex = n & (oldBits - 1);
            if ((old[(int) (oldIndex >>> 6)] & (1L << oldIndex)) != 0) {
                long index = n & (newBits - 1);
                grown[(int) (index >>> 6)] |= 1L << index;
            }
        }
        ahead = grown;
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
