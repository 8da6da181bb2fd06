package dev.portflow.port;

import dev.portflow.channel.BoundedChannel;
import dev.portflow.metrics.RemoteBuffer;

/**
 * One edge of a pipeline: an output port, an input port and the bounded buffer between them.
 * Created by {@link Ports#connect}; each connection has its own buffer and metrics.
 *
 * <p>A connection may also lead out of the process ({@link OutputPort#attachRemote}): then it has
 * no input port here ({@link #to()} is {@code null}), its buffer is the {@link #remote() remote
 * link}'s, and {@link #target()} names where it goes. On the receiving process, an input port
 * bound to a {@link RemoteBuffer} reports that buffer for its connections' depth.
 */
public final class Connection<T> {

    private final OutputPort<T> from;
    private final InputPort<? super T> to;
    private final ConnectionOptions options;
    private final BoundedChannel<T> channel;
    private final RemoteLink<T> remote;

    Connection(OutputPort<T> from, InputPort<? super T> to, ConnectionOptions options, BoundedChannel<T> channel) {
        this.from = from;
        this.to = to;
        this.options = options;
        this.channel = channel;
        this.remote = null;
    }

    Connection(OutputPort<T> from, RemoteLink<T> remote, ConnectionOptions options) {
        this.from = from;
        this.to = null;
        this.options = options;
        this.channel = null;
        this.remote = remote;
    }

    public OutputPort<T> from() {
        return from;
    }

    /** The receiving port, or {@code null} when the connection leads out of the process. */
    public InputPort<? super T> to() {
        return to;
    }

    /** The link out of the process, or {@code null} for an in-process connection. */
    public RemoteLink<T> remote() {
        return remote;
    }

    /** The receiving end: {@code component.port}, or the remote link's target (e.g. {@code kafka:orders}). */
    public String target() {
        return to != null ? to.measurements().component() + "." + to.name() : remote.target();
    }

    /** {@code memory}, or the transport of the remote buffer behind this connection (e.g. {@code kafka}). */
    public String transport() {
        RemoteBuffer buffer = remoteBuffer();
        return buffer == null ? dev.portflow.metrics.PortMeterBinder.TRANSPORT_MEMORY : buffer.transport();
    }

    /** The remote buffer behind this connection: its remote link, or the one its input port is bound to. */
    private RemoteBuffer remoteBuffer() {
        return remote != null ? remote : to.measurements().remote();
    }

    public ConnectionOptions options() {
        return options;
    }

    /** Messages buffered now (exact in process; as last measured for a remote buffer). */
    public int depth() {
        RemoteBuffer buffer = remoteBuffer();
        return buffer == null ? channel.depth() : clamp(buffer.depth());
    }

    public int capacity() {
        RemoteBuffer buffer = remoteBuffer();
        return buffer == null ? channel.capacity() : clamp(buffer.capacity());
    }

    /**
     * Current buffer use, capacity and lifetime totals of this connection. For a remote buffer,
     * depth and capacity are the remote's; the totals count what this process sent (sending side)
     * or what its prefetch took (receiving side).
     *
     * <p>For an in-process buffer the values are one consistent snapshot: {@code acceptedTotal ==
     * receivedTotal + currentBufferUsed + evictedTotal} and {@code 0 <= currentBufferUsed <=
     * maxBufferSize} hold in every snapshot, also while messages move. A remote buffer's depth is
     * measured elsewhere and at another time, so there the identity is not guaranteed.
     */
    public ChannelStatistics statistics() {
        if (remoteBuffer() == null) {
            // One consistent reading: accepted = received + depth + evicted holds in every snapshot.
            BoundedChannel.Snapshot s = channel.snapshot();
            int capacity = channel.capacity();
            return new ChannelStatistics(
                    s.depth(),
                    capacity,
                    (double) s.depth() / capacity,
                    s.accepted(),
                    s.received(),
                    s.evicted(),
                    s.closed());
        }
        int depth = depth();
        int capacity = capacity();
        double utilization = capacity == 0 ? 0.0 : Math.min(1.0, (double) depth / capacity);
        if (channel == null) {
            long sent = from.measurements().messagesOut();
            return new ChannelStatistics(
                    depth, capacity, utilization, sent, Math.max(0, sent - depth), 0, from.isClosed());
        }
        return new ChannelStatistics(
                depth,
                capacity,
                utilization,
                channel.acceptedCount(),
                channel.receivedCount(),
                channel.evictedCount(),
                channel.isClosed());
    }

    private static int clamp(long value) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, value));
    }

    BoundedChannel<T> channel() {
        return channel;
    }

    @Override
    public String toString() {
        return from.measurements().component() + "." + from.name() + " -> " + target() + " [" + options.overflow()
                + ", capacity " + options.capacity() + "]";
    }
}
