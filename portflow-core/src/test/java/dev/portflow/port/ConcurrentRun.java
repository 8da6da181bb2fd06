package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.metrics.PortMetrics;
import java.time.Duration;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Two producer threads sending through one shared output port, one consumer thread receiving until
 * end of stream, and optionally a monitor thread sampling the depth. Afterwards {@link #verify()}
 * checks that every message is accounted for exactly once and that the counters agree with what
 * the producers were told.
 */
final class ConcurrentRun {

    static final int PRODUCERS = 2;

    final OverflowPolicy policy;
    final int capacity;
    final int perProducer;
    final OutputPort<Msg> out = new OutputPort<>("out_stress", Msg.class);
    final InputPort<Msg> in = new InputPort<>("in_stress", Msg.class);
    final Connection<Msg> connection;

    private final long seed;
    private final boolean jitter;
    private final EnumMap<SendOutcome, LongAdder> outcomes = new EnumMap<>(SendOutcome.class);
    private final LongAdder failures = new LongAdder();
    private final BitSet[] accepted = new BitSet[PRODUCERS];
    private final BitSet[] received = new BitSet[PRODUCERS];
    private final AtomicReference<Throwable> problem = new AtomicReference<>();
    private final AtomicInteger maxDepthSeen = new AtomicInteger();
    private long receivedCount;
    private volatile boolean monitoring;

    /**
     * @param jitter whether producers and consumer pause at random moments (derived from {@code seed}),
     *               to shake out different interleavings in small runs
     */
    ConcurrentRun(OverflowPolicy policy, int capacity, int perProducer, Duration timeout, long seed, boolean jitter) {
        this.policy = policy;
        this.capacity = capacity;
        this.perProducer = perProducer;
        this.seed = seed;
        this.jitter = jitter;
        this.connection = Ports.connect(
                out,
                in,
                ConnectionOptions.defaults().capacity(capacity).overflow(policy).timeout(timeout));
        for (SendOutcome o : SendOutcome.values()) {
            outcomes.put(o, new LongAdder());
        }
        for (int p = 0; p < PRODUCERS; p++) {
            accepted[p] = new BitSet(perProducer);
            received[p] = new BitSet(perProducer);
        }
    }

    /** Runs to completion: producers send everything, the port is closed, the consumer drains to end of stream. */
    void run() throws InterruptedException {
        Thread consumer = Thread.ofPlatform().daemon().name("consumer").start(this::consume);
        monitoring = true;
        Thread monitor = Thread.ofPlatform().daemon().name("monitor").start(this::monitor);
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            int id = p;
            producers[p] = Thread.ofPlatform().daemon().name("producer-" + p).start(() -> produce(id));
        }
        for (Thread t : producers) {
            t.join();
        }
        out.close();
        consumer.join();
        monitoring = false;
        monitor.join();
    }

    private void produce(int id) {
        SplittableRandom random = new SplittableRandom(seed * 31 + id);
        try {
            BitSet mine = accepted[id];
            for (int i = 0; i < perProducer; i++) {
                if (jitter && random.nextInt(64) == 0) {
                    pause(random);
                }
                try {
                    SendOutcome outcome = out.send(new Msg(id, i));
                    // every outcome is put in the constructor
                    Objects.requireNonNull(outcomes.get(outcome)).increment();
                    if (outcome.isAccepted()) {
                        mine.set(i);
                    }
                } catch (PortOverflowException e) {
                    failures.increment();
                }
            }
        } catch (Throwable t) {
            problem.compareAndSet(null, t);
        }
    }

    private void consume() {
        SplittableRandom random = new SplittableRandom(seed * 17 + 5);
        long[] last = new long[PRODUCERS];
        java.util.Arrays.fill(last, -1);
        try {
            for (Msg m = in.receive(); m != null; m = in.receive()) {
                int p = m.producer();
                int seq = (int) m.seq();
                if (received[p].get(seq)) {
                    throw new AssertionError("received twice: " + m);
                }
                if (seq <= last[p]) {
                    throw new AssertionError("order of producer " + p + " broken: " + seq + " after " + last[p]);
                }
                if (policy == OverflowPolicy.BLOCK && seq != last[p] + 1) {
                    throw new AssertionError("BLOCK lost messages of producer " + p + ": " + seq + " after " + last[p]);
                }
                last[p] = seq;
                received[p].set(seq);
                receivedCount++;
                if (jitter && random.nextInt(32) == 0) {
                    pause(random);
                }
            }
            if (!in.isEndOfStream()) {
                throw new AssertionError("receive returned null before end of stream");
            }
        } catch (Throwable t) {
            problem.compareAndSet(null, t);
        }
    }

    private void monitor() {
        while (monitoring) {
            int depth = connection.depth();
            int outDepth = out.measurements().depth();
            int inDepth = in.measurements().depth();
            double utilization = in.measurements().utilization();
            if (depth < 0
                    || depth > capacity
                    || outDepth < 0
                    || outDepth > capacity
                    || inDepth < 0
                    || inDepth > capacity
                    || utilization < 0
                    || utilization > 1) {
                problem.compareAndSet(
                        null,
                        new AssertionError("depth out of range: " + depth + "/" + outDepth + "/" + inDepth
                                + " utilization " + utilization + " capacity " + capacity));
            }
            maxDepthSeen.accumulateAndGet(depth, Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pause(SplittableRandom random) {
        if (random.nextBoolean()) {
            Thread.yield();
        } else {
            java.util.concurrent.locks.LockSupport.parkNanos(random.nextLong(1_000, 200_000));
        }
    }

    long outcome(SendOutcome o) {
        return Objects.requireNonNull(outcomes.get(o)).sum();
    }

    long failures() {
        return failures.sum();
    }

    /** Conservation and agreement of every counter with what producers and consumer observed. */
    void verify() {
        assertThat(problem.get()).as("failure in a worker thread").isNull();
        PortMetrics o = out.metrics();
        PortMetrics i = in.metrics();
        ChannelStatistics s = connection.statistics();

        long acceptedOutcomes = outcome(SendOutcome.ACCEPTED) + outcome(SendOutcome.ACCEPTED_AFTER_EVICTING);
        long sends = acceptedOutcomes
                + outcome(SendOutcome.DROPPED)
                + outcome(SendOutcome.TIMED_OUT)
                + outcome(SendOutcome.CLOSED)
                + failures();
        assertThat(sends).as("every send has one outcome").isEqualTo((long) PRODUCERS * perProducer);
        long acceptedBits = (long) accepted[0].cardinality() + accepted[1].cardinality();
        assertThat(acceptedBits).isEqualTo(acceptedOutcomes);

        // Conservation: accepted == received + evicted + leftover (leftover is 0 after end of stream).
        assertThat(o.messagesOut()).as("messages_out_total").isEqualTo(acceptedOutcomes);
        assertThat(i.messagesIn()).as("messages_in_total").isEqualTo(receivedCount);
        assertThat(s.currentBufferUsed()).isZero();
        assertThat(o.queueDepth()).isZero();
        assertThat(i.queueDepth()).isZero();
        long evicted = Objects.requireNonNull(o.droppedByReason().get("drop_oldest"));
        assertThat(s.evictedTotal()).isEqualTo(evicted);
        assertThat(o.messagesOut()).isEqualTo(receivedCount + evicted + s.currentBufferUsed());

        // Received messages are exactly the accepted ones, less the evicted ones.
        for (int p = 0; p < PRODUCERS; p++) {
            BitSet notAccepted = (BitSet) received[p].clone();
            notAccepted.andNot(accepted[p]);
            assertThat(notAccepted.isEmpty())
                    .as("producer %d: received but not accepted: %s", p, notAccepted)
                    .isTrue();
        }
        long lost = acceptedBits - (received[0].cardinality() + received[1].cardinality());
        assertThat(lost).as("accepted but not received").isEqualTo(evicted);

        // Drops per reason match what the producers were told.
        Map<String, Long> expected = Map.of(
                "drop_newest", outcome(SendOutcome.DROPPED),
                "timeout", outcome(SendOutcome.TIMED_OUT),
                "fail", failures(),
                "closed", outcome(SendOutcome.CLOSED),
                "drop_oldest", evicted);
        assertThat(o.droppedByReason()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(i.messagesDropped()).isZero();
        assertThat(outcome(SendOutcome.ACCEPTED_AFTER_EVICTING))
                .as("every evicting send evicted at least one")
                .isLessThanOrEqualTo(evicted);

        switch (policy) {
            case BLOCK -> {
                assertThat(acceptedOutcomes).isEqualTo((long) PRODUCERS * perProducer);
                assertThat(receivedCount).isEqualTo((long) PRODUCERS * perProducer);
                assertThat(o.messagesDropped()).isZero();
            }
            case DROP_OLDEST -> assertThat(o.messagesDropped()).isEqualTo(evicted);
            case DROP_NEWEST, FAIL, BLOCK_WITH_TIMEOUT -> assertThat(evicted).isZero();
        }
        assertThat(maxDepthSeen.get()).isBetween(0, capacity);
        assertThat(in.isEndOfStream()).isTrue();
    }
}
