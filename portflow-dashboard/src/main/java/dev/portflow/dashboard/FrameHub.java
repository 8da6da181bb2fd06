package dev.portflow.dashboard;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Hands the latest frame from the sampler to every open event stream. Streams never queue frames:
 * a slow page skips to the newest one, so its cost is bounded whatever its speed.
 */
final class FrameHub {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Frame latest;
    private boolean closed;

    FrameHub(Frame initial) {
        this.latest = initial;
    }

    void publish(Frame frame) {
        lock.lock();
        try {
            latest = frame;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Frame latest() {
        lock.lock();
        try {
            return latest;
        } finally {
            lock.unlock();
        }
    }

    /** No frame follows; streams end after sending the latest. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The latest frame if its {@code seq} is above {@code seenSeq}, waiting up to {@code maxWait}
     * for one; {@code null} when none came in time or the hub is closed.
     */
    @Nullable
    Frame awaitNewer(long seenSeq, Duration maxWait) throws InterruptedException {
        long nanos = maxWait.toNanos();
        lock.lock();
        try {
            while (latest.seq() <= seenSeq) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return latest;
        } finally {
            lock.unlock();
        }
    }
}
