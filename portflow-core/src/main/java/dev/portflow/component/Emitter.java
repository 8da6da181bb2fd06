package dev.portflow.component;

import dev.portflow.port.SendOutcome;

/**
 * Sends messages on a component's output port. Messages emitted while handling an input inherit its
 * origin, so their age keeps counting from when the original event entered the pipeline.
 *
 * @param <T> the output message type
 */
@FunctionalInterface
public interface Emitter<T> {

    /**
     * Sends {@code message} to every connection of the output port.
     *
     * @return the outcome: only {@link SendOutcome#isAccepted()} means it entered the pipeline
     */
    SendOutcome emit(T message) throws InterruptedException;
}
