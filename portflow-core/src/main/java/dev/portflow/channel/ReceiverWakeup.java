package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The parking spot of one receiving thread, shared by every channel that feeds it (fan-in).
 *
 * <p>Protocol (a Dekker handshake, so no wake-up is lost): the receiver publishes itself with a
 * volatile store, re-checks its channels, and only then parks. A producer publishes its element with
 * a volatile store and then reads {@link #waiter}. Both sides store before they load with a full
 * fence in between, so at least one of them sees the other. Only the producer that wins the CAS on
 * {@code waiter} pays for {@code unpark}: a burst of sends to a parked receiver costs one wake-up
 * (the receiver then drains everything that arrived in a batch).
 */
public final class ReceiverWakeup {

    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(ReceiverWakeup.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through WAITER
    private volatile Thread waiter;

    /** Called by the receiver before its final re-check of the channels. */
    public void prepareToPark() {
        WAITER.setVolatile(this, Thread.currentThread());
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
