package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.Ports;
import org.junit.jupiter.api.Test;

class DrainRateTest {

    private final OutputPort<Integer> out = new OutputPort<>("out_n", Integer.class);
    private final InputPort<Integer> in = new InputPort<>("in_n", Integer.class);

    DrainRateTest() {
        Ports.connect(out, in, ConnectionOptions.defaults().capacity(1000));
    }

    private void send(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            out.send(i);
        }
    }

    private void receive(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            in.receive();
        }
    }

    @Test
    void emptyBufferMeansRetryInOneSecond() {
        DrainRate rate = new DrainRate(out.counters());
        assertThat(rate.retryAfterSeconds(0)).isEqualTo(1);
    }

    @Test
    void depthOverMeasuredRateRoundedUp() throws Exception {
        DrainRate rate = new DrainRate(out.counters());
        send(500);
        rate.tick(0);
        receive(100); // 100 messages drained in 1 s (simulated clock)
        // 400 buffered at 100/s: 4 s
        assertThat(rate.retryAfterSeconds(1_000_000_000L)).isEqualTo(4);
        receive(1); // 399 buffered, 101 drained over 2 s: 50.5/s -> 7.9 s -> 8
        assertThat(rate.retryAfterSeconds(2_000_000_000L)).isEqualTo(8);
    }

    @Test
    void aStalledReceiverMeansSixtySecondsAndAFastOneAtLeastOne() throws Exception {
        DrainRate stalled = new DrainRate(out.counters());
        send(10);
        stalled.tick(0);
        assertThat(stalled.retryAfterSeconds(1_000_000_000L)).isEqualTo(60);

        DrainRate fast = new DrainRate(out.counters());
        fast.tick(0);
        receive(9); // 9/s with 1 left: 0.11 s, rounded up to the minimum of 1
        assertThat(fast.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
    }

    @Test
    void withoutARateYetItAnswersOne() throws Exception {
        DrainRate rate = new DrainRate(out.counters());
        send(10);
        assertThat(rate.retryAfterSeconds(5)).isEqualTo(1);
    }

    @Test
    void retryAfterIsCappedAtSixty() throws Exception {
        DrainRate rate = new DrainRate(out.counters());
        send(1000);
        rate.tick(0);
        receive(1); // 1 per second with 999 buffered: 999 s, capped
        assertThat(rate.retryAfterSeconds(1_000_000_000L)).isEqualTo(60);
    }
}
