package dev.portflow.tracing;

import io.opentelemetry.api.trace.SpanContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The ended spans of one thread, as records of longs, until the {@link SpanLogDrain} turns them into
 * {@link RecordedSpan}s on its own thread: a ring with one writer (the thread) and one reader (whoever holds
 * the drain's lock). Recording a span costs its thread eight plain stores and a release store, and nothing it
 * stores is a reference into this long-lived ring but a rare failure or remote parent (see docs/tracing.md,
 * "What it costs"): no span object, no shared counter, no queue shared with other threads.
 *
 * <p>A record is {@value #FIELDS} longs: its shape id and flags, the trace id (two longs), the span id, the
 * parent span id (0: none, or a remote parent), start and end in epoch nanoseconds, and the time blocked on
 * full outputs. The writer fills slot {@code tail & mask} and publishes it by the release store of {@code
 * tail + 1}; the reader acquires {@code tail}, reads the slots up to it, clears the references it read, and
 * frees them by the release store of {@code head}. The writer reads {@code head} again only when its cached
 * copy says the ring is full, and then drops the span (counted) rather than wait: tracing never blocks a
 * stage. The two counters share a line on purpose: each is written by one side and read by the other about
 * once per drain, not per span.
 */
final class SpanLog {

    /** Longs per record. */
    static final int FIELDS = 8;

    /** Flag: {@link #remoteParent} holds the span's parent, a context from elsewhere. */
    static final int REMOTE_PARENT = 1;

    /** Flag: {@link #error} holds the failure the span ended with. */
    static final int FAILED = 2;

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(SpanLog.class, "tail", long.class);
            HEAD = lookup.findVarHandle(SpanLog.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private final Runnable wake;
    private final long[] records;
    private final @Nullable SpanContext[] remoteParent;
    private final @Nullable Throwable[] error;
    private final int mask;
    private final int wakeMask; // the drain is woken each time this many more records are in

    @SuppressWarnings("unused") // through TAIL: written by the owner (release), read by the reader (acquire)
    private long tail;

    private long cachedHead; // the owner's copy of head

    @SuppressWarnings("unused") // through HEAD: written by the reader (release), read by the owner (acquire)
    private long head;

    private final AtomicLong dropped = new AtomicLong(); // spans the owner found no room for

    /**
     * @param capacity records, a power of two
     * @param wake     what the owner calls each time half a ring more is in: asks the reader to drain
     */
    SpanLog(Thread owner, int capacity, Runnable wake) {
        if (Integer.bitCount(capacity) != 1 || capacity < 2) {
            throw new IllegalArgumentException("capacity: a power of two >= 2, not " + capacity);
        }
        this.owner = owner;
        this.wake = wake;
        this.records = new long[capacity * FIELDS];
        this.remoteParent = new SpanContext[capacity];
        this.error = new Throwable[capacity];
        this.mask = capacity - 1;
        this.wakeMask = capacity / 2 - 1;
    }

    Thread owner() {
        return owner;
    }

    /** Spans dropped so far because the ring was full. */
    long dropped() {
        return dropped.get();
    }

    /**
     * Records an ended span; the owner thread only. False (and counted) when the ring is full.
     *
     * @param parentSpanId its parent's span id in this process; 0 for a root or a {@code remote} parent
     * @param remote       its parent from elsewhere (a caller's {@code traceparent}, ids carried over a wire)
     * @param failure      what it ended with, or null
     */
    boolean append(
            int shapeId,
            long traceIdHigh,
            long traceIdLow,
            long spanId,
            long parentSpanId,
            @Nullable SpanContext remote,
            long startEpochNanos,
            long endEpochNanos,
            long blockedNanos,
            @Nullable Throwable failure) {
        long t = tail; // plain: only this thread writes it
        if (t - cachedHead > mask) {
            cachedHead = (long) HEAD.getAcquire(this);
            if (t - cachedHead > mask) {
                dropped.incrementAndGet();
                return false;
            }
        }
        int slot = (int) t & mask;
        int flags = 0;
        if (remote != null) {
            remoteParent[slot] = remote;
            flags |= REMOTE_PARENT;
        }
        if (failure != null) {
            error[slot] = failure;
            flags |= FAILED;
        }
        int at = slot * FIELDS;
        records[at] = ((long) flags << 32) | (shapeId & 0xFFFF_FFFFL);
        records[at + 1] = traceIdHigh;
        records[at + 2] = traceIdLow;
        records[at + 3] = spanId;
        records[at + 4] = parentSpanId;
        records[at + 5] = startEpochNanos;
        records[at + 6] = endEpochNanos;
        records[at + 7] = blockedNanos;
        TAIL.setRelease(this, t + 1);
        if (((t + 1) & wakeMask) == 0) {
            wake.run(); // half a ring in since the last wake: drain before it fills
        }
        return true;
    }

    /** What {@link #drainTo} hands each record to. */
    interface Reader {
        void read(
                int shapeId,
                long traceIdHigh,
                long traceIdLow,
                long spanId,
                long parentSpanId,
                @Nullable SpanContext remote,
                long startEpochNanos,
                long endEpochNanos,
                long blockedNanos,
                @Nullable Throwable failure);
    }

    /** Hands every record published so far to {@code reader}, oldest first, and frees them; the reader only. */
    int drainTo(Reader reader) {
        long from = (long) HEAD.getAcquire(this); // only the reader writes it: plain would do, acquire is clearer
        long to = (long) TAIL.getAcquire(this);
        for (long k = from; k < to; k++) {
            int slot = (int) k & mask;
            int at = slot * FIELDS;
            long first = records[at];
            int flags = (int) (first >>> 32);
            SpanContext remote = null;
            if ((flags & REMOTE_PARENT) != 0) {
                remote = remoteParent[slot];
                remoteParent[slot] = null; // before the slot is freed below: the owner writes it only after
            }
            Throwable failure = null;
            if ((flags & FAILED) != 0) {
                failure = error[slot];
                error[slot] = null;
            }
            reader.read(
                    (int) first,
                    records[at + 1],
                    records[at + 2],
                    records[at + 3],
                    records[at + 4],
                    remote,
                    records[at + 5],
                    records[at + 6],
                    records[at + 7],
                    failure);
        }
        HEAD.setRelease(this, to);
        return (int) (to - from);
    }
}
