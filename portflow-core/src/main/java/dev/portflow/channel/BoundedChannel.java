package dev.portflow.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The bounded buffer behind one connection: many producers, one receiver, exact depth.
 *
 * <p>A ring of {@code 2^k >= capacity} slots. Producers claim a position with one CAS on
 * {@code tail}; the receiver advances {@code head}. With a single receiver a slot is published by a
 * non-null element (as in JCTools' MPSC queue). When producers may also remove the head
 * ({@code DROP_OLDEST}) every slot carries a sequence number in the style of Vyukov's bounded queue:
 * free for position {@code p} ({@code seq == p}), holding the element of {@code p}
 * ({@code seq == p + 1}), or consumed ({@code seq == p + ringSize}). Beside each element a timed
 * channel keeps two longs (enqueue time, origin time) so queue wait and message age are measured
 * without wrapping the message, i.e. without allocating per message.
 *
 * <ul>
 *   <li><b>Exact depth.</b> {@code tail - head}, read as a consistent pair; a producer only claims a
 *       position below {@code head + capacity}, so depth is never above capacity nor below zero.
 *   <li><b>Accepted / received counts are free.</b> {@code tail} counts every accepted message,
 *       {@code head} every message removed; no counter is touched on the fast path.
 *   <li><b>Close is one bit.</b> The top bit of {@code tail} marks the channel closed, so a producer's
 *       claim CAS fails atomically once the channel is closed: nothing is ever accepted after close,
 *       and end of stream is exactly "closed and head reached tail".
 *   <li><b>Evicting producers.</b> Only a {@code DROP_OLDEST} channel lets producers remove the head;
 *       it is then built with {@code multiConsumer = true} and {@code head} is advanced by CAS. A
 *       send's evictions and its claim are atomic with respect to close ({@link #offerEvicting}).
 *       Otherwise the single receiver advances {@code head} with a release store.
 * </ul>
 *
 * <p>Waiting: a receiver parks on its {@link ReceiverWakeup}; producers blocked on a full buffer wait
 * in a {@link ProducerGate} that the receiver signals only when someone waits. See those classes
 * for why no wake-up is lost.
 */
public final class BoundedChannel<T> extends ChannelPad3 {

    /** Outcome codes of {@link #offer}. */
    public static final int OFFERED = 0;

    public static final int FULL = 1;
    public static final int CLOSED = 2;

    static final long CLOSED_BIT = Long.MIN_VALUE;

    /** {@link #offerSampled}'s origin for a message with none of its own: its enqueue time. */
    public static final long FRESH = Long.MIN_VALUE;

    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final int capacity;
    private final int mask;
    private final int ringSize;
    private final boolean multiConsumer;
    private final Object[] elements;
    private final long @Nullable [] sequences; // only with several consumers
    // Only when timed: slot i's enqueue stamp at [2i], its origin at [2i + 1]. One array, so the
    // receiver's reads and the producers' writes of a slot's stamps touch one cache line, not two.
    private final long @Nullable [] stamps;
    // Only when the pipeline traces messages (carryTraceContexts, before any thread uses the channel):
    // slot i's trace context, null for an untraced message. A free slot's entry is always null, so
    // only a traced message's producer writes one (before the element is published) and only the
    // remover of a traced message clears it (before the slot is released): untraced messages, ~99 %
    // of them, write nothing here, and the array's lines are not passed between the cores' caches.
    // Null when not tracing: the fast path pays one null check per message (docs/tracing.md).
    private @Nullable Object @Nullable [] contexts;
    private final ReceiverWakeup wakeup;
    private final ProducerGate gate = new ProducerGate();
    private final LongAdder evicted = new LongAdder();
    /*
     * DROP_OLDEST only (null otherwise). Held by an evicting send from its first eviction until its
     * own element is accepted, and by close() while it sets the closed bit. So close is ordered
     * before or after the whole "evict, then claim" of every send: a send that evicted an accepted
     * message is never then told CLOSED (the receiver would reach end of stream without that
     * message and nothing in its place), and nothing is evicted once close has started. Sends that
     * find room never touch it; a send on a full DROP_OLDEST channel takes it beside the CAS on head
     * it needs anyway (uncontended unless several senders evict at once: they then take turns, as
     * their CASes on head would have serialised them).
     */
    private final @Nullable ReentrantLock evictionLock;

    /**
     * @param capacity      maximum number of buffered messages, at least 1
     * @param multiConsumer whether producers may evict the head ({@code DROP_OLDEST})
     * @param timed         whether slots keep enqueue and origin times
     * @param wakeup        where the receiver parks; shared by every channel feeding the same receiver
     */
    public BoundedChannel(int capacity, boolean multiConsumer, boolean timed, ReceiverWakeup wakeup) {
        if (capacity < 1) {
            throw new IllegalArgumentException("channel capacity must be >= 1, was " + capacity);
        }
        if (capacity > (1 << 30)) {
            throw new IllegalArgumentException("channel capacity must be <= 2^30, was " + capacity);
        }
        this.capacity = capacity;
        int ring = Integer.highestOneBit(capacity) == capacity ? capacity : Integer.highestOneBit(capacity) << 1;
        // With evicting producers, head moves (CAS) before the slot is released, so a producer may
        // claim position h + ringSize while the consumer of h still holds the slot. In a ring of one
        // slot "published for h" (h + 1) equals "free for h + ringSize" (h + 1): that producer would
        // overwrite the element being taken and the late release would then un-publish it for good.
        // Two slots keep the sequence values distinct; depth is still bounded by capacity.
        this.ringSize = multiConsumer ? Math.max(2, ring) : ring;
        this.mask = ringSize - 1;
        this.multiConsumer = multiConsumer;
        this.elements = new Object[ringSize];
        if (multiConsumer) {
            this.sequences = new long[ringSize];
            for (int i = 0; i < ringSize; i++) {
                sequences[i] = i;
            }
        } else {
            this.sequences = null;
        }
        this.evictionLock = multiConsumer ? new ReentrantLock() : null;
        this.stamps = timed ? new long[2 * ringSize] : null;
        this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
    }

    /** A timed channel with the given capacity and receiver. */
    public BoundedChannel(int capacity, boolean multiConsumer, ReceiverWakeup wakeup) {
        this(capacity, multiConsumer, true, wakeup);
    }

    public int capacity() {
        return capacity;
    }

    /** Whether slots keep enqueue and origin times. */
    public boolean isTimed() {
        return stamps != null;
    }

    /**
     * Makes the slots carry a trace context beside each message ({@link #offer(Object, long, long,
     * Object)}, {@link #polledContext()}). Call before any producer or receiver uses the channel (the
     * runtime does, when it builds a traced pipeline: the threads it starts then see the array).
     */
    public void carryTraceContexts() {
        if (contexts == null) {
            contexts = new Object[ringSize];
        }
    }

    /** Whether slots carry trace contexts. */
    public boolean carriesTraceContexts() {
        return contexts != null;
    }

    public ReceiverWakeup wakeup() {
        return wakeup;
    }

    /**
     * Tries to append {@code element} without waiting, timed exactly with the given stamps. The
     * timestamps are ignored by an untimed channel.
     *
     * @return {@link #OFFERED}, {@link #FULL} or {@link #CLOSED}
     */
    public int offer(T element, long enqueuedAtNanos, long originAtNanos) {
        return offer(element, enqueuedAtNanos, originAtNanos, 0L, null, null);
    }

    /**
     * As {@link #offer(Object, long, long)}, with the message's trace context (kept only by a channel
     * that {@link #carriesTraceContexts()}; the receiver reads it from {@link #polledContext()}).
     */
    public int offer(T element, long enqueuedAtNanos, long originAtNanos, @Nullable Object context) {
        return offer(element, enqueuedAtNanos, originAtNanos, 0L, null, context);
    }

    /**
     * Tries to append {@code element} without waiting, timing it exactly only if the sampling rule
     * picks its position (see {@link ChannelSampling}): then {@code clock} is read once, before the
     * position is claimed, and the reading is its enqueue stamp. Otherwise nothing is read: the
     * stamp, marked inexact, is the later of {@code coarseNow} and the channel's last exact reading,
     * both taken before the claim: a lower bound of the enqueue time (and the origin of a message
     * without one, so its age can come out too long, never too short).
     *
     * @param originAtNanos the message's origin, or {@link #FRESH} for "its enqueue time"
     * @param coarseNow     a lower bound of the current time on the clock's scale
     * @param clock         the exact clock
     * @return {@link #OFFERED}, {@link #FULL} or {@link #CLOSED}
     */
    public int offerSampled(T element, long originAtNanos, long coarseNow, dev.portflow.time.Ticker clock) {
        return offer(element, 0L, originAtNanos, coarseNow, java.util.Objects.requireNonNull(clock), null);
    }

    // clock == null: stamps given (exact). Otherwise sample as offerSampled says.
    private int offer(
            T element,
            long enqueuedAtNanos,
            long originAtNanos,
            long coarseNow,
            dev.portflow.time.@Nullable Ticker clock,
            @Nullable Object context) {
        long exactNow = 0L; // a reading taken before the claim (0: none)
        long floor = coarseNow; // otherwise the latest reading known before the claim: a lower bound
        long t;
        do {
            t = tailVolatile();
            if (t < 0) { // CLOSED_BIT is the sign bit
                return CLOSED;
            }
            if (t - headCacheAcquire() >= capacity) {
                long h = headVolatile();
                setHeadCacheRelease(h);
                if (t - h >= capacity) {
                    return FULL;
                }
            }
            // Read before the claim, so the stamp is never later than the message's entry: a wait
            // computed from it can be too long by the CAS's duration, never too short.
            if (clock != null && exactNow == 0L && stamps != null) {
                long last = lastSampleAt();
                if (isSamplePosition(t, coarseNow, last)) {
                    exactNow = clock.read();
                } else if (last != Long.MIN_VALUE && last - floor > 0) {
                    floor = last; // the channel's last exact reading is later than the coarse one
                }
            }
        } while (!casTail(t, t + 1));

        int i = (int) t & mask;
        if (multiConsumer) {
            // A slot can be claimed by position t before the consumer of t - ringSize has released
            // it (head moves first); the wait is a few instructions long.
            while ((long) SEQ.getAcquire(sequences, i) != t) {
                Thread.onSpinWait();
            }
        }
        // With one receiver the slot is free: it nulled the element before advancing head, and we
        // only claim positions below the head we read.
        if (stamps != null) {
            long enqueued;
            if (clock == null) {
                enqueued = enqueuedAtNanos;
            } else if (exactNow != 0L) {
                enqueued = exactNow;
                sampled(t, exactNow);
            } else {
                enqueued = floor;
            }
            if (originAtNanos == FRESH) {
                originAtNanos = enqueued;
            }
            // The stamp's low bit says whether it is exact (0) or a coarse lower bound (1): no room
            // for a flag otherwise without a third store. Exact stamps lose their lowest nanosecond.
            stamps[2 * i] = clock == null || exactNow != 0L ? enqueued & ~1L : enqueued | 1L;
            stamps[2 * i + 1] = originAtNanos;
        }
        Object[] cs = contexts;
        if (cs != null && context != null) {
            cs[i] = context; // before the element is published, as the stamps; a free slot's is null
        }
        // Publish with a volatile store (not just release): it must be visible before we read the
        // receiver's waiter field in signal(), the producer half of the Dekker handshake.
        if (multiConsumer) {
            elements[i] = element;
            SEQ.setVolatile(sequences, i, t + 1);
        } else {
            ELEMENT.setVolatile(elements, i, element);
        }
        wakeup.signal();
        return OFFERED;
    }

    /**
     * Removes the head element; receiving thread only. The element's timestamps are then available
     * from {@link #polledEnqueuedAt()} and {@link #polledOriginAt()}.
     *
     * @return the element, or {@code null} when nothing is published (empty, or a producer has
     *     claimed the next position and not yet written it)
     */
    @SuppressWarnings("unchecked")
    public @Nullable T poll() {
        if (multiConsumer) {
            T e = pollShared(true);
            if (e != null) {
                // Release, after the CAS on head that took e: an observer that reads this count
                // (acquire) also sees head at or past it. snapshot() relies on it; a plain store
                // on x86, as the opaque store it replaces.
                setReceivedRelease(receivedByReceiver + 1);
            }
            return e;
        }
        long h = headPlain();
        int i = (int) h & mask;
        T e = (T) ELEMENT.getAcquire(elements, i);
        if (e == null) {
            gate.roomMade(); // see ProducerGate: an empty poll also looks for waiting producers
            return null;
        }
        if (stamps != null) {
            polledEnqueuedAt = stamps[2 * i];
            polledOriginAt = stamps[2 * i + 1];
        }
        Object[] cs = contexts;
        if (cs != null) {
            polledContext = takeContext(cs, i); // before the release of the slot, as the element below
        }
        elements[i] = null; // ordered before the release store of head that frees the slot
        setHeadRelease(h + 1);
        gate.roomMade();
        return e;
    }

    /**
     * Offers {@code element} to a {@code DROP_OLDEST} channel, evicting the oldest messages while the
     * buffer is full. Eviction and acceptance are atomic with respect to {@link #close()}: either the
     * element is accepted (after evicting as many messages as the result says), or the channel was
     * already closed and nothing was evicted.
     *
     * @return how many messages were evicted before {@code element} was accepted ({@code >= 0}), or
     *     {@code -1} when the channel is closed, in which case nothing was evicted
     */
    public int offerEvicting(T element, long enqueuedAtNanos, long originAtNanos) {
        return offerEvicting(element, enqueuedAtNanos, originAtNanos, null);
    }

    /** As {@link #offerEvicting(Object, long, long)}, with the message's trace context (see {@link #offer(Object, long, long, Object)}). */
    @SuppressWarnings("NullAway") // evictionLock is non-null on a multiConsumer channel, checked by requireEvicting()
    public int offerEvicting(T element, long enqueuedAtNanos, long originAtNanos, @Nullable Object context) {
        requireEvicting();
        int result = offer(element, enqueuedAtNanos, originAtNanos, context);
        if (result != FULL) {
            return result == OFFERED ? 0 : -1;
        }
        evictionLock.lock();
        try {
            int evictedHere = 0;
            while (true) {
                result = offer(element, enqueuedAtNanos, originAtNanos, context);
                if (result == OFFERED) {
                    return evictedHere;
                }
                if (result == CLOSED) {
                    // close() needs the lock we hold, so it finished before our first eviction
                    return -1;
                }
                if (pollShared(false) != null) {
                    evicted.increment();
                    evictedHere++;
                } else {
                    // the head is claimed but not yet published, or the receiver just took it
                    Thread.onSpinWait();
                }
            }
        } finally {
            evictionLock.unlock();
        }
    }

    /**
     * Evicts the oldest message for {@code DROP_OLDEST}; returns it, or {@code null} if none is
     * published or the channel is closed (nothing accepted is evicted once close has started).
     */
    @SuppressWarnings("NullAway") // evictionLock is non-null on a multiConsumer channel, checked by requireEvicting()
    public @Nullable T evictOldest() {
        requireEvicting();
        evictionLock.lock();
        try {
            if (isClosed()) {
                return null;
            }
            T e = pollShared(false);
            if (e != null) {
                evicted.increment();
            }
            return e;
        } finally {
            evictionLock.unlock();
        }
    }

    private void requireEvicting() {
        if (!multiConsumer) {
            throw new IllegalStateException("only a DROP_OLDEST channel lets producers evict");
        }
    }

    @SuppressWarnings("unchecked")
    private @Nullable T pollShared(boolean receiver) {
        while (true) {
            long h = headVolatile();
            int i = (int) h & mask;
            long s = (long) SEQ.getAcquire(sequences, i);
            if (s == h + 1) {
                if (!casHead(h, h + 1)) {
                    continue;
                }
                T e = (T) ELEMENT.getAcquire(elements, i);
                if (receiver && stamps != null) {
                    polledEnqueuedAt = stamps[2 * i];
                    polledOriginAt = stamps[2 * i + 1];
                }
                Object[] cs = contexts;
                if (cs != null) {
                    Object context = takeContext(cs, i); // before the release of the slot below
                    if (receiver) {
                        polledContext = context;
                    }
                }
                elements[i] = null;
                SEQ.setRelease(sequences, i, h + ringSize);
                gate.roomMade();
                return e;
            }
            if (s < h + 1) {
                return null; // empty, or claimed but not yet published
            }
            // s > h + 1: another consumer took h and released it; head moved on.
        }
    }

    /**
     * Enqueue stamp of the element last returned by {@link #poll()}, on the clock's scale: exact when
     * {@link #isExact(long)}, otherwise a coarse reading no later than the real enqueue time (in
     * both cases use {@link #stampNanos(long)} for the value).
     */
    public long polledEnqueuedAt() {
        return polledEnqueuedAt;
    }

    /** Whether an enqueue stamp is an exact reading (the message is timed) or a coarse lower bound. */
    public static boolean isExact(long enqueueStamp) {
        return (enqueueStamp & 1L) == 0;
    }

    /** The time an enqueue stamp stands for: the exact reading, or a lower bound of the enqueue time. */
    public static long stampNanos(long enqueueStamp) {
        return enqueueStamp & ~1L; // a coarse stamp c is stored as c | 1: c & ~1 <= c
    }

    /** Origin time (event or ingest time, on the {@code nanoTime} scale) of the element last polled. */
    public long polledOriginAt() {
        return polledOriginAt;
    }

    /**
     * Slot {@code i}'s trace context, cleared when there is one (a free slot's is null, so an untraced
     * message's slot is only read). Out of line: it keeps {@code poll} small enough to inline.
     */
    private static @Nullable Object takeContext(@Nullable Object[] cs, int i) {
        Object context = cs[i];
        if (context != null) {
            cs[i] = null;
        }
        return context;
    }

    /** Trace context of the element last returned by {@link #poll()}: null when untraced, or the channel carries none. */
    public @Nullable Object polledContext() {
        return polledContext;
    }

    /**
     * Messages buffered now: exact, between 0 and capacity. Not clamped into that range: head did
     * not move while tail was read, head never passes tail, and a producer only claims below
     * {@code head + capacity}, so {@code tail - head} is a depth that existed at the tail read.
     */
    public int depth() {
        while (true) {
            long before = headVolatile();
            long t = tailVolatile() & ~CLOSED_BIT;
            if (headVolatile() == before) {
                return (int) (t - before);
            }
        }
    }

    /**
     * Counts and depth read as one consistent snapshot: {@code accepted == received + depth + evicted}
     * and {@code 0 <= depth <= capacity} hold in every snapshot, even while producers, the receiver
     * and evictions run. For observers (statistics, tests); it may retry, never the hot path.
     */
    public Snapshot snapshot() {
        for (int attempt = 0; ; attempt++) {
            // With evicting producers, the counters trail head: a receive or an eviction moves head
            // (CAS) and then counts itself (release store / LongAdder CAS). Reading the counters
            // (acquire) before head gives received + evicted <= head, with equality exactly when no
            // removal below head is uncounted. With one receiver head is the received count.
            long received = multiConsumer ? receivedAcquire() : 0L;
            long evictedNow = multiConsumer ? evicted.sum() : 0L;
            long h = headVolatile();
            long t = tailVolatile();
            // head did not move while tail was read, so t - h is a depth that existed.
            if (headVolatile() == h && (!multiConsumer || received + evictedNow == h)) {
                long accepted = t & ~CLOSED_BIT;
                return new Snapshot(accepted, multiConsumer ? received : h, evictedNow, (int) (accepted - h), t < 0);
            }
            if (attempt < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a remover was descheduled between its head CAS and its count
            }
        }
    }

    /**
     * One consistent reading of a channel's counts.
     *
     * @param accepted messages ever accepted
     * @param received messages ever handed to the receiver
     * @param evicted  messages evicted by {@code DROP_OLDEST}
     * @param depth    messages buffered at that instant, in {@code [0, capacity]}
     * @param closed   whether the channel was closed
     */
    public record Snapshot(long accepted, long received, long evicted, int depth, boolean closed) {}

    /** Total messages ever accepted by this channel. */
    public long acceptedCount() {
        return tailVolatile() & ~CLOSED_BIT;
    }

    /** Total messages handed to the receiver (evicted messages are not counted). Never decreases. */
    public long receivedCount() {
        // With evicting producers head counts evictions too, and an eviction's counter lags its CAS:
        // the receiver's own count is exact and monotonic.
        return multiConsumer ? receivedOpaque() : headVolatile();
    }

    /** Total messages evicted by {@code DROP_OLDEST}. */
    public long evictedCount() {
        return evicted.sum();
    }

    /**
     * Origin time of the message at the head, or {@code Long.MIN_VALUE} when the buffer is empty or
     * the channel is untimed. For a gauge, read concurrently with producers and the receiver: a
     * buffer that holds a message never reads as empty because the head moved under the read.
     */
    public long headOriginAt() {
        if (stamps == null) {
            return Long.MIN_VALUE;
        }
        for (int attempt = 0; ; attempt++) {
            long h = headVolatile();
            int i = (int) h & mask;
            if (isPublished(i, h)) {
                long origin = stamps[2 * i + 1];
                // The plain read of origin must complete before the re-checks below, or it could be
                // satisfied after them and return the timestamp of the slot's next occupant (the
                // same fence as StampedLock.validate). Observer only: no cost to the hot path.
                VarHandle.acquireFence();
                if (isPublished(i, h) && headVolatile() == h) {
                    return origin;
                }
            } else if (headVolatile() == h && (tailVolatile() & ~CLOSED_BIT) == h) {
                return Long.MIN_VALUE; // empty: head did not move and nothing is claimed past it
            }
            // Head moved while we looked (the receiver or an eviction took it: look at the new
            // head), or position h is claimed and its producer is about to publish it.
            if (attempt < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private boolean isPublished(int index, long position) {
        return multiConsumer
                ? (long) SEQ.getAcquire(sequences, index) == position + 1
                : ELEMENT.getAcquire(elements, index) != null;
    }

    /**
     * The buffered messages, oldest first, without removing them: what a drain that timed out left
     * behind. Exact only once nothing moves any more (closed, and the receiver has stopped), which
     * is when the runtime calls it; a slot claimed but never published is skipped.
     */
    @SuppressWarnings("unchecked")
    public List<T> remaining() {
        long h = headVolatile();
        long t = tailVolatile() & ~CLOSED_BIT;
        List<T> left = new ArrayList<>((int) Math.max(0, Math.min(capacity, t - h)));
        for (long p = h; p < t; p++) {
            int i = (int) p & mask;
            if (isPublished(i, p)) {
                left.add((T) ELEMENT.getAcquire(elements, i));
            }
        }
        return left;
    }

    public boolean isFull() {
        return (tailVolatile() & ~CLOSED_BIT) - headVolatile() >= capacity;
    }

    public boolean isClosed() {
        return tailVolatile() < 0;
    }

    /** Closed and every accepted message has been removed: the receiver sees end of stream. */
    public boolean isDrained() {
        long t = tailVolatile();
        return t < 0 && headVolatile() == (t & ~CLOSED_BIT);
    }

    /**
     * Closes the channel: later offers return {@link #CLOSED}; messages already accepted stay
     * receivable. Wakes the receiver and every blocked producer. Idempotent.
     */
    public void close() {
        if (evictionLock == null) {
            orTail(CLOSED_BIT);
        } else {
            evictionLock.lock(); // not while a send is between its eviction and its claim
            try {
                orTail(CLOSED_BIT);
            } finally {
                evictionLock.unlock();
            }
        }
        wakeup.signal();
        gate.signalAll();
    }

    /**
     * Waits until the buffer has room, the channel closes, or the deadline passes.
     *
     * @param deadlineNanos {@code System.nanoTime()} deadline, or {@code Long.MAX_VALUE} for none
     * @return {@code true} to retry the offer, {@code false} when the deadline passed
     */
    public boolean awaitRoom(long deadlineNanos) throws InterruptedException {
        return gate.await(this, deadlineNanos);
    }
}
