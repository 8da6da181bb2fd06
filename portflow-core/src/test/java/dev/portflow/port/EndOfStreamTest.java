package dev.portflow.port;

import static dev.portflow.port.PortTesting.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** End of stream after close and drain; timed receives that time out without being end of stream. */
class EndOfStreamTest {

    private final OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
    private final InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);

    @Test
    void receiveReturnsBufferedMessagesThenNullAfterClose() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        out.send(Msg.of(1));
        out.send(Msg.of(2));
        out.close();
        assertThat(in.isEndOfStream()).as("not before the buffer is drained").isFalse();
        assertThat(Objects.requireNonNull(in.receive()).seq()).isEqualTo(1);
        assertThat(in.isEndOfStream()).isFalse();
        assertThat(Objects.requireNonNull(in.receive()).seq()).isEqualTo(2);
        assertThat(in.isEndOfStream()).isTrue();
        assertThat(in.receive()).isNull();
        assertThat(in.receive()).as("end of stream is sticky").isNull();
        assertThat(in.receive(Duration.ofSeconds(5))).isNull();
        assertThat(in.poll()).isNull();
        assertThat(in.isEndOfStream()).isTrue();
        assertThat(in.metrics().messagesIn()).isEqualTo(2);
    }

    @Test
    void closeWakesAWaitingReceiverWithNull() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        CompletableFuture<Msg> result = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(in.receive());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        awaitParked(receiver);
        out.close();
        assertThat(result.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(in.isEndOfStream()).isTrue();
    }

    @Test
    void aSendWakesAWaitingReceiver() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        CompletableFuture<Msg> result = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(in.receive());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        awaitParked(receiver);
        Thread.sleep(20);
        assertThat(result).isNotDone();
        out.send(Msg.of(7));
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(Msg.of(7));
    }

    @Test
    void timedReceiveTimesOutCleanlyWithoutEndOfStream() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        long start = System.nanoTime();
        assertThat(in.receive(Duration.ofMillis(100))).isNull();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(100).isLessThan(5_000);
        assertThat(in.isEndOfStream()).isFalse();
        assertThat(in.receive(Duration.ZERO)).isNull();
        assertThat(in.isEndOfStream()).isFalse();

        // The port still works after a timeout.
        out.send(Msg.of(1));
        assertThat(in.receive(Duration.ofSeconds(5))).isEqualTo(Msg.of(1));
        assertThat(in.metrics().messagesIn()).isEqualTo(1);
    }

    @Test
    void negativeTimeoutIsRefused() {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        assertThatThrownBy(() -> in.receive(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endOfStreamNeedsEveryUpstreamClosed() throws Exception {
        OutputPort<Msg> other = new OutputPort<>("out_other", Msg.class);
        Ports.connect(out, in, 4, OverflowPolicy.BLOCK);
        Ports.connect(other, in, 4, OverflowPolicy.BLOCK);
        out.send(Msg.of(1));
        out.close();
        assertThat(in.receive()).isEqualTo(Msg.of(1));
        assertThat(in.receive(Duration.ofMillis(30))).isNull();
        assertThat(in.isEndOfStream()).as("one upstream is still open").isFalse();
        other.send(new Msg(1, 1));
        other.close();
        assertThat(in.receive()).isEqualTo(new Msg(1, 1));
        assertThat(in.receive()).isNull();
        assertThat(in.isEndOfStream()).isTrue();
    }

    @Test
    void interruptingAWaitingReceiverThrows() throws Exception {
        Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        CompletableFuture<Msg> result = new CompletableFuture<>();
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(in.receive());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        awaitParked(receiver);
        receiver.interrupt();
        assertThat(result)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(InterruptedException.class);
    }

    @Test
    void connectionsAreListedOnBothEnds() {
        Connection<Msg> c = Ports.connect(out, in, 8, OverflowPolicy.BLOCK);
        assertThat(out.connections()).containsExactly(c);
        assertThat(in.connections()).containsExactly(c);
        assertThat(c.from()).isSameAs(out);
        assertThat(c.to()).isSameAs(in);
        assertThat(List.of(out.isConnected(), in.isConnected())).containsOnly(true);
    }
}
