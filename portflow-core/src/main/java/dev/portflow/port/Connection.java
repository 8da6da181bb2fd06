package dev.portflow.port;

import dev.portflow.channel.BoundedChannel;

/**
 * One edge of a pipeline: an output port, an input port and the bounded buffer between them.
 * Created by {@link Ports#connect}; each connection has its own buffer and metrics.
 */
public final class Connection<T> {

    private final OutputPort<T> from;
    private final InputPort<? super T> to;
    private final ConnectionOptions options;
    private final BoundedChannel<T> channel;

    Connection(OutputPort<T> from, InputPort<? super T> to, ConnectionOptions options, BoundedChannel<T> channel) {
        this.from = from;
        this.to = to;
        this.options = options;
        this.channel = channel;
    }

    public OutputPort<T> from() {
        return from;
    }

    public InputPort<? super T> to() {
        return to;
    }

    public ConnectionOptions options() {
        return options;
    }

    /** Messages buffered now (exact). */
    public int depth() {
        return channel.depth();
    }

    public int capacity() {
        return channel.capacity();
    }

    /** Current buffer use, capacity and lifetime totals of this connection. */
    public ChannelStatistics statistics() {
        int depth = channel.depth();
        return new ChannelStatistics(depth, channel.capacity(), (double) depth / channel.capacity(),
                channel.acceptedCount(), channel.receivedCount(), channel.evictedCount(), channel.isClosed());
    }

    BoundedChannel<T> channel() {
        return channel;
    }

    @Override
    public String toString() {
        return from.measurements().component() + "." + from.name() + " -> "
                + to.measurements().component() + "." + to.name()
                + " [" + options.overflow() + ", capacity " + options.capacity() + "]";
    }
}
