package dev.portflow.channel;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where producers wait for room in a full channel. Only the slow path takes the lock: the receiver
 * checks the volatile {@link #waiters} count after every removal (a plain load on x86) and signals
 * only when someone waits. A waiter increments the count before its final fullness check, and the
 * receiver advances {@code head} with a volatile store before reading the count, so one of the two
 * always sees the other.
 */
final class ProducerGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private volatile int waiters;

    boolean hasWaiters() {
        return waiters != 0;
    }

    void signalOne() {
        lock.lock();
        try {
            notFull.signal();
        } finally {
            lock.unlock();
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

    boolean await(BoundedChannel<?> channel, long deadlineNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            waiters++;
            try {
                while (true) {
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
            }
        } finally {
            lock.unlock();
        }
    }
}
