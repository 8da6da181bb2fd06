package dev.portflow.component;

import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
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
}
