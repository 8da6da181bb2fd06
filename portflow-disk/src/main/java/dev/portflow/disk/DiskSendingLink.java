package dev.portflow.disk;

import dev.portflow.port.RemoteLink;
import dev.portflow.time.NanoWallClock;
import dev.portflow.trace.TraceContext;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The sending end of a disk edge, bound to the sender's output port
 * ({@link dev.portflow.port.OutputPort#attachRemote}). A message is {@link Offer#ACCEPTED} only once
 * the fsync covering its record has returned, so an HTTP ingress's 202 means the message is on
 * disk. The edge is full while the log holds its capacity in records (or its bytes would pass
 * {@code max_bytes}); it is also reported full, with {@link #unavailableReason()} saying why, while
 * the disk refuses writes. The port's overflow policy applies in both cases. A traced message's
 * record carries its trace context (a version 2 {@link RecordFrame}), so its trace goes on at the
 * receiving stage, after a restart too.
 */
final class DiskSendingLink<T> implements RemoteLink<T> {

    private static final System.Logger LOG = System.getLogger("dev.portflow.disk");
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DiskEdge edge;
    private final DiskCodec<T> codec;
    private final DiskLog log;
    private volatile boolean closed;
    private volatile long lastTraceWarning = System.nanoTime() - WARN_EVERY_NANOS;

    DiskSendingLink(DiskEdge edge, DiskCodec<T> codec, DiskLog log) {
        this.edge = edge;
        this.codec = codec;
        this.log = log;
    }

    @Override
    public Offer offer(T message, long originNanoTime, long handOff) throws InterruptedException {
        return offer(message, originNanoTime, handOff, null);
    }

    /** Appends as {@link #offer(Object, long, long)}; a traced message's record carries its trace context. */
    @Override
    public Offer offer(T message, long originNanoTime, long handOff, @Nullable TraceContext context)
            throws InterruptedException {
        if (closed) {
            return Offer.CLOSED;
        }
        byte[] payload = codec.encode(message);
        byte[] trace = context == null ? null : traceBytes(context);
        long now = System.nanoTime();
        return switch (log.append(
                payload, trace, NanoWallClock.toEpochNanos(originNanoTime), NanoWallClock.toEpochNanos(now))) {
            case ACCEPTED -> Offer.ACCEPTED;
            case FULL, UNAVAILABLE -> Offer.FULL;
            case CLOSED -> Offer.CLOSED;
        };
    }

    /** {@code context} as a record stores it; {@code null} (logged, at most once a minute) when it has no W3C ids. */
    private byte @Nullable [] traceBytes(TraceContext context) {
        byte[] trace = RecordTrace.encode(context);
        long now = System.nanoTime();
        if (trace == null && now - lastTraceWarning >= WARN_EVERY_NANOS) {
            lastTraceWarning = now;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "a trace context without W3C ids (" + context.traceId() + "/" + context.spanId() + ") cannot go"
                            + " into a record of " + edge.describe() + ": its message is written untraced; further"
                            + " ones are not logged for a minute");
        }
        return trace;
    }

    @Override
    public boolean awaitRoom(long deadlineNanoTime) throws InterruptedException {
        return closed || log.awaitRoom(deadlineNanoTime);
    }

    @Override
    public String target() {
        return edge.target();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String transport() {
        return DiskTransport.TRANSPORT;
    }

    @Override
    public long depth() {
        return log.depth();
    }

    @Override
    public long capacity() {
        return log.capacity();
    }

    @Override
    public @Nullable String unavailableReason() {
        return log.unavailableReason();
    }
}
