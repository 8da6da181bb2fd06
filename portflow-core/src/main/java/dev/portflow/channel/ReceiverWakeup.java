package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The parking spot of one receiving thread, shared by every channel that feeds it (fan-in).
 *
 * <p>Protocol (a Dekker handshake, so no wake-up is lost): the receiver publishes itself with a
 * volatile store, re-checks its channels, and only then parks. A producer publishes its element with
 * a volatile store and then reads {@link #waiter}. Both sides store before they load with a full
 * fence in between, so at least one of them sees the other. Only the producer that wins the CAS on
 * {@code waiter} pays for {@code unpark}: a burst of sends to a parked receiver costs one wake-up
 * (the receiver then drains everything that arrived in a batch).
 *
 * <p>Producers read {@code waiter} on every send and the receiver writes it whenever it is about to
 * park, so it sits alone between two 128-byte paddings (this class's fields after it, {@code
 * ReceiverWakeupPad0}'s before): a small object allocated next to the receiving port's per-message
 * fields would otherwise share their cache line, and every message the receiver counts would cost the
 * producers a cache miss on their next send.
 */
public final class ReceiverWakeup extends ReceiverWakeupWaiter {

    private static final VarHandle WAITER;

    @SuppressWarnings("unused") // padding: see the class comment
    private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(ReceiverWakeupWaiter.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Called by the receiver before its final re-check of the channels. */
    public void prepareToPark() {
        WAITER.setVolatile(this, Thread.currentThread());
        // The receiver's half of two store-then-load handshakes, so an explicit full fence: the
        // re-check that follows reads with acquire/opaque loads, which the JMM does not order after
        // a volatile store (HotSpot happens to emit a fence after one; other JVMs need not).
        // (1) store waiter; fence; load each channel's head slot -- against a producer's volatile
        //     store of the element (or sequence) and volatile load of waiter in signal().
        // (2) the earlier release store of head; fence; load ProducerGate.waiters (opaque) in the
        //     re-check's empty polls -- against a blocked producer's volatile waiters++ and volatile
        //     read of head in ProducerGate.await.
        // With a sequentially consistent fence on one side and volatile accesses on the other, at
        // least one side of each pair sees the other. Only on the way to parking, never per message.
        VarHandle.fullFence();
    }

    /** Called by the receiver after it woke up or found work on the re-check. */
    public void cancelPark() {
        WAITER.setOpaque(this, (Thread) null);
    }

    /**
     * Parks the receiver until signalled, interrupted, or {@code nanos} elapse ({@code <= 0}: no
     * limit). Returns at once if a signal already arrived since {@link #prepareToPark()}.
     *
     * <p>The check of {@code waiter} is what makes the hand-off safe, not the park permit alone:
     * between {@code prepareToPark} and here the receiver may block on some other lock (a producer
     * gate's, say), and that park consumes the permit a producer's {@code unpark} left. A signal
     * always clears {@code waiter} before unparking, so a receiver that still finds itself
     * registered has not been signalled, and one that does not must not sleep.
     */
    public void park(long nanos) {
        if (WAITER.getVolatile(this) != Thread.currentThread()) {
            return; // already signalled
        }
        if (nanos <= 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, nanos);
        }
    }

    /** Wakes the receiver if it is parked or about to park. Cheap (one load) when it is not. */
    public void signal() {
        Thread t = (Thread) WAITER.getVolatile(this);
        if (t != null && WAITER.compareAndSet(this, t, (Thread) null)) {
            LockSupport.unpark(t);
        }
    }
}

/** Padding before {@code waiter} (see ReceiverWakeup). */
abstract class ReceiverWakeupPad0 {
    @SuppressWarnings("unused")
    int p; // takes the header's spare 4 bytes, where HotSpot would otherwise put waiter

    @SuppressWarnings("unused")
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The one field of ReceiverWakeup, between two paddings. */
abstract class ReceiverWakeupWaiter extends ReceiverWakeupPad0 {
    /*
     * The receiver, while it is about to park or parked; null otherwise. Written by the receiver
     * (volatile store, then the fence in prepareToPark; cleared opaque in cancelPark) and cleared by
     * the one producer whose CAS wins in signal(), which reads it with a volatile load after its
     * volatile publication of an element.
     */
    @SuppressWarnings("unused") // accessed through WAITER
    volatile @Nullable Thread waiter;
}
