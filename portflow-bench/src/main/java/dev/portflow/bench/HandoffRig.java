package dev.portflow.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A channel under test with its dedicated consumer thread, started once per JMH trial.
 *
 * <p>The consumer is a platform thread outside JMH's control, so it keeps draining while JMH
 * ramps its producer threads up and down around each measured iteration: a producer blocked on a
 * full buffer when an iteration ends is always released, and JMH never hangs. At the end of the
 * trial (all producers stopped) the rig signals end of stream, joins the consumer, and checks
 * that every produced message was consumed exactly once.
 */
final class HandoffRig {

    /** How long the trial's end waits for the consumer to drain before it calls it a hang. */
    private static final long JOIN_TIMEOUT_MILLIS = 30_000;

    private final HandoffChannel channel;
    private final Thread consumer;
    private final List<Producer> producers = new CopyOnWriteArrayList<>();
    private volatile long consumed = -1;
    private volatile @Nullable Throwable consumerFailure;

    private HandoffRig(String kind, HandoffChannel.ConsumerMode mode) {
        this.channel = HandoffChannel.create(kind, mode);
        this.consumer = new Thread(this::runConsumer, "bench-consumer-" + kind);
        this.consumer.setDaemon(true);
    }

    static HandoffRig start(String kind, HandoffChannel.ConsumerMode mode) {
        HandoffRig rig = new HandoffRig(kind, mode);
        rig.consumer.start();
        return rig;
    }

    private void runConsumer() {
        try {
            consumed = channel.consume();
        } catch (Throwable t) {
            consumerFailure = t;
        }
    }

    /** A new producer cursor for one producer thread. */
    Producer newProducer() {
        Producer p = new Producer(channel, producers.size());
        producers.add(p);
        return p;
    }

    /** Ends the stream, waits for the consumer and verifies the counts; prints a one-line summary. */
    void stop() throws InterruptedException {
        channel.endOfStream();
        consumer.join(JOIN_TIMEOUT_MILLIS);
        if (consumer.isAlive()) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : consumer.getStackTrace()) {
                stack.append("\n\tat ").append(e);
            }
            throw new IllegalStateException("consumer did not reach end of stream within "
                    + TimeUnit.MILLISECONDS.toSeconds(JOIN_TIMEOUT_MILLIS) + " s (suspected hang)" + stack);
        }
        Throwable failure = consumerFailure;
        if (failure != null) {
            throw new IllegalStateException("consumer failed", failure);
        }
        long produced = 0;
        for (Producer p : producers) {
            produced += p.sent;
        }
        System.out.println(System.lineSeparator() + "[verify] " + channel.verify(produced, consumed));
    }

    /** Per-producer-thread state: its position in the message pool and its count of sent messages. */
    static final class Producer {
        private final HandoffChannel channel;
        private final Integer[] pool = Messages.pool();
        private int next;
        long sent;

        private Producer(HandoffChannel channel, int index) {
            this.channel = channel;
            this.next = index * 997;
        }

        /** Sends the next pooled message; returns once the channel accepted it. */
        void sendNext() throws InterruptedException {
            channel.send(pool[next++ & Messages.MASK]);
            sent++;
        }
    }
}
