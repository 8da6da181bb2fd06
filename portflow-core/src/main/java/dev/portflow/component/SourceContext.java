package dev.portflow.component;

import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A source's handle on the pipeline: emit messages and watch for shutdown.
 *
 * @param <T> the message type
 */
public interface SourceContext<T> extends ComponentContext {

    /**
     * Sends {@code message} on the source's output port (every connection of it). The message is aged
     * from its event time if it has one, else from now (its ingest time).
     */
    SendOutcome emit(T message) throws InterruptedException;

    /** Sends {@code message} on the named output port, for sources with several outputs. */
    SendOutcome emit(String outputPort, T message) throws InterruptedException;

    /**
     * The source's output port ({@code null} when it has several): for reading its live buffer
     * metrics, e.g. to tell clients how long the buffer needs to drain.
     */
    @Nullable
    OutputPort<T> outputPort();

    /** The output port named {@code name} (an {@code out_*} or {@code err_*} port), or {@code null}. */
    @Nullable
    OutputPort<?> outputPort(String name);

    /**
     * Waits {@code duration} unless the pipeline starts draining first.
     *
     * @return {@code true} if the full duration passed, {@code false} if the source should stop
     */
    boolean pause(Duration duration) throws InterruptedException;

    /**
     * The pipeline's tracer, or {@code null} when the pipeline traces nothing (docs/tracing.md). A
     * source that only {@link #emit}s never needs it: {@code emit} asks it at every entry. It is for
     * sources that start the entry themselves or carry a context from outside: an HTTP ingress
     * continuing the caller's {@code traceparent} ({@link MessageTracer#enter}, then a send with the
     * entry span's context), a Kafka or disk receiver sending a message with the context its record
     * carried (and skipping that work when this is null). Times given to it are readings of
     * {@link #ticker()}.
     */
    default @Nullable MessageTracer tracer() {
        return null;
    }

    /** The pipeline's time source: the scale of its ports' measurements and of {@link #tracer()}'s times. */
    default Ticker ticker() {
        return Ticker.system();
    }
}
