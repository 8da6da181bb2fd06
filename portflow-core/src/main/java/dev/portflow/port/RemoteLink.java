package dev.portflow.port;

import dev.portflow.metrics.RemoteBuffer;
import dev.portflow.trace.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * The sending end of a connection whose buffer lives outside this process (see
 * {@link RemoteBuffer}), bound to an output port with {@link OutputPort#attachRemote}. The port
 * applies the connection's overflow policy around it exactly as around an in-process buffer:
 * {@link #offer} says whether there was room, {@link #awaitRoom} waits for some.
 *
 * <p>{@link Offer#ACCEPTED} must mean the remote buffer holds the message (e.g. the broker
 * acknowledged it), because an HTTP ingress answers 202 on it. A failure to reach the remote
 * buffer is thrown, never reported as accepted.
 *
 * @param <T> the message type
 */
public interface RemoteLink<T> extends RemoteBuffer {

    /** What an offer did. */
    enum Offer {
        /** The remote buffer holds the message. */
        ACCEPTED,
        /** The remote buffer is at capacity; nothing was sent. */
        FULL,
        /** The link is closed; nothing was sent. */
        CLOSED
    }

    /**
     * Sends {@code message} if the remote buffer has room: waiting for its acknowledgement, or, for
     * a pipelined link ({@link #acknowledgements()} not null), handing it over and reporting
     * {@code acknowledge(handOff)} to its {@link AcknowledgedSequence} once the remote buffer holds
     * it (a link that cannot write it keeps trying: the prefix waits). The sending port numbers the
     * hand-off before the offer and settles the number itself when the offer does not hand the
     * message over ({@link Offer#FULL}, {@link Offer#CLOSED}, an exception).
     *
     * @param originNanoTime when the message's age starts, on the sending port's ticker scale ({@code System.nanoTime()} by default)
     * @param handOff        this hand-off's number in {@link #acknowledgements()}; {@link #NOT_PIPELINED} for a link without
     * @throws RuntimeException     if the remote buffer cannot be reached or refuses the message
     * @throws InterruptedException if interrupted while waiting for the acknowledgement
     */
    Offer offer(T message, long originNanoTime, long handOff) throws InterruptedException;

    /**
     * As {@link #offer(Object, long, long)}, for a message that may be traced: {@code context} is the
     * span the message's next spans hang from, or {@code null} for an untraced message (always null
     * in a pipeline that traces nothing). A link that can carry it to the receiving end overrides
     * this (a Kafka link puts its {@link TraceContext#traceparent() traceparent} in a record header,
     * a disk link in the record); the default drops it, so the trace stops at this link. The sending
     * port calls this one; a traced message was timed exactly, so {@code originNanoTime} is an exact
     * reading.
     */
    default Offer offer(T message, long originNanoTime, long handOff, @Nullable TraceContext context)
            throws InterruptedException {
        return offer(message, originNanoTime, handOff);
    }

    /** The {@code handOff} passed to a link that is not pipelined. */
    long NOT_PIPELINED = -1;

    /**
     * Waits until the remote buffer may have room or {@code deadlineNanoTime} passes.
     *
     * @return {@code false} if the deadline passed first
     */
    boolean awaitRoom(long deadlineNanoTime) throws InterruptedException;

    /**
     * The acknowledgements of a pipelined link, or {@code null} (the default) when {@link #offer}
     * returns {@link Offer#ACCEPTED} only once the remote buffer has acknowledged the message. A
     * pipelined link numbers each hand-off and reports its acknowledgement there; the completion
     * watermark then counts a sending component's message as done only once the prefix of
     * acknowledged hand-offs passes what the message led to.
     */
    default @Nullable AcknowledgedSequence acknowledgements() {
        return null;
    }

    /** Where messages go, for people, e.g. {@code kafka:orders}. */
    String target();

    /** Flushes and releases the link; later offers return {@link Offer#CLOSED}. Idempotent. */
    void close();
}
