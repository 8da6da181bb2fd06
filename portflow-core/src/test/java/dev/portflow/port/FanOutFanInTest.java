package dev.portflow.port;

import static dev.portflow.port.PortTesting.assertOutputDrops;
import static dev.portflow.port.PortTesting.drain;
import static dev.portflow.port.PortTesting.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Broadcast to several connections; fair merge of several connections or ports into one receiver. */
class FanOutFanInTest {

    private static final int CAPACITY = 64;

    // ---- fan-out ----

    @Test
    void everyConnectionGetsEveryMessageWithItsOwnBuffer() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> a = new InputPort<>("in_a", Msg.class);
        InputPort<Msg> b = new InputPort<>("in_b", Msg.class);
        Connection<Msg> ca = Ports.connect(out, a, 8, OverflowPolicy.BLOCK);
        Connection<Msg> cb = Ports.connect(out, b, 4, OverflowPolicy.BLOCK);
        for (long i = 0; i < 3; i++) {
            assertThat(out.send(Msg.of(i))).isEqualTo(SendOutcome.ACCEPTED);
        }
        assertThat(Objects.requireNonNull(a.receive()).seq()).isZero();
        assertThat(ca.depth()).isEqualTo(2);
        assertThat(cb.depth()).isEqualTo(3);
        assertThat(a.metrics().queueDepth()).isEqualTo(2);
        assertThat(b.metrics().queueDepth()).isEqualTo(3);
        assertThat(a.metrics().bufferUtilization()).isEqualTo(2.0 / 8);
        assertThat(b.metrics().bufferUtilization()).isEqualTo(3.0 / 4);
        assertThat(out.metrics().queueDepth()).isEqualTo(5);
        assertThat(out.metrics().capacity()).isEqualTo(12);
        assertThat(out.metrics().messagesOut()).as("accepted by each channel").isEqualTo(6);

        assertThat(seqs(drain(a))).containsExactly(1L, 2L);
        assertThat(seqs(drain(b))).containsExactly(0L, 1L, 2L);
        assertThat(a.metrics().messagesIn()).isEqualTo(3);
        assertThat(b.metrics().messagesIn()).isEqualTo(3);
    }

    @Test
    void eachConnectionAppliesItsOwnPolicyAndTheSendReportsTheWorstOutcome() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> roomy = new InputPort<>("in_roomy", Msg.class);
        InputPort<Msg> tight = new InputPort<>("in_tight", Msg.class);
        Connection<Msg> cr = Ports.connect(out, roomy, 8, OverflowPolicy.BLOCK);
        Connection<Msg> ct = Ports.connect(out, tight, 2, OverflowPolicy.DROP_NEWEST);
        assertThat(out.send(Msg.of(0))).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.send(Msg.of(1))).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.send(Msg.of(2))).isEqualTo(SendOutcome.DROPPED);
        assertThat(cr.depth()).isEqualTo(3);
        assertThat(ct.depth()).isEqualTo(2);
        assertOutputDrops(out.metrics(), Map.of("drop_newest", 1L));
        assertThat(seqs(drain(roomy))).containsExactly(0L, 1L, 2L);
        assertThat(seqs(drain(tight))).containsExactly(0L, 1L);
    }

    @Test
    void closingAFanOutPortEndsEveryStream() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> a = new InputPort<>("in_a", Msg.class);
        InputPort<Msg> b = new InputPort<>("in_b", Msg.class);
        Ports.connect(out, a);
        Ports.connect(out, b);
        out.send(Msg.of(0));
        out.close();
        assertThat(out.send(Msg.of(1))).isEqualTo(SendOutcome.CLOSED);
        for (InputPort<Msg> in : List.of(a, b)) {
            assertThat(in.receive()).isEqualTo(Msg.of(0));
            assertThat(in.receive()).isNull();
            assertThat(in.isEndOfStream()).isTrue();
        }
    }

    // ---- fan-in ----

    /** Fills two full buffers single-threaded: with both non-empty the receiver strictly alternates. */
    @Test
    void twoOutputsIntoOneInputAlternateWhileBothHaveMessages() throws Exception {
        OutputPort<Msg> a = new OutputPort<>("out_a", Msg.class);
        OutputPort<Msg> b = new OutputPort<>("out_b", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(a, in, CAPACITY, OverflowPolicy.BLOCK);
        Ports.connect(b, in, CAPACITY, OverflowPolicy.BLOCK);
        for (long i = 0; i < CAPACITY; i++) {
            a.send(new Msg(0, i));
            b.send(new Msg(1, i));
        }
        List<Msg> received = new ArrayList<>();
        for (int i = 0; i < 2 * CAPACITY; i++) {
            received.add(in.receive());
        }
        for (int i = 1; i < received.size(); i++) {
            assertThat(received.get(i).producer())
                    .as("message %d", i)
                    .isNotEqualTo(received.get(i - 1).producer());
        }
        assertPerProducerFifo(received);
    }

    @Test
    void anEmptyUpstreamDoesNotDelayTheOther() throws Exception {
        OutputPort<Msg> a = new OutputPort<>("out_a", Msg.class);
        OutputPort<Msg> b = new OutputPort<>("out_b", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(a, in, 8, OverflowPolicy.BLOCK);
        Ports.connect(b, in, 8, OverflowPolicy.BLOCK);
        for (long i = 0; i < 5; i++) {
            b.send(new Msg(1, i));
        }
        assertThat(seqs(drain(in))).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    /** Two producer threads keep both buffers full; in the first 100 received neither side is starved. */
    @Test
    void continuouslyFullUpstreamsAreMergedFairly() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            OutputPort<Msg> a = new OutputPort<>("out_a", Msg.class);
            OutputPort<Msg> b = new OutputPort<>("out_b", Msg.class);
            InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
            Connection<Msg> ca = Ports.connect(a, in, CAPACITY, OverflowPolicy.BLOCK);
            Connection<Msg> cb = Ports.connect(b, in, CAPACITY, OverflowPolicy.BLOCK);
            int perProducer = 2_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread pa = producer(a, 0, perProducer, failure);
            Thread pb = producer(b, 1, perProducer, failure);
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.depth() == CAPACITY && cb.depth() == CAPACITY);

            List<Msg> received = new ArrayList<>();
            for (Msg m = in.receive(); m != null; m = in.receive()) {
                received.add(m);
                if (received.size() == 2 * perProducer) {
                    break;
                }
            }
            pa.join();
            pb.join();
            assertThat(failure.get()).isNull();

            List<Msg> first = received.subList(0, 100);
            long fromA = first.stream().filter(m -> m.producer() == 0).count();
            assertThat(fromA).as("from A in the first 100").isBetween(40L, 60L);
            assertThat(100 - fromA).as("from B in the first 100").isBetween(40L, 60L);
            assertThat(longestRun(first)).as("longest run from one upstream").isLessThanOrEqualTo(2);
            assertThat(received).hasSize(2 * perProducer);
            assertPerProducerFifo(received);
        });
    }

    @Test
    void anInboxOverTwoPortsAlternatesBetweenThem() throws Exception {
        OutputPort<Msg> a = new OutputPort<>("out_a", Msg.class);
        OutputPort<Msg> b = new OutputPort<>("out_b", Msg.class);
        InputPort<Msg> inA = new InputPort<>("in_a", Msg.class);
        InputPort<Msg> inB = new InputPort<>("in_b", Msg.class);
        Inbox inbox = Inbox.of(List.of(inA, inB));
        Ports.connect(a, inA, CAPACITY, OverflowPolicy.BLOCK);
        Ports.connect(b, inB, CAPACITY, OverflowPolicy.BLOCK);
        for (long i = 0; i < CAPACITY; i++) {
            a.send(new Msg(0, i));
            b.send(new Msg(1, i));
        }
        List<Msg> received = new ArrayList<>();
        InputPort<?> previousPort = null;
        for (int i = 0; i < 2 * CAPACITY; i++) {
            Msg m = (Msg) Objects.requireNonNull(inbox.receive());
            received.add(m);
            assertThat(inbox.lastPort()).isSameAs(m.producer() == 0 ? inA : inB);
            assertThat(inbox.lastPort()).isNotSameAs(previousPort);
            previousPort = inbox.lastPort();
        }
        assertPerProducerFifo(received);
        assertThat(inA.metrics().messagesIn()).isEqualTo(CAPACITY);
        assertThat(inB.metrics().messagesIn()).isEqualTo(CAPACITY);
    }

    @Test
    void anInboxOverContinuouslyFullPortsStarvesNeither() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            OutputPort<Msg> a = new OutputPort<>("out_a", Msg.class);
            OutputPort<Msg> b = new OutputPort<>("out_b", Msg.class);
            InputPort<Msg> inA = new InputPort<>("in_a", Msg.class);
            InputPort<Msg> inB = new InputPort<>("in_b", Msg.class);
            Inbox inbox = Inbox.of(List.of(inA, inB));
            Connection<Msg> ca = Ports.connect(a, inA, CAPACITY, OverflowPolicy.BLOCK);
            Connection<Msg> cb = Ports.connect(b, inB, CAPACITY, OverflowPolicy.BLOCK);
            int perProducer = 2_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread pa = producer(a, 0, perProducer, failure);
            Thread pb = producer(b, 1, perProducer, failure);
            await().atMost(Duration.ofSeconds(10)).until(() -> ca.depth() == CAPACITY && cb.depth() == CAPACITY);

            List<Msg> received = new ArrayList<>();
            for (Object m = inbox.receive(); m != null; m = inbox.receive()) {
                received.add((Msg) m);
            }
            pa.join();
            pb.join();
            assertThat(failure.get()).isNull();
            assertThat(inbox.isEndOfStream()).isTrue();

            List<Msg> first = received.subList(0, 100);
            long fromA = first.stream().filter(m -> m.producer() == 0).count();
            assertThat(fromA).isBetween(40L, 60L);
            assertThat(longestRun(first)).isLessThanOrEqualTo(2);
            assertThat(received).hasSize(2 * perProducer);
            assertPerProducerFifo(received);
        });
    }

    @Test
    void anInboxNeedsPortsThatAreNotConnectedYet() {
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(new OutputPort<>("out_msgs", Msg.class), in);
        assertThatThrownBy(() -> Inbox.of(List.of(in)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in_msgs")
                .hasMessageContaining("Inbox");
        assertThatThrownBy(() -> Inbox.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anInboxTimesOutWithoutEndOfStream() throws Exception {
        InputPort<Msg> inA = new InputPort<>("in_a", Msg.class);
        InputPort<Msg> inB = new InputPort<>("in_b", Msg.class);
        Inbox inbox = Inbox.of(List.of(inA, inB));
        OutputPort<Msg> a = new OutputPort<>("out_a", Msg.class);
        OutputPort<Msg> b = new OutputPort<>("out_b", Msg.class);
        Ports.connect(a, inA);
        Ports.connect(b, inB);
        assertThat(inbox.receive(Duration.ofMillis(50))).isNull();
        assertThat(inbox.isEndOfStream()).isFalse();
        a.close();
        assertThat(inbox.receive(Duration.ofMillis(50))).isNull();
        assertThat(inbox.isEndOfStream()).isFalse();
        b.send(Msg.of(3));
        b.close();
        assertThat(inbox.receive()).isEqualTo(Msg.of(3));
        assertThat(inbox.receive()).isNull();
        assertThat(inbox.isEndOfStream()).isTrue();
    }

    // ---- helpers ----

    private static Thread producer(OutputPort<Msg> port, int id, int count, AtomicReference<Throwable> failure) {
        return Thread.ofPlatform().daemon().name("producer-" + id).start(() -> {
            try {
                for (long i = 0; i < count; i++) {
                    SendOutcome outcome = port.send(new Msg(id, i));
                    if (outcome != SendOutcome.ACCEPTED) {
                        throw new AssertionError("send " + i + " of producer " + id + ": " + outcome);
                    }
                }
                port.close();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    private static int longestRun(List<Msg> messages) {
        int longest = 0;
        int run = 0;
        int previous = -1;
        for (Msg m : messages) {
            run = m.producer() == previous ? run + 1 : 1;
            previous = m.producer();
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static void assertPerProducerFifo(List<Msg> received) {
        long[] next = new long[2];
        for (Msg m : received) {
            assertThat(m.seq()).as("FIFO of producer %d", m.producer()).isEqualTo(next[m.producer()]);
            next[m.producer()]++;
        }
    }
}
