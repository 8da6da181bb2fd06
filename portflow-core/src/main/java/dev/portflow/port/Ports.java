package dev.portflow.port;

import dev.portflow.channel.BoundedChannel;
import java.util.Objects;

/**
 * Connects ports. The one-call way to a working edge:
 *
 * <pre>{@code
 * var out = new OutputPort<>("out_readings", Reading.class);
 * var in = new InputPort<>("in_readings", Reading.class);
 * Connection<Reading> edge = Ports.connect(out, in, 1024, OverflowPolicy.BLOCK);
 * }</pre>
 */
public final class Ports {

    private Ports() {}

    /** Connects with the defaults: capacity 1024, {@code BLOCK}. */
    public static <T> Connection<T> connect(OutputPort<T> out, InputPort<? super T> in) {
        return connect(out, in, ConnectionOptions.defaults());
    }

    /** Connects with a buffer of {@code capacity} messages and the given overflow policy. */
    public static <T> Connection<T> connect(
            OutputPort<T> out, InputPort<? super T> in, int capacity, OverflowPolicy overflow) {
        return connect(out, in, ConnectionOptions.defaults().capacity(capacity).overflow(overflow));
    }

    /**
     * Connects {@code out} to {@code in} through a new bounded buffer.
     *
     * @throws IllegalArgumentException if the port types are incompatible
     * @throws IllegalStateException    if the two ports are already connected, or {@code out} is closed
     */
    public static <T> Connection<T> connect(OutputPort<T> out, InputPort<? super T> in, ConnectionOptions options) {
        Objects.requireNonNull(out, "output port");
        Objects.requireNonNull(in, "input port");
        Objects.requireNonNull(options, "options");
        if (!in.type().isAssignableFrom(out.type())) {
            throw new IllegalArgumentException(
                    "cannot connect " + out + " carrying " + out.type().getName() + " to " + in + " expecting "
                            + in.type().getName());
        }
        synchronized (in) {
            if (in.isConnectedTo(out)) {
                throw new IllegalStateException(out + " is already connected to " + in);
            }
            BoundedChannel<T> channel = new BoundedChannel<>(
                    options.capacity(), options.overflow() == OverflowPolicy.DROP_OLDEST, options.timed(), in.wakeup());
            Connection<T> connection = new Connection<>(out, in, options, channel);
            out.attach(connection);
            @SuppressWarnings("unchecked")
            InputPort<T> typedIn = (InputPort<T>) in;
            typedIn.attach(connection, channel);
            return connection;
        }
    }
}
