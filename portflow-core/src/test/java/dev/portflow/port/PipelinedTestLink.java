package dev.portflow.port;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A remote buffer for tests that takes every message and acknowledges one only when the test says so
 * ({@code acks.acknowledge(handOff)}); it keeps the hand-off numbers it was given, in order.
 *
 * @param <T> the messages' type
 */
public final class PipelinedTestLink<T> implements RemoteLink<T> {

    /** The link's acknowledgements: the test acknowledges hand-offs here. */
    public final AcknowledgedSequence acks = new AcknowledgedSequence();

    /** The hand-off numbers of the messages offered, in order. */
    public final List<Long> handedOver = new CopyOnWriteArrayList<>();

    @Override
    public Offer offer(T message, long originNanoTime, long handOff) {
        handedOver.add(handOff);
        return Offer.ACCEPTED; // handed over; the test acknowledges it later
    }

    @Override
    public boolean awaitRoom(long deadlineNanoTime) {
        return true;
    }

    @Override
    public AcknowledgedSequence acknowledgements() {
        return acks;
    }

    @Override
    public String target() {
        return "fake:pipelined";
    }

    @Override
    public void close() {}

    @Override
    public String transport() {
        return "fake";
    }

    @Override
    public long depth() {
        return 0;
    }

    @Override
    public long capacity() {
        return 1_000;
    }
}
