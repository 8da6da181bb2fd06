package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Random interleavings of sends from two producers, receives and a close, checked step by step against
 * a model of the buffers. Single-threaded, so the model is exact: every outcome, every received
 * message, every depth and every counter must match it.
 *
 * <p>Two wirings: both producers share one output port and connection ({@code fanIn = false}), or
 * each has its own output port and connection into the same input port ({@code fanIn = true}).
 * {@code BLOCK} sends are only made when they would not wait; {@code BLOCK_WITH_TIMEOUT} uses a 1 ms
 * timeout, so with no receiver running a send to a full buffer must time out.
 */
class ChannelInterleavingPropertyTest {

    enum Action { SEND_A, SEND_B, RECEIVE, CLOSE }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Arbitraries.frequencyOf(
                        Tuple.of(10, Arbitraries.just(Action.SEND_A)),
                        Tuple.of(10, Arbitraries.just(Action.SEND_B)),
                        Tuple.of(9, Arbitraries.just(Action.RECEIVE)),
                        Tuple.of(1, Arbitraries.just(Action.CLOSE)))
                .list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<OverflowPolicy> policies() {
        // BLOCK_WITH_TIMEOUT costs a real (1 ms) wait per refused send: test it less often.
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(OverflowPolicy.BLOCK)),
                Tuple.of(1, Arbitraries.just(OverflowPolicy.BLOCK_WITH_TIMEOUT)),
                Tuple.of(3, Arbitraries.just(OverflowPolicy.DROP_OLDEST)),
                Tuple.of(3, Arbitraries.just(OverflowPolicy.DROP_NEWEST)),
                Tuple.of(3, Arbitraries.just(OverflowPolicy.FAIL)));
    }

    /** The model of one connection: its buffered messages and what it counted. */
    private static final class ModelEdge {
        final Connection<Msg> connection;
        final ArrayDeque<Msg> buffer = new ArrayDeque<>();
        long received;
        long evicted;

        ModelEdge(Connection<Msg> connection) {
            this.connection = connection;
        }
    }

    @Property(tries = 1000)
    void everyStepMatchesTheModel(@ForAll("policies") OverflowPolicy policy,
            @ForAll @IntRange(min = 1, max = 4) int capacity,
            @ForAll boolean fanIn,
            @ForAll("actions") List<Action> actions) throws Exception {
        ConnectionOptions options = ConnectionOptions.defaults().capacity(capacity).overflow(policy)
                .timeout(Duration.ofMillis(1));
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        List<OutputPort<Msg>> outs = new ArrayList<>();
        List<ModelEdge> edges = new ArrayList<>();
        outs.add(new OutputPort<>("out_a", Msg.class));
        edges.add(new ModelEdge(Ports.connect(outs.get(0), in, options)));
        if (fanIn) {
            outs.add(new OutputPort<>("out_b", Msg.class));
            edges.add(new ModelEdge(Ports.connect(outs.get(1), in, options)));
        }
        List<Map<String, Long>> expectedDrops = new ArrayList<>();
        List<Long> acceptedByPort = new ArrayList<>();
        for (int k = 0; k < outs.size(); k++) {
            Map<String, Long> drops = new LinkedHashMap<>();
            PortTesting.OUTPUT_REASONS.forEach(r -> drops.put(r, 0L));
            expectedDrops.add(drops);
            acceptedByPort.add(0L);
        }
        long[] nextSeq = new long[2];
        boolean closed = false;
        int lastEdgeReceived = -1;
        long receivedTotal = 0;
        EnumMap<SendOutcome, Integer> seen = new EnumMap<>(SendOutcome.class);

        for (Action action : actions) {
            switch (action) {
                case SEND_A, SEND_B -> {
                    int producer = action == Action.SEND_A ? 0 : 1;
                    int k = fanIn ? producer : 0;
                    ModelEdge edge = edges.get(k);
                    OutputPort<Msg> out = outs.get(k);
                    Map<String, Long> drops = expectedDrops.get(k);
                    boolean full = edge.buffer.size() == capacity;
                    if (policy == OverflowPolicy.BLOCK && full && !closed) {
                        break; // would wait for a receiver that never comes in this single-threaded run
                    }
                    Msg m = new Msg(producer, nextSeq[producer]++);
                    SendOutcome expected;
                    if (closed) {
                        expected = SendOutcome.CLOSED;
                        drops.merge("closed", 1L, Long::sum);
                    } else if (!full) {
                        expected = SendOutcome.ACCEPTED;
                        edge.buffer.addLast(m);
                    } else {
                        expected = switch (policy) {
                            case DROP_OLDEST -> {
                                edge.buffer.removeFirst();
                                edge.evicted++;
                                edge.buffer.addLast(m);
                                drops.merge("drop_oldest", 1L, Long::sum);
                                yield SendOutcome.ACCEPTED_AFTER_EVICTING;
                            }
                            case DROP_NEWEST -> {
                                drops.merge("drop_newest", 1L, Long::sum);
                                yield SendOutcome.DROPPED;
                            }
                            case BLOCK_WITH_TIMEOUT -> {
                                drops.merge("timeout", 1L, Long::sum);
                                yield SendOutcome.TIMED_OUT;
                            }
                            case FAIL -> {
                                drops.merge("fail", 1L, Long::sum);
                                yield null;
                            }
                            case BLOCK -> throw new AssertionError("unreachable");
                        };
                    }
                    if (expected == null) {
                        assertThatThrownBy(() -> out.send(m)).isInstanceOf(PortOverflowException.class);
                    } else {
                        assertThat(out.send(m)).as("send of %s", m).isEqualTo(expected);
                        seen.merge(expected, 1, Integer::sum);
                        if (expected.isAccepted()) {
                            acceptedByPort.set(k, acceptedByPort.get(k) + 1);
                        }
                    }
                }
                case RECEIVE -> {
                    Msg got = in.poll();
                    int nonEmpty = (int) edges.stream().filter(e -> !e.buffer.isEmpty()).count();
                    if (nonEmpty == 0) {
                        assertThat(got).isNull();
                        assertThat(in.isEndOfStream()).isEqualTo(closed);
                        break;
                    }
                    assertThat(got).isNotNull();
                    int k = fanIn ? got.producer() : 0;
                    ModelEdge edge = edges.get(k);
                    assertThat(got).as("FIFO per connection").isEqualTo(edge.buffer.peekFirst());
                    if (nonEmpty == 2) {
                        assertThat(k).as("fair: with both upstreams non-empty, alternate").isNotEqualTo(lastEdgeReceived);
                    }
                    edge.buffer.removeFirst();
                    edge.received++;
                    receivedTotal++;
                    lastEdgeReceived = k;
                }
                case CLOSE -> {
                    outs.forEach(OutputPort::close);
                    closed = true;
                }
            }
            observe(edges, outs, in, capacity);
        }

        // Conservation at the end, per connection and per port.
        long inTotal = 0;
        for (int k = 0; k < edges.size(); k++) {
            ModelEdge edge = edges.get(k);
            ChannelStatistics s = edge.connection.statistics();
            long accepted = acceptedByPort.get(k);
            assertThat(outs.get(k).metrics().messagesOut()).as("messages_out_total").isEqualTo(accepted);
            assertThat(accepted).isEqualTo(edge.received + edge.buffer.size() + edge.evicted);
            assertThat(s.acceptedTotal()).isEqualTo(accepted);
            assertThat(s.receivedTotal()).isEqualTo(edge.received);
            assertThat(s.evictedTotal()).isEqualTo(edge.evicted);
            assertThat(outs.get(k).metrics().droppedByReason()).as("drops of %s", outs.get(k).name())
                    .containsExactlyInAnyOrderEntriesOf(expectedDrops.get(k));
            inTotal += edge.received;
        }
        assertThat(in.metrics().messagesIn()).isEqualTo(receivedTotal).isEqualTo(inTotal);
        assertThat(in.metrics().messagesDropped()).isZero();

        // Drain: exactly the model's leftovers come out, then end of stream iff closed.
        List<Msg> leftovers = PortTesting.drain(in);
        assertThat(leftovers).hasSize(edges.stream().mapToInt(e -> e.buffer.size()).sum());
        for (ModelEdge e : edges) {
            assertThat(leftovers).containsAll(e.buffer);
        }
        assertThat(in.isEndOfStream()).isEqualTo(closed);
        assertThat(in.metrics().queueDepth()).isZero();
        assertThat(in.metrics().bufferUtilization()).isZero();
    }

    /** At every step: exact depth, equal from every end, within [0, capacity]. */
    private static void observe(List<ModelEdge> edges, List<OutputPort<Msg>> outs, InputPort<Msg> in, int capacity) {
        int total = 0;
        for (int k = 0; k < edges.size(); k++) {
            ModelEdge edge = edges.get(k);
            int depth = edge.connection.depth();
            assertThat(depth).isBetween(0, capacity).isEqualTo(edge.buffer.size());
            assertThat(outs.get(k).metrics().queueDepth()).isEqualTo(depth);
            assertThat(outs.get(k).metrics().bufferUtilization()).isEqualTo((double) depth / capacity);
            total += depth;
        }
        assertThat(in.metrics().queueDepth()).isEqualTo(total);
        assertThat(in.metrics().bufferUtilization()).isEqualTo((double) total / (capacity * edges.size()));
    }

    /**
     * Real threads: two producers on one output port, one consumer, random sizes and pauses. Every
     * accepted message is received exactly once (or evicted, for DROP_OLDEST), per-producer order
     * holds, and the counters agree with the outcomes the producers saw.
     */
    @Property(tries = 100)
    void concurrentProducersAndConsumerConserveMessages(@ForAll("policies") OverflowPolicy policy,
            @ForAll @IntRange(min = 1, max = 8) int capacity,
            @ForAll @IntRange(min = 0, max = 3_000) int perProducer,
            @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ConcurrentRun run = new ConcurrentRun(policy, capacity, perProducer, Duration.ofMillis(2), seed, true);
            run.run();
            run.verify();
        });
    }
}
