package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.internal.PortMeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Depth, capacity and utilization: exact, equal from both ends, live when the buffer drains silently. */
class BufferGaugesTest {

    private final OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
    private final InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name, String port) {
        return registry.get(name).tag("port", port).gauge().value();
    }

    private void assertDepthEverywhere(Connection<Msg> c, int depth, double utilization) {
        assertThat(c.depth()).isEqualTo(depth);
        assertThat(out.metrics().queueDepth()).isEqualTo(depth);
        assertThat(in.metrics().queueDepth()).isEqualTo(depth);
        assertThat(c.statistics().currentBufferUsed()).isEqualTo(depth);
        assertThat(out.metrics().bufferUtilization()).isEqualTo(utilization);
        assertThat(in.metrics().bufferUtilization()).isEqualTo(utilization);
        assertThat(c.statistics().utilization()).isEqualTo(utilization);
        assertThat(out.metrics().toMap())
                .containsEntry("queue_depth", depth)
                .containsEntry("buffer_utilization", utilization);
        assertThat(in.metrics().toMap())
                .containsEntry("queue_depth", depth)
                .containsEntry("buffer_utilization", utilization);
        for (String port : new String[] {"out_msgs", "in_msgs"}) {
            assertThat(gauge("portflow.port.queue.depth", port))
                    .as("depth gauge of %s", port)
                    .isEqualTo(depth);
            assertThat(gauge("portflow.port.buffer.utilization", port))
                    .as("utilization gauge of %s", port)
                    .isEqualTo(utilization);
            assertThat(gauge("portflow.port.buffer.capacity", port)).isEqualTo(10.0);
        }
    }

    @Test
    void halfFullIsHalfAndDrainedIsZeroWithoutFurtherSends() throws Exception {
        Connection<Msg> c = Ports.connect(out, in, 10, OverflowPolicy.BLOCK);
        PortMeterBinder.bind(registry, "p", out.measurements());
        PortMeterBinder.bind(registry, "p", in.measurements());
        assertDepthEverywhere(c, 0, 0.0);

        for (long i = 0; i < 5; i++) {
            out.send(Msg.of(i));
        }
        assertDepthEverywhere(c, 5, 0.5);
        assertThat(out.metrics().capacity()).isEqualTo(10);
        assertThat(in.metrics().capacity()).isEqualTo(10);
        assertThat(c.statistics().maxBufferSize()).isEqualTo(10);

        for (int i = 0; i < 3; i++) {
            in.receive();
        }
        assertDepthEverywhere(c, 2, 0.2);
        in.receive();
        in.receive();
        // No send after the drain: the gauges read the live buffer, not the last event.
        assertDepthEverywhere(c, 0, 0.0);
    }

    @Test
    void fullBufferIsUtilizationOne() throws Exception {
        Connection<Msg> c = Ports.connect(out, in, 10, OverflowPolicy.DROP_NEWEST);
        PortMeterBinder.bind(registry, "p", out.measurements());
        PortMeterBinder.bind(registry, "p", in.measurements());
        for (long i = 0; i < 25; i++) {
            out.send(Msg.of(i));
        }
        assertDepthEverywhere(c, 10, 1.0);
    }

    @Test
    void oldestMessageAgeFollowsTheHeadAndIsZeroWhenEmpty() throws Exception {
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        out.ticker(ticker);
        in.ticker(ticker);
        Ports.connect(out, in, 10, OverflowPolicy.BLOCK);
        PortMeterBinder.bind(registry, "p", in.measurements());
        out.send(Msg.of(0));
        ticker.advance(java.time.Duration.ofMillis(200));
        out.send(Msg.of(1));
        ticker.advance(java.time.Duration.ofMillis(30));
        assertThat(in.metrics().oldestMessageAgeMs()).isEqualTo(230.0);
        assertThat(gauge("portflow.port.oldest.message.age", "in_msgs")).isEqualTo(0.230);
        in.receive(); // the head is now the younger message
        assertThat(in.metrics().oldestMessageAgeMs()).isEqualTo(30.0);
        in.receive();
        assertThat(in.metrics().oldestMessageAgeMs()).isZero();
        assertThat(gauge("portflow.port.oldest.message.age", "in_msgs")).isZero();
    }

    @Test
    void unconnectedPortsReadZeroNotNaN() {
        OutputPort<Msg> lonely = new OutputPort<>("out_lonely", Msg.class);
        assertThat(lonely.metrics().bufferUtilization()).isZero();
        assertThat(lonely.metrics().queueDepth()).isZero();
        assertThat(lonely.metrics().capacity()).isZero();
    }
}
