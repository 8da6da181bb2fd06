package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Source;
import dev.portflow.metrics.DropReason;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineDefinitionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** An output port bound to a buffer outside the process applies its overflow policy around the link. */
class RemoteLinkTest {

    /** A remote buffer of {@code capacity} messages that a test drains by hand. */
    static final class FakeLink implements RemoteLink<String> {
        final List<String> held = new ArrayList<>();
        final int capacity;
        boolean closed;
        volatile @Nullable String unavailable; // what unavailableReason answers

        @Nullable
        AcknowledgedSequence pipelined; // set: a pipelined link, which the test acknowledges

        final List<Long> handOffs = new ArrayList<>(); // the numbers offers were given, in order

        FakeLink(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public synchronized Offer offer(String message, long originNanoTime, long handOff) {
            handOffs.add(handOff);
            if (closed) {
                return Offer.CLOSED;
            }
            if (held.size() >= capacity) {
                return Offer.FULL;
            }
            held.add(message);
            return Offer.ACCEPTED;
        }

        @Override
        public boolean awaitRoom(long deadlineNanoTime) throws InterruptedException {
            while (true) {
                synchronized (this) {
                    if (held.size() < capacity || closed) {
                        return true;
                    }
                }
                if (System.nanoTime() - deadlineNanoTime >= 0) {
                    return false;
                }
                Thread.sleep(1);
            }
        }

        synchronized void take(int n) {
            held.subList(0, n).clear();
        }

        @Override
        public String target() {
            return "fake:topic";
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        @Override
        public String transport() {
            return "fake";
        }

        @Override
        public synchronized long depth() {
            return held.size();
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public @Nullable String unavailableReason() {
            return unavailable;
        }

        @Override
        public @Nullable AcknowledgedSequence acknowledgements() {
            return pipelined;
        }
    }

    private static OutputPort<String> bound(FakeLink link, OverflowPolicy policy) {
        OutputPort<String> out = new OutputPort<>("out_x", String.class);
        out.attachRemote(
                link,
                ConnectionOptions.defaults()
                        .capacity(link.capacity)
                        .overflow(policy)
                        .timeout(Duration.ofMillis(50)));
        return out;
    }

    @Test
    void acceptedMessagesAreCountedAndTheRemoteDepthIsThePortsDepth() throws Exception {
        FakeLink link = new FakeLink(4);
        OutputPort<String> out = bound(link, OverflowPolicy.BLOCK);
        assertThat(out.send("a")).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.send("b")).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.measurements().messagesOut()).isEqualTo(2);
        assertThat(out.measurements().depth()).isEqualTo(2);
        assertThat(out.measurements().capacity()).isEqualTo(4);
        assertThat(out.measurements().utilization()).isEqualTo(0.5);
        assertThat(out.measurements().transport()).isEqualTo("fake");
        Connection<String> c = out.connections().getFirst();
        assertThat(c.to()).isNull();
        assertThat(c.target()).isEqualTo("fake:topic");
        assertThat(c.transport()).isEqualTo("fake");
        assertThat(c.statistics().currentBufferUsed()).isEqualTo(2);
        assertThat(c.statistics().acceptedTotal()).isEqualTo(2);
    }

    @Test
    void dropNewestRefusesWhenTheRemoteBufferIsFull() throws Exception {
        FakeLink link = new FakeLink(1);
        OutputPort<String> out = bound(link, OverflowPolicy.DROP_NEWEST);
        assertThat(out.send("a")).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.send("b")).isEqualTo(SendOutcome.DROPPED);
        assertThat(out.measurements().dropped(DropReason.DROP_NEWEST)).isEqualTo(1);
        assertThat(link.held).containsExactly("a");
    }

    @Test
    void aPortNamesTheRemoteBufferThatRefusesMessagesAndWhyWhileItDoes() {
        FakeLink link = new FakeLink(1);
        OutputPort<String> out = bound(link, OverflowPolicy.DROP_NEWEST);
        assertThat(out.refusal()).isNull();
        link.unavailable = "disk full (No space left on device)";
        assertThat(out.refusal()).isEqualTo("fake:topic refuses messages: disk full (No space left on device)");
        link.unavailable = null;
        assertThat(out.refusal()).isNull();
        assertThat(new OutputPort<>("out_y", String.class).refusal())
                .as("not connected")
                .isNull();
    }

    @Test
    void aPipelinedLinkGetsNumberedHandOffsAndASendThatHandsNothingOverLeavesNothingToWaitFor() throws Exception {
        FakeLink link = new FakeLink(1);
        link.pipelined = new AcknowledgedSequence();
        OutputPort<String> out = bound(link, OverflowPolicy.DROP_NEWEST);
        assertThat(out.send("a")).as("handed over, not waiting").isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.send("b")).isEqualTo(SendOutcome.DROPPED);
        assertThat(link.handOffs).containsExactly(0L, 1L);
        assertThat(link.pipelined.isAcknowledged(1))
                .as("the dropped send's number is settled")
                .isTrue();
        assertThat(link.pipelined.acknowledged())
                .as("a is not acknowledged yet")
                .isZero();
        link.pipelined.acknowledge(0);
        assertThat(link.pipelined.acknowledged()).isEqualTo(2);
        assertThat(new FakeLink(1).handOffs).isEmpty();
        FakeLink plain = new FakeLink(1);
        bound(plain, OverflowPolicy.DROP_NEWEST).send("c");
        assertThat(plain.handOffs).containsExactly(RemoteLink.NOT_PIPELINED);
    }

    @Test
    void sendAcknowledgedAnswersOnlyOnceTheLinkAcknowledgedTheMessage() throws Exception {
        FakeLink link = new FakeLink(4);
        AcknowledgedSequence acks = new AcknowledgedSequence();
        link.pipelined = acks;
        OutputPort<String> out = bound(link, OverflowPolicy.BLOCK);
        Thread acknowledger = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            acks.acknowledge(0);
        });
        long start = System.nanoTime();
        assertThat(out.sendAcknowledged("a", Duration.ofSeconds(10))).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(acks.isAcknowledged(0)).isTrue();
        assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(90).toNanos());
        acknowledger.join();

        // no acknowledgement in time: timed out, handed over all the same, and no drop counted
        assertThat(out.sendAcknowledged("b", Duration.ofMillis(50))).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat(link.held).containsExactly("a", "b");
        assertThat(out.measurements().dropped(DropReason.TIMEOUT)).isZero();
        assertThat(acks.isAcknowledged(1)).isFalse();
    }

    @Test
    void blockWithTimeoutGivesUpAndCountsATimeout() throws Exception {
        FakeLink link = new FakeLink(1);
        OutputPort<String> out = bound(link, OverflowPolicy.BLOCK_WITH_TIMEOUT);
        out.send("a");
        long start = System.nanoTime();
        assertThat(out.send("b")).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(out.measurements().dropped(DropReason.TIMEOUT)).isEqualTo(1);
        assertThat(out.measurements().blocked.count()).isEqualTo(1);
    }

    @Test
    void blockWaitsUntilTheRemoteBufferHasRoom() throws Exception {
        FakeLink link = new FakeLink(1);
        OutputPort<String> out = bound(link, OverflowPolicy.BLOCK);
        out.send("a");
        CompletableFuture<SendOutcome> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return out.send("b");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(blocked).isNotDone();
        link.take(1);
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(link.held).containsExactly("b");
    }

    @Test
    void failThrowsWhenFull() throws Exception {
        FakeLink link = new FakeLink(1);
        OutputPort<String> out = bound(link, OverflowPolicy.FAIL);
        out.send("a");
        assertThatThrownBy(() -> out.send("b")).isInstanceOf(PortOverflowException.class);
        assertThat(out.measurements().dropped(DropReason.FAIL)).isEqualTo(1);
    }

    @Test
    void dropOldestCannotApplyToARemoteBuffer() {
        OutputPort<String> out = new OutputPort<>("out_x", String.class);
        assertThatThrownBy(() -> out.attachRemote(
                        new FakeLink(1), ConnectionOptions.defaults().overflow(OverflowPolicy.DROP_OLDEST)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DROP_OLDEST");
    }

    @Test
    void aBoundPortCarriesThatConnectionOnly() {
        OutputPort<String> out = bound(new FakeLink(1), OverflowPolicy.BLOCK);
        InputPort<String> in = new InputPort<>("in_x", String.class);
        assertThatThrownBy(() -> Ports.connect(out, in)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingThePortClosesTheLink() throws Exception {
        FakeLink link = new FakeLink(1);
        OutputPort<String> out = bound(link, OverflowPolicy.BLOCK);
        out.close();
        assertThat(link.closed).isTrue();
        assertThat(out.send("a")).isEqualTo(SendOutcome.CLOSED);
    }

    @Test
    void pipelinesConnectPortsToRemoteBuffersAndTagTheirMeters() {
        FakeLink link = new FakeLink(8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Source<String> source = context -> context.emit("x");
        Pipeline pipeline = Pipeline.builder("p")
                .meterRegistry(registry)
                .source("gen", String.class, source)
                .connect("gen.out_x", link, ConnectionOptions.defaults().capacity(8))
                .build();
        assertThat(pipeline.connections()).hasSize(1);
        assertThat(pipeline.connections().getFirst().target()).isEqualTo("fake:topic");
        assertThat(registry.get("portflow.port.queue.depth")
                        .tag("port", "out_x")
                        .tag("transport", "fake")
                        .gauge())
                .isNotNull();
    }

    @Test
    void anInputPortBoundToARemoteBufferReportsItsDepth() {
        FakeLink backlog = new FakeLink(100);
        backlog.held.addAll(List.of("1", "2", "3"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Pipeline pipeline = Pipeline.builder("p")
                .meterRegistry(registry)
                .source("feed", String.class, context -> {})
                .sink("store", String.class, s -> {})
                .connect("feed.out_x", "store.in_x")
                .bindRemote("store.in_x", backlog)
                .build();
        InputPort<?> in = pipeline.inputPort("store", "in_x");
        assertThat(in.measurements().depth()).isEqualTo(3);
        assertThat(in.measurements().capacity()).isEqualTo(100);
        assertThat(pipeline.connections().getFirst().depth()).isEqualTo(3);
        assertThat(registry.get("portflow.port.queue.depth")
                        .tag("port", "in_x")
                        .tag("transport", "fake")
                        .gauge()
                        .value())
                .isEqualTo(3.0);
    }

    @Test
    void aTransportCanStartTheQueueWaitBeforeTheMessageEntersTheBuffer() throws Exception {
        OutputPort<String> out = new OutputPort<>("out_x", String.class);
        InputPort<String> in = new InputPort<>("in_x", String.class);
        Ports.connect(out, in);
        long now = System.nanoTime();
        long producedAt = now - TimeUnit.MILLISECONDS.toNanos(80);
        out.send("x", OutputPort.NO_ORIGIN, producedAt);
        in.receive();
        assertThat(in.measurements().queueWait.maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
        out.send("y");
        in.receive();
        assertThat(in.measurements().queueWait.count()).isEqualTo(2);
    }

    @Test
    void aDrainCountsOnlyInProcessLeftoversOfAPortBoundToARemoteBuffer() {
        FakeLink backlog = new FakeLink(100);
        backlog.held.addAll(List.of("1", "2", "3"));
        Pipeline pipeline = Pipeline.builder("p")
                .source("feed", String.class, context -> context.emit("x"))
                .sink("store", String.class, s -> {})
                .connect("feed.out_x", "store.in_x")
                .bindRemote("store.in_x", backlog)
                .build();
        pipeline.start();
        var report = pipeline.drain(Duration.ofSeconds(10));
        assertThat(report.completed()).isTrue();
        assertThat(report.leftovers()).containsEntry("store.in_x", 0);
        assertThat(pipeline.inputPort("store", "in_x").measurements().depth()).isEqualTo(3); // still waiting remotely
    }

    @Test
    void definitionProblemsWithRemoteBuffersAreReported() {
        assertThatThrownBy(() -> Pipeline.builder("p")
                        .source("gen", String.class, context -> {})
                        .sink("store", String.class, s -> {})
                        .connect("gen.out_x", "store.in_x")
                        .connect("gen.out_x", new FakeLink(1), null)
                        .bindRemote("store.in_nope", new FakeLink(1))
                        .build())
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("carries that connection only")
                .hasMessageContaining("store.in_nope, which is not a connected input port");
    }
}
