package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code send(message, maxWait)}: the caller's own bound on waiting, whatever the policy. */
@Timeout(30)
class SendWaitLimitTest {

    private final OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
    private final InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);

    @Test
    void aBlockConnectionGivesUpAfterTheCallersLimit() throws Exception {
        Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        assertThat(out.send(Msg.of(0), Duration.ofMillis(50))).isEqualTo(SendOutcome.ACCEPTED);

        long start = System.nanoTime();
        SendOutcome outcome = out.send(Msg.of(1), Duration.ofMillis(100));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(outcome).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat(waitedMs).isBetween(95L, 2_000L);
        assertThat(out.metrics().droppedByReason()).containsEntry("timeout", 1L);
        assertThat(Objects.requireNonNull(in.receive()).seq()).isZero();
        assertThat(in.poll()).isNull();
    }

    @Test
    void aBlockWithTimeoutConnectionWaitsForTheShorterOfTheTwo() throws Exception {
        Ports.connect(
                out,
                in,
                ConnectionOptions.defaults()
                        .capacity(1)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofSeconds(20)));
        out.send(Msg.of(0));

        long start = System.nanoTime();
        SendOutcome outcome = out.send(Msg.of(1), Duration.ofMillis(100));

        assertThat(outcome).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(95L, 5_000L);
    }

    @Test
    void aZeroLimitNeverWaits() throws Exception {
        Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        assertThat(out.send(Msg.of(1), Duration.ZERO)).isEqualTo(SendOutcome.TIMED_OUT);
        in.receive();
        assertThat(out.send(Msg.of(2), Duration.ZERO)).isEqualTo(SendOutcome.ACCEPTED);
    }

    @Test
    void roomWithinTheLimitIsAccepted() throws Exception {
        Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
                in.receive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(out.send(Msg.of(1), Duration.ofSeconds(10))).isEqualTo(SendOutcome.ACCEPTED);
        receiver.join();
    }
}
