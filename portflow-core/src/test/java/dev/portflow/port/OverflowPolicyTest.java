package dev.portflow.port;

import static dev.portflow.port.PortTesting.assertOutputDrops;
import static dev.portflow.port.PortTesting.drain;
import static dev.portflow.port.PortTesting.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.metrics.PortMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What each overflow policy does to a full buffer: which message goes, which counter moves, what send says. */
class OverflowPolicyTest {

    private final OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
    private final InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);

    private Connection<Msg> connect(int capacity, OverflowPolicy policy) {
        return Ports.connect(
                out,
                in,
                ConnectionOptions.defaults().capacity(capacity).overflow(policy).timeout(Duration.ofMillis(40)));
    }

    @Test
    void dropOldestEvictsTheOldestBufferedMessage() throws Exception {
        Connection<Msg> c = connect(3, OverflowPolicy.DROP_OLDEST);
        for (long i = 0; i < 3; i++) {
            assertThat(out.send(Msg.of(i))).isEqualTo(SendOutcome.ACCEPTED);
        }
        assertThat(out.send(Msg.of(3))).isEqualTo(SendOutcome.ACCEPTED_AFTER_EVICTING);
        assertThat(out.send(Msg.of(4))).isEqualTo(SendOutcome.ACCEPTED_AFTER_EVICTING);
        assertThat(c.depth()).isEqualTo(3);

        assertThat(seqs(drain(in))).containsExactly(2L, 3L, 4L);

        PortMetrics m = out.metrics();
        assertOutputDrops(m, Map.of("drop_oldest", 2L));
        assertThat(m.messagesOut()).isEqualTo(5);
        assertThat(in.metrics().messagesIn()).isEqualTo(3);
        assertThat(in.metrics().messagesDropped()).isZero();
        assertThat(c.statistics().evictedTotal()).isEqualTo(2);
        assertThat(c.statistics().receivedTotal()).isEqualTo(3);
        assertThat(c.statistics().acceptedTotal()).isEqualTo(5);
    }

    @Test
    void dropOldestKeepsEvictingWhileTheReceiverTakesTheRest() throws Exception {
        connect(2, OverflowPolicy.DROP_OLDEST);
        out.send(Msg.of(0));
        out.send(Msg.of(1));
        assertThat(Objects.requireNonNull(in.poll()).seq()).isEqualTo(0);
        assertThat(out.send(Msg.of(2))).isEqualTo(SendOutcome.ACCEPTED); // there was room again
        assertThat(out.send(Msg.of(3))).isEqualTo(SendOutcome.ACCEPTED_AFTER_EVICTING); // evicts 1
        assertThat(seqs(drain(in))).containsExactly(2L, 3L);
        assertOutputDrops(out.metrics(), Map.of("drop_oldest", 1L));
    }

    @Test
    void dropNewestRefusesTheNewMessage() throws Exception {
        Connection<Msg> c = connect(3, OverflowPolicy.DROP_NEWEST);
        for (long i = 0; i < 3; i++) {
            assertThat(out.send(Msg.of(i))).isEqualTo(SendOutcome.ACCEPTED);
        }
        assertThat(out.send(Msg.of(3))).isEqualTo(SendOutcome.DROPPED);
        assertThat(out.send(Msg.of(4))).isEqualTo(SendOutcome.DROPPED);
        assertThat(SendOutcome.DROPPED.isAccepted()).isFalse();
        assertThat(c.depth()).isEqualTo(3);

        assertThat(seqs(drain(in))).containsExactly(0L, 1L, 2L);
        assertOutputDrops(out.metrics(), Map.of("drop_newest", 2L));
        assertThat(out.metrics().messagesOut()).isEqualTo(3);
        assertThat(c.statistics().evictedTotal()).isZero();

        assertThat(out.send(Msg.of(5))).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(seqs(drain(in))).containsExactly(5L);
    }

    @Test
    void failRaisesAnOverflowErrorAndCountsFail() throws Exception {
        Connection<Msg> c = connect(2, OverflowPolicy.FAIL);
        out.send(Msg.of(0));
        out.send(Msg.of(1));
        assertThatThrownBy(() -> out.send(Msg.of(2)))
                .isInstanceOf(PortOverflowException.class)
                .hasMessageContaining("FAIL")
                .hasMessageContaining("out_msgs")
                .hasMessageContaining("2 messages");
        assertThat(c.depth()).isEqualTo(2);
        assertOutputDrops(out.metrics(), Map.of("fail", 1L));
        assertThat(out.metrics().messagesOut()).isEqualTo(2);

        assertThat(Objects.requireNonNull(in.poll()).seq()).isEqualTo(0);
        assertThat(out.send(Msg.of(3))).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(seqs(drain(in))).containsExactly(1L, 3L); // the refused message never arrives
        assertOutputDrops(out.metrics(), Map.of("fail", 1L));
    }

    @Test
    void blockWithTimeoutGivesUpAndCountsTimeout() throws Exception {
        Connection<Msg> c = connect(1, OverflowPolicy.BLOCK_WITH_TIMEOUT);
        assertThat(out.send(Msg.of(0))).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(out.send(Msg.of(1))).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat(SendOutcome.TIMED_OUT.isAccepted()).isFalse();
        assertThat(c.depth()).isEqualTo(1);
        assertOutputDrops(out.metrics(), Map.of("timeout", 1L));
        assertThat(out.measurements().blocked.count()).isEqualTo(1);
        assertThat(seqs(drain(in))).containsExactly(0L);
        assertThat(out.metrics().messagesOut()).isEqualTo(1);
    }

    @Test
    void blockAcceptsWhileThereIsRoomAndDropsNothing() throws Exception {
        Connection<Msg> c = connect(3, OverflowPolicy.BLOCK);
        for (long i = 0; i < 3; i++) {
            assertThat(out.send(Msg.of(i))).isEqualTo(SendOutcome.ACCEPTED);
        }
        assertThat(c.depth()).isEqualTo(3);
        assertThat(seqs(drain(in))).containsExactly(0L, 1L, 2L);
        assertOutputDrops(out.metrics(), Map.of());
        assertThat(out.measurements().blocked.count()).as("no send waited").isZero();
    }

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void sendAfterCloseReturnsClosedAndCountsClosed(OverflowPolicy policy) throws Exception {
        Connection<Msg> c = connect(1, policy);
        assertThat(out.send(Msg.of(0))).isEqualTo(SendOutcome.ACCEPTED);
        out.close();
        assertThat(out.isClosed()).isTrue();
        // The buffer is full too: close wins over every overflow policy (no wait, no exception).
        assertThat(out.send(Msg.of(1))).isEqualTo(SendOutcome.CLOSED);
        assertThat(out.send(Msg.of(2))).isEqualTo(SendOutcome.CLOSED);
        assertThat(SendOutcome.CLOSED.isAccepted()).isFalse();
        assertOutputDrops(out.metrics(), Map.of("closed", 2L));
        assertThat(c.statistics().closed()).isTrue();
        assertThat(seqs(drain(in))).containsExactly(0L);
        assertThat(out.metrics().messagesOut()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = OverflowPolicy.class, names = "BLOCK", mode = EnumSource.Mode.EXCLUDE)
    void overflowIsCountedOnTheOutputPortOnly(OverflowPolicy policy) throws Exception {
        connect(1, policy);
        out.send(Msg.of(0));
        try {
            out.send(Msg.of(1));
        } catch (PortOverflowException expected) {
            assertThat(policy).isEqualTo(OverflowPolicy.FAIL);
        }
        assertThat(in.metrics().droppedByReason()).containsOnlyKeys("filtered", "invalid");
        assertThat(in.metrics().messagesDropped()).isZero();
        assertThat(out.metrics().droppedByReason()).containsOnlyKeys(PortTesting.OUTPUT_REASONS);
        assertThat(out.metrics().messagesDropped()).isEqualTo(1);
    }
}
