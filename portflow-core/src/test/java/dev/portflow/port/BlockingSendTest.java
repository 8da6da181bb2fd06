package dev.portflow.port;

import static dev.portflow.port.PortTesting.assertOutputDrops;
import static dev.portflow.port.PortTesting.awaitParked;
import static dev.portflow.port.PortTesting.drain;
import static dev.portflow.port.PortTesting.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.internal.PortMeterBinder;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** BLOCK and BLOCK_WITH_TIMEOUT: who waits, for how long, who releases them, what is measured. */
class BlockingSendTest {

    private final OutputPort<Msg> out = new OutputPort<>("out_msgs", Msg.class);
    private final InputPort<Msg> in = new InputPort<>("in_msgs", Msg.class);

    /** Sends on a new platform thread; the future completes with the outcome (or the failure). */
    private CompletableFuture<SendOutcome> sendAsync(Msg message, Thread[] threadOut) {
        CompletableFuture<SendOutcome> result = new CompletableFuture<>();
        threadOut[0] = Thread.ofPlatform()
                .daemon()
                .name("sender-" + message.seq())
                .start(() -> {
                    try {
                        result.complete(out.send(message));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                });
        return result;
    }

    @Test
    void blockedSenderWaitsUntilOneReceiveMakesRoom() throws Exception {
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker(); // measures; the wait itself is real
        out.ticker(ticker);
        Connection<Msg> c = Ports.connect(out, in, 2, OverflowPolicy.BLOCK);
        AtomicLong blockedNotified = new AtomicLong();
        AtomicLong waitsStarted = new AtomicLong();
        out.onBackpressure(new BackpressureListener() {
            @Override
            public void waitStarted(long startNanos) {
                waitsStarted.incrementAndGet();
            }

            @Override
            public void waitEnded(long startNanos, long endNanos) {
                blockedNotified.addAndGet(endNanos - startNanos);
            }
        });
        out.send(Msg.of(0));
        out.send(Msg.of(1));

        Thread[] sender = new Thread[1];
        CompletableFuture<SendOutcome> outcome = sendAsync(Msg.of(2), sender);
        awaitParked(sender[0]);
        Thread.sleep(100);
        ticker.advance(Duration.ofMillis(100));
        assertThat(outcome).as("still blocked after 100 ms").isNotDone();
        assertThat(c.depth()).isEqualTo(2);
        assertThat(out.metrics().messagesOut()).isEqualTo(2);

        assertThat(Objects.requireNonNull(in.receive()).seq()).isEqualTo(0);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(c.depth()).isEqualTo(2);
        assertThat(out.metrics().messagesOut()).isEqualTo(3);
        assertThat(seqs(drain(in))).containsExactly(1L, 2L);
        assertOutputDrops(out.metrics(), Map.of());

        // The wait is measured: one blocked send of exactly the 100 ms the ticker moved while we held it.
        assertThat(out.measurements().blocked.count()).isEqualTo(1);
        assertThat(out.measurements().blocked.sumNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(out.metrics().blockedDurationMs()).isEqualTo(100.0);
        assertThat((Double) out.metrics().toMap().get("blocked_duration_ms")).isEqualTo(100.0);
        assertThat(blockedNotified.get()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(waitsStarted.get()).isEqualTo(1);
    }

    @Test
    void eachReceiveReleasesExactlyOneOfTwoBlockedSenders() throws Exception {
        Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        Thread[] t1 = new Thread[1];
        Thread[] t2 = new Thread[1];
        CompletableFuture<SendOutcome> first = sendAsync(Msg.of(1), t1);
        CompletableFuture<SendOutcome> second = sendAsync(Msg.of(2), t2);
        awaitParked(t1[0]);
        awaitParked(t2[0]);
        Thread.sleep(100);
        assertThat(Stream.of(first, second).filter(CompletableFuture::isDone)).isEmpty();

        assertThat(Objects.requireNonNull(in.receive()).seq()).isEqualTo(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.isDone() || second.isDone());
        Thread.sleep(100); // give a wrongly released second sender time to show up
        assertThat(Stream.of(first, second).filter(CompletableFuture::isDone)).hasSize(1);
        assertThat(out.metrics().messagesOut()).isEqualTo(2);

        Msg next = in.receive();
        assertThat(next.seq()).isIn(1L, 2L);
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        Msg last = in.receive();
        assertThat(List.of(next.seq(), last.seq())).containsExactlyInAnyOrder(1L, 2L);
        assertThat(out.measurements().blocked.count()).isEqualTo(2);
        assertOutputDrops(out.metrics(), Map.of());
    }

    @Test
    void blockedDurationIsExportedAsATimer() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        out.ticker(ticker);
        Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        PortMeterBinder.bind(registry, "p", out.measurements());
        out.send(Msg.of(0));
        Thread[] sender = new Thread[1];
        CompletableFuture<SendOutcome> outcome = sendAsync(Msg.of(1), sender);
        awaitParked(sender[0]);
        ticker.advance(Duration.ofMillis(100));
        in.receive();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);

        FunctionTimer timer = registry.get("portflow.port.blocked.duration")
                .tag("port", "out_msgs")
                .functionTimer();
        assertThat(timer.count()).isEqualTo(1.0);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100.0);
        assertThat(registry.get("portflow.port.blocked.duration.max")
                        .timeGauge()
                        .value(TimeUnit.MILLISECONDS))
                .isEqualTo(100.0);
    }

    @Test
    void closingReleasesABlockedSenderWithClosed() throws Exception {
        Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        Thread[] sender = new Thread[1];
        CompletableFuture<SendOutcome> outcome = sendAsync(Msg.of(1), sender);
        awaitParked(sender[0]);
        out.close();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.CLOSED);
        assertOutputDrops(out.metrics(), Map.of("closed", 1L));
        assertThat(seqs(drain(in))).containsExactly(0L);
        assertThat(in.isEndOfStream()).isTrue();
    }

    @Test
    void interruptingABlockedSenderThrowsAndAcceptsNothing() throws Exception {
        Connection<Msg> c = Ports.connect(out, in, 1, OverflowPolicy.BLOCK);
        out.send(Msg.of(0));
        Thread[] sender = new Thread[1];
        CompletableFuture<SendOutcome> outcome = sendAsync(Msg.of(1), sender);
        awaitParked(sender[0]);
        sender[0].interrupt();
        assertThat(outcome)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(InterruptedException.class);
        assertThat(c.depth()).isEqualTo(1);
        assertThat(out.metrics().messagesOut()).isEqualTo(1);
        assertThat(seqs(drain(in))).containsExactly(0L);
    }

    /**
     * A 300 ms timeout ends within ±20 %: never before 240 ms (in fact never before 300 ms: the
     * deadline is taken when the send starts), and not after 360 ms.
     */
    @Test
    void blockWithTimeoutGivesUpWithinTwentyPercentOfItsTimeout() throws Exception {
        Ports.connect(
                out,
                in,
                ConnectionOptions.defaults()
                        .capacity(1)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofMillis(300)));
        out.send(Msg.of(0));
        long start = System.nanoTime();
        SendOutcome outcome = out.send(Msg.of(1));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(outcome).isEqualTo(SendOutcome.TIMED_OUT);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(240).isLessThanOrEqualTo(360);
        assertOutputDrops(out.metrics(), Map.of("timeout", 1L));
        assertThat(out.measurements().blocked.count()).isEqualTo(1);
        assertThat(out.metrics().blockedDurationMs()).isBetween(240.0, 360.0);
        assertThat(seqs(drain(in))).containsExactly(0L);
    }

    @Test
    void blockWithTimeoutIsAcceptedWhenRoomAppearsInTime() throws Exception {
        Ports.connect(
                out,
                in,
                ConnectionOptions.defaults()
                        .capacity(1)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofSeconds(20)));
        out.send(Msg.of(0));
        Thread[] sender = new Thread[1];
        long start = System.nanoTime();
        CompletableFuture<SendOutcome> outcome = sendAsync(Msg.of(1), sender);
        awaitParked(sender[0]);
        Thread.sleep(50);
        in.receive();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertOutputDrops(out.metrics(), Map.of());
        assertThat(seqs(drain(in))).containsExactly(1L);
    }

    @Test
    void defaultTimeoutIsTwoSeconds() {
        assertThat(ConnectionOptions.defaults().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ConnectionOptions.defaults().overflow()).isEqualTo(OverflowPolicy.BLOCK);
    }

    /**
     * Issue 13, F9: a BLOCK_WITH_TIMEOUT timeout too long for the nanoTime scale (here 300 years) is
     * accepted and waits without a deadline; it used to throw ArithmeticException from send.
     */
    @Test
    void aTimeoutOfCenturiesWaitsInsteadOfThrowing() throws Exception {
        Ports.connect(
                out,
                in,
                ConnectionOptions.defaults()
                        .capacity(1)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofDays(365L * 300)));
        assertThat(out.send(Msg.of(0))).isEqualTo(SendOutcome.ACCEPTED);
        Thread[] sender = new Thread[1];
        CompletableFuture<SendOutcome> second = sendAsync(Msg.of(1), sender);
        Thread.sleep(100);
        assertThat(second).as("still waiting for room, not failed").isNotDone();
        assertThat(in.receive()).isEqualTo(Msg.of(0));
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
    }

    /** A timeout that fits in a long of nanoseconds but not added to now: it used to time out at once. */
    @Test
    void aTimeoutThatOverflowsTheDeadlineStillWaits() throws Exception {
        Ports.connect(
                out,
                in,
                ConnectionOptions.defaults()
                        .capacity(1)
                        .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                        .timeout(Duration.ofNanos(Long.MAX_VALUE - 10)));
        assertThat(out.send(Msg.of(0))).isEqualTo(SendOutcome.ACCEPTED);
        Thread[] sender = new Thread[1];
        CompletableFuture<SendOutcome> second = sendAsync(Msg.of(1), sender);
        Thread.sleep(100);
        assertThat(second).as("still waiting for room").isNotDone();
        assertThat(in.receive()).isEqualTo(Msg.of(0));
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(SendOutcome.ACCEPTED);
    }
}
