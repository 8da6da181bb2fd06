package dev.portflow.disk;

import dev.portflow.port.RemoteLink;
import dev.portflow.time.NanoWallClock;
import org.jspecify.annotations.Nullable;

/**
 * The sending end of a disk edge, bound to the sender's output port
 * ({@link dev.portflow.port.OutputPort#attachRemote}). A message is {@link Offer#ACCEPTED} only once
 * the fsync covering its record has returned, so an HTTP ingress's 202 means the message is on
 * disk. The edge is full while the log holds its capacity in records (or its bytes would pass
 * {@code max_bytes}); it is also reported full, with {@link #unavailableReason()} saying why, while
 * the disk refuses writes. The port's overflow policy applies in both cases.
 */
final class DiskSendingLink<T> implements RemoteLink<T> {

    private final DiskEdge edge;
    private final DiskCodec<T> codec;
    private final DiskLog log;
    private volatile boolean closed;

    DiskSendingLink(DiskEdge edge, DiskCodec<T> codec, DiskLog log) {
        this.edge = edge;
        this.codec = codec;
        this.log = log;
    }

    @Override
    public Offer offer(T message, long originNanoTime, long handOff) throws InterruptedException {
        if (closed) {
            return Offer.CLOSED;
        }
        byte[] payload = codec.encode(message);
        long now = System.nanoTime();
        return switch (log.append(
                payload, NanoWallClock.toEpochNanos(originNanoTime), NanoWallClock.toEpochNanos(now))) {
            case ACCEPTED -> Offer.ACCEPTED;
            case FULL, UNAVAILABLE -> Offer.FULL;
            case CLOSED -> Offer.CLOSED;
        };
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
