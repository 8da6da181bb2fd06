package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.EventTimed;
import dev.portflow.FakeTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code InputPort.drain}: batched receive with one clock read, nothing lost. */
class DrainBatchTest {

    record Timed(int n, Instant eventTime) implements EventTimed {}

    @Test
    void takesWhatIsBufferedInOrderAndUpToTheLimit() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Connection<Msg> c = Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        for (int i = 0; i < 10; i++) {
            out.send(Msg.of(i));
        }
        List<Long> got = new ArrayList<>();

        assertThat(in.drain(m -> got.add(m.seq()), 4)).isEqualTo(4);
        assertThat(got).containsExactly(0L, 1L, 2L, 3L);
        assertThat(c.depth()).isEqualTo(6);

        assertThat(in.drain(m -> got.add(m.seq()), 100)).isEqualTo(6);
        assertThat(got).hasSize(10).endsWith(9L);
        assertThat(in.drain(m -> got.add(m.seq()), 100)).isZero();
        assertThat(in.metrics().messagesIn()).isEqualTo(10);
        assertThat(in.measurements().queueWait.count()).isEqualTo(10);
    }

    @Test
    void ageIsMeasuredForEveryMessageOfTheBatch() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutputPort<Timed> out = new OutputPort<>("out_t", Timed.class);
        InputPort<Timed> in = new InputPort<>("in_t", Timed.class);
        out.ticker(ticker);
        in.ticker(ticker);
        Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        Instant now = ticker.instantAt(ticker.now());
        out.send(new Timed(1, now.minusMillis(200)));
        out.send(new Timed(2, now.minusMillis(100)));
        ticker.advance(Duration.ofMillis(5));

        assertThat(in.drain(t -> {}, 16)).isEqualTo(2);

        assertThat(in.metrics().maxMessageAgeMs()).isEqualTo(205.0);
        assertThat(in.measurements().messageAge.minNanos())
                .isEqualTo(Duration.ofMillis(105).toNanos());
        assertThat(in.measurements().messageAge.count()).isEqualTo(2);
    }

    @Test
    void aFailingHandlerStillGetsTheRestAndTheFirstErrorIsRethrown() throws Exception {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        for (int i = 0; i < 5; i++) {
            out.send(Msg.of(i));
        }
        List<Long> got = new ArrayList<>();

        assertThatThrownBy(() -> in.drain(
                        m -> {
                            got.add(m.seq());
                            if (m.seq() == 1 || m.seq() == 3) {
                                throw new IllegalStateException("bad " + m.seq());
                            }
                        },
                        16))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bad 1")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));

        assertThat(got).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void rejectsABadBatchSize() {
        OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
        InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);
        Ports.connect(out, in);
        assertThatThrownBy(() -> in.drain(m -> {}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> in.drain(m -> {}, 5000)).isInstanceOf(IllegalArgumentException.class);
    }
}
