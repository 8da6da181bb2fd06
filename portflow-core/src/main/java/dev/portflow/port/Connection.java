package dev.portflow.port;

import dev.portflow.channel.BoundedChannel;
import dev.portflow.metrics.RemoteBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
    private final @Nullable InputPort<? super T> to; // null: the connection leads out of the process
    private final ConnectionOptions options;
    private final @Nullable BoundedChannel<T> channel; // null exactly when remote is set
    private final @Nullable RemoteLink<T> remote;

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
    public @Nullable InputPort<? super T> to() {
        return to;
    }

    /** The link out of the process, or {@code null} for an in-process connection. */
    public @Nullable RemoteLink<T> remote() {
        return remote;
    }

    /** The receiving end: {@code component.port}, or the remote link's target (e.g. {@code kafka:orders}). */
    public String target() {
        return to != null
                ? to.measurements().component() + "." + to.name()
                : Objects.requireNonNull(remote).target(); // no input port here: it leads out
    }

    /** {@code memory}, or the transport of the remote buffer behind this connection (e.g. {@code kafka}). */
    public String transport() {
        RemoteBuffer buffer = remoteBuffer();
        return buffer == null ? dev.portflow.internal.PortMeterBinder.TRANSPORT_MEMORY : buffer.transport();
    }

    /** The remote buffer behind this connection: its remote link, or the one its input port is bound to. */
    private @Nullable RemoteBuffer remoteBuffer() {
        // without a remote link the connection is in process, so it has an input port
        return remote != null
                ? remote
                : Objects.requireNonNull(to).measurements().remote();
    }

    public ConnectionOptions options() {
        return options;
    }

    /** Messages buffered now (exact in process; as last measured for a remote buffer). */
    public int depth() {
        RemoteBuffer buffer = remoteBuffer();
        return buffer == null ? inProcess().depth() : clamp(buffer.depth());
    }

    public int capacity() {
        RemoteBuffer buffer = remoteBuffer();
        return buffer == null ? inProcess().capacity() : clamp(buffer.capacity());
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
            BoundedChannel<T> local = inProcess();
            BoundedChannel.Snapshot s = local.snapshot();
            int capacity = local.capacity();
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

    /** The in-process buffer, or {@code null} when the connection leads out of the process. */
    @Nullable
    BoundedChannel<T> channel() {
        return channel;
    }

    /** The buffer of a connection with no remote buffer behind it: every such connection is in process. */
    private BoundedChannel<T> inProcess() {
        return Objects.requireNonNull(channel, "in-process buffer");
    }

    @Override
    public String toString() {
        return from.measurements().component() + "." + from.name() + " -> " + target() + " [" + options.overflow()
                + ", capacity " + options.capacity() + "]";
    }
}
