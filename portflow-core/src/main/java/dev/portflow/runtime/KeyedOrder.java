package dev.portflow.runtime;

import dev.portflow.port.InputPort;
import dev.portflow.trace.TraceContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Per-key order across workers: a key is <em>claimed</em> by the worker handling a message with it;
 * a message whose key is claimed is <em>parked</em> behind it, and the claiming worker handles the
 * parked ones, in arrival order, before it lets the key go. Messages with other keys go to other
 * workers meanwhile.
 *
 * <p>Claims are made by the worker that holds the component's receive lock, right after it took
 * the message, so the order of claims and parks is the order of arrival. Parked messages are
 * bounded ({@code parkLimit}): a receiver waits for room before it takes the next message, so a hot
 * key backs its stage up (and so its input buffer, and the senders) instead of growing a queue.
 */
final class KeyedOrder {

    /** A message taken from an input and waiting for its key; {@code context}, {@code enqueuedAt}: when traced. */
    record Parked(
            Object message,
            InputPort<?> port,
            long receivedAt,
            long origin,
            long sequence,
            @Nullable TraceContext context,
            long enqueuedAt) {}

    private final Function<Object, ?> keyOf;
    private final int parkLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    // claimed keys -> the messages parked behind them (null until one is parked)
    private final Map<@Nullable Object, @Nullable ArrayDeque<Parked>> claimed = new HashMap<>();
    private int parked;
    private boolean abandoned; // the component died: nobody will make room any more

    KeyedOrder(Function<Object, ?> keyOf, int parkLimit) {
        this.keyOf = keyOf;
        this.parkLimit = parkLimit;
    }

    /** The key of {@code message}; throws what the key function throws. */
    @Nullable
    Object keyOf(Object message) {
        return keyOf.apply(message);
    }

    /**
     * Waits while {@code parkLimit} messages are parked (and the order is not {@link #abandon abandoned}),
     * running {@code beforeWaiting} once if it does wait. Returns whether it waited.
     */
    boolean awaitRoom(Runnable beforeWaiting) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            boolean waited = false;
            while (parked >= parkLimit && !abandoned) {
                if (!waited) {
                    beforeWaiting.run();
                    waited = true;
                }
                room.await();
            }
            return waited;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases every receiver waiting for room: the component died, and the worker holding a key may
     * be the one that died, so the parked messages behind it will never be handled (they are left
     * over, see {@link #parked}).
     */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Claims {@code key} for the caller, or parks {@code message} behind the worker that holds it. */
    boolean claimOrPark(@Nullable Object key, Parked message) {
        lock.lock();
        try {
            if (!claimed.containsKey(key)) {
                claimed.put(key, null);
                return true;
            }
            claimed.computeIfAbsent(key, k -> new ArrayDeque<>()).add(message);
            parked++;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The next message parked behind {@code key}, which the caller keeps; or {@code null}, and the key is let go. */
    @Nullable
    Parked next(@Nullable Object key) {
        lock.lock();
        try {
            ArrayDeque<Parked> waiting = claimed.get(key);
            Parked next = waiting == null ? null : waiting.poll();
            if (next == null) {
                claimed.remove(key);
                return null;
            }
            parked--;
            room.signal();
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** The parked messages, for the report of a forced stop. */
    List<Parked> parked() {
        lock.lock();
        try {
            List<Parked> all = new ArrayList<>(parked);
            for (ArrayDeque<Parked> waiting : claimed.values()) {
                if (waiting != null) {
                    all.addAll(waiting);
                }
            }
            return all;
        } finally {
            lock.unlock();
        }
    }
}
