package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.FakeTicker;
import dev.portflow.metrics.HistogramSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receive time of a message is never before it was enqueued: a clock read reused for several
 * messages (a drained batch, the runner's hint) must not be older than any of them.
 */
class ReceiveTimeTest {

    private static final long MS = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker();
    private final OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
    private final InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);

    ReceiveTimeTest() {
        out.ticker(ticker);
        in.ticker(ticker);
    }

    @Test
    void aMessageSentJustAfterTheBatchsClockReadIsNotReceivedBeforeItWasSent() throws Exception {
        Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        ticker.advance(5 * MS);
        // Another producer sends, 5 ms later, right after the receiver has read the clock.
        ticker.onNextRead(() -> {
            ticker.advance(5 * MS);
            send(Msg.of(1));
        });

        List<Long> got = new ArrayList<>();
        while (got.size() < 2) {
            in.drain(m -> got.add(m.seq()), 16);
        }

        assertThat(got).containsExactly(0L, 1L);
        assertThat(in.measurements().clockSkewCount()).isZero();
        HistogramSnapshot wait = in.measurements().queueWait.snapshot();
        assertThat(wait.count()).isEqualTo(2);
        assertThat(wait.maxNanos()).isEqualTo(5 * MS); // message 0, received at the batch's read
        assertThat(wait.sumNanos()).isEqualTo(5.0 * MS); // message 1 waited 0, not -5 ms
        assertThat(in.measurements().messageAge.sumNanos()).isEqualTo(5.0 * MS);
    }

    @Test
    void aReceiveTimeHandedInIsNotUsedForAMessageSentAfterIt() throws Exception {
        Inbox inbox = Inbox.of(List.of(in));
        Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        long hint = ticker.read(); // the runner's clock read at the end of its last message
        ticker.advance(3 * MS);
        out.send(Msg.of(0)); // sent after that read

        assertThat(inbox.receive(Long.MAX_VALUE, hint)).isEqualTo(Msg.of(0));

        assertThat(in.measurements().clockSkewCount()).isZero();
        assertThat(in.lastReceivedAt()).isEqualTo(hint + 3 * MS);
        assertThat(in.measurements().queueWait.snapshot().count()).isEqualTo(1);
        assertThat(in.measurements().queueWait.maxNanos()).isZero();
    }

    @Test
    void aReceiveTimeHandedInIsUsedForAMessageThatWasAlreadyWaiting() throws Exception {
        Inbox inbox = Inbox.of(List.of(in));
        Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        long hint = ticker.advance(2 * MS);
        ticker.advance(7 * MS);

        inbox.receive(Long.MAX_VALUE, hint);

        assertThat(in.lastReceivedAt()).isEqualTo(hint); // no second clock read
        assertThat(in.measurements().queueWait.maxNanos()).isEqualTo(2 * MS);
    }

    @Test
    void everyMessageOfABatchIsReceivedAtOneReadingTakenAfterTheLastWasTaken() throws Exception {
        Ports.connect(out, in, 16, OverflowPolicy.BLOCK);
        for (int i = 0; i < 4; i++) {
            out.send(Msg.of(i));
            ticker.advance(Duration.ofMillis(1));
        }
        ticker.advance(Duration.ofMillis(6)); // now: 10 ms after the first send

        assertThat(in.drain(m -> {}, 16)).isEqualTo(4);

        HistogramSnapshot wait = in.measurements().queueWait.snapshot();
        assertThat(wait.maxNanos()).isEqualTo(10 * MS);
        assertThat(wait.minNanos()).isEqualTo(7 * MS);
        assertThat(wait.sumNanos()).isEqualTo((10 + 9 + 8 + 7) * (double) MS);
        assertThat(in.lastReceivedAt()).isEqualTo(ticker.now());
    }

    private void send(Msg m) {
        try {
            out.send(m);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
