package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where producers wait for room in a full channel.
 *
 * <ul>
 *   <li>A producer first spins briefly: with a receiver that is draining, room appears within
 *       nanoseconds and the producer never parks (nor costs the receiver a wake-up).
 *   <li>Then it takes the lock, counts itself in {@link #waiters}, re-checks, and awaits the
 *       condition. The receiver reads {@code waiters} after every removal (a plain load on x86) and
 *       only when it is non-zero touches the lock, at most once per wake-up: {@link #signalPending}
 *       stays set until a waiter has run. A woken producer that still sees room and other waiters
 *       passes the signal on, so a burst of removals wakes as many producers as it made room for.
 *   <li>No wake-up is lost. A waiter increments {@code waiters} (under the lock: a full fence) and
 *       clears {@code signalPending} before its final fullness check. The receiver advances
 *       {@code head} with a cheap release store and reads {@code waiters} after every removal and
 *       every empty poll. If its first read missed the waiter (its head store still in flight while
 *       the waiter read the old head), a later read sees it: the receiver either polls again (an
 *       opaque read eventually sees the increment), or it parks, and before parking it fences
 *       ({@code ReceiverWakeup.prepareToPark}) and polls every channel once more, which reads
 *       their waiters.
 * </ul>
 */
final class ProducerGate {

    private static final int SPINS = 64;
    private static final VarHandle SIGNAL_PENDING;
    private static final VarHandle WAITERS;

    static {
        try {
            SIGNAL_PENDING = MethodHandles.lookup().findVarHandle(ProducerGate.class, "signalPending", boolean.class);
            WAITERS = MethodHandles.lookup().findVarHandle(ProducerGate.class, "waiters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    /*
     * Producers waiting in await(). A waiter increments it under the lock (volatile) and then reads
     * head (volatile) in its fullness check. The receiver reads it after every removal with an
     * opaque load and no fence (its head store is a release store): that pair alone is not a
     * Dekker handshake, and a read may miss a waiter whose increment raced the head store. It is
     * made whole by the receiver's later reads: while it keeps polling, an opaque read eventually
     * sees the increment; before it parks it issues a full fence (ReceiverWakeup.prepareToPark)
     * and polls every channel once more, which reads waiters again, and that read cannot miss it.
     * (A receiver that only polls without ever parking, and then stops polling, leaves such a
     * waiter waiting until its next poll.)
     */
    private volatile int waiters;

    @SuppressWarnings("unused") // accessed through SIGNAL_PENDING
    private volatile boolean signalPending;

    /**
     * Called by a consumer after every removal and every empty poll; one plain load when nobody waits.
     * The signalling path is a method of its own so that this one stays small enough to be inlined
     * into every caller ({@code -XX:+PrintInlining} showed the combined method "too big" to inline
     * into {@code BoundedChannel.poll} in a traced pipeline).
     */
    void roomMade() {
        if ((int) WAITERS.getOpaque(this) != 0) {
            signalOneUnlessPending();
        }
    }

    /** Wakes one waiting producer, unless a signal is already on its way (then one waiter has yet to run). */
    private void signalOneUnlessPending() {
        if (!signalPending && SIGNAL_PENDING.compareAndSet(this, false, true)) {
            lock.lock();
            try {
                notFull.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    void signalAll() {
        lock.lock();
        try {
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings(
            "NonAtomicVolatileUpdate") // waiters is written under the lock only; volatile for roomMade's lock-free read
    boolean await(BoundedChannel<?> channel, long deadlineNanos) throws InterruptedException {
        for (int spin = 0; spin < SPINS; spin++) {
            if (channel.isClosed() || !channel.isFull()) {
                return true;
            }
            Thread.onSpinWait();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for room");
        }
        lock.lockInterruptibly();
        try {
            waiters++;
            try {
                while (true) {
                    signalPending = false; // any removal from now on signals again
                    if (channel.isClosed() || !channel.isFull()) {
                        return true;
                    }
                    if (deadlineNanos == Long.MAX_VALUE) {
                        notFull.await();
                    } else {
                        long remaining = deadlineNanos - System.nanoTime();
                        if (remaining <= 0) {
                            return false;
                        }
                        notFull.awaitNanos(remaining);
                    }
                }
            } finally {
                waiters--;
                if (waiters > 0 && !channel.isFull()) {
                    notFull.signal(); // pass the room on to the next waiter
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
