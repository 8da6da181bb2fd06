package dev.portflow.metrics;

/**
 * The live counts of one port, read at the moment of the call: what a dashboard, a health check or
 * a drain estimate reads many times a second without making a {@link PortMetrics} snapshot. Each
 * method reads one counter; two calls are not one consistent snapshot (use
 * {@link dev.portflow.port.Connection#statistics()} for that). Thread-safe.
 */
public interface PortCounters {

    /** Which end of its connections a port is. */
    enum Direction {
        INPUT,
        OUTPUT
    }

    /** The port's name, e.g. {@code in_orders}. */
    String portName();

    /** The name of the component that owns the port, once the port is in a pipeline. */
    String component();

    /** Whether the port receives or sends. */
    Direction direction();

    /** {@code memory}, or the transport of the remote buffer the port reads from (e.g. {@code kafka}). */
    String transport();

    /** Messages received (an input port) since the start. */
    long messagesIn();

    /** Messages accepted by a channel from this output port since the start. */
    long messagesOut();

    /** Messages taken out of the buffers this input port reads, by it or by eviction. */
    long removedFromBuffers();

    /** Messages dropped for {@code reason}. */
    long dropped(DropReason reason);

    /** Messages dropped for any reason. */
    long droppedTotal();

    /** Failures counted on this port, of any type. */
    long errorsTotal();

    /** Messages buffered now: exact, the same number from both ends of a connection. */
    int depth();

    /** The room of the buffers the port reads or writes. */
    int capacity();

    /** {@link #depth()} over {@link #capacity()}, 0..1. */
    double utilization();

    /** How long the oldest buffered message has waited, at {@code nowNanos} (the pipeline's ticker). */
    long oldestMessageAgeNanos(long nowNanos);

    /** The ages of the messages this input port received, since the start. */
    HistogramSnapshot messageAges();

    /** The time senders on this output port spent blocked on a full buffer, in total. */
    double blockedNanos();

    /**
     * The counts of a port that is not in this process (the receiving end of a connection that leaves
     * it): all zero, for code that reads both ends of every connection.
     */
    static PortCounters absent(String portName, Direction direction) {
        return new AbsentPortCounters(portName, direction);
    }
}
