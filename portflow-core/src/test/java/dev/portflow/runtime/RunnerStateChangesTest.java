package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.FakeTicker;
import dev.portflow.component.Emitter;
import dev.portflow.port.ConnectionOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13: a runner changes its component's time state only when the state really changes (back-to-back
 * messages stay busy; idle only when the receive is about to wait), and busy + idle + backpressured
 * still equals the (fake) wall time exactly.
 */
@Timeout(60)
class RunnerStateChangesTest {

    private static final long MS = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker();

    private static long sum(Pipeline pipeline, String component) {
        ComponentTimes times = pipeline.node(component).times;
        return times.nanos(ComponentTime.BUSY)
                + times.nanos(ComponentTime.IDLE)
                + times.nanos(ComponentTime.BACKPRESSURED);
    }

    private static long nanos(Pipeline pipeline, String component, int state) {
        return pipeline.node(component).times.nanos(state);
    }

    /** A source of 0 .. n-1 that counts {@code allSent} down once it has sent them all. */
    private static dev.portflow.component.Source<Integer> emitThenSignal(int n, CountDownLatch allSent) {
        return ctx -> {
            for (int i = 0; i < n; i++) {
                ctx.emit(i);
            }
            allSent.countDown();
        };
    }

    /** A component busy on its current message right now (not idle, not backpressured). */
    private static boolean busy(Pipeline pipeline, String component) {
        return pipeline.node(component).times.busySince() != Long.MIN_VALUE;
    }

    @Test
    void backToBackMessagesStayBusy() throws Exception {
        int n = 100;
        CountDownLatch allSent = new CountDownLatch(1);
        long start = ticker.now();
        Pipeline pipeline = Pipeline.builder("back_to_back")
                .ticker(ticker)
                .source("src", Integer.class, emitThenSignal(n, allSent))
                .sink("work", Integer.class, i -> {
                    if (i == 0) {
                        allSent.await(); // the other 99 are buffered when message 0 ends
                    }
                    ticker.advance(MS);
                })
                .connect("src.out_n", "work.in_n", ConnectionOptions.defaults().capacity(128))
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        // start, busy at message 0, idle when the input is empty after message 99, finish. Before: start,
        // busy and idle around each of the 100 messages, finish = 202.
        assertThat(pipeline.node("work").times.writes()).isEqualTo(4);
        assertThat(nanos(pipeline, "work", ComponentTime.BUSY)).isEqualTo(n * MS);
        assertThat(nanos(pipeline, "work", ComponentTime.IDLE)).isZero();
        assertThat(sum(pipeline, "work")).isEqualTo(ticker.now() - start);
        assertThat(pipeline.inputPort("work", "in_n")
                        .measurements()
                        .processDuration
                        .count())
                .isEqualTo(n);
        assertThat(pipeline.inputPort("work", "in_n").metrics().avgProcessingMs())
                .isEqualTo(1.0);
    }

    /** Busy across many messages is not "busy on one message": the hang check counts from the current message. */
    @Test
    void stayingBusyAcrossMessagesIsNotHangingOnOne() throws Exception {
        int n = 100;
        CountDownLatch allSent = new CountDownLatch(1);
        AtomicReference<Pipeline> built = new AtomicReference<>();
        AtomicReference<PipelineHealth> atLast = new AtomicReference<>();
        Pipeline pipeline = Pipeline.builder("busy_long")
                .ticker(ticker)
                .healthRules(new HealthRules(10, Duration.ofMillis(50)))
                .source("src", Integer.class, emitThenSignal(n, allSent))
                .sink("work", Integer.class, i -> {
                    if (i == 0) {
                        allSent.await();
                    }
                    ticker.advance(MS);
                    if (i == n - 1) {
                        // busy for 100 ms, on this message for 1 ms
                        atLast.set(Objects.requireNonNull(built.get()).health());
                    }
                })
                .connect("src.out_n", "work.in_n", ConnectionOptions.defaults().capacity(128))
                .build();
        built.set(pipeline);
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        // (a source counts as busy from its start until it ends: only the handler is looked at here)
        assertThat(Objects.requireNonNull(atLast.get()).problems())
                .noneMatch(p -> p.component().equals("work"));
    }

    /**
     * Gaps of 100 ms between messages: even ones arrive after the sink has gone idle, odd ones arrive
     * just after the clock reading that ended the previous message, before the sink looked at its input.
     * Either way the gap is idle, counted from the end of the previous message.
     */
    @Test
    void aGapBetweenMessagesIsIdleFromTheEndOfThePreviousMessage() throws Exception {
        int n = 6;
        Semaphore sendNext = new Semaphore(0);
        Semaphore sent = new Semaphore(0);
        AtomicReference<Pipeline> built = new AtomicReference<>();
        long start = ticker.now();
        Pipeline pipeline = Pipeline.builder("gaps")
                .ticker(ticker)
                .source("src", Integer.class, ctx -> {
                    ctx.emit(0);
                    for (int i = 1; i < n; i++) {
                        sendNext.acquire();
                        if (i % 2 == 0) { // the sink has gone idle: it waits for this one
                            Pipeline p = Objects.requireNonNull(built.get());
                            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !busy(p, "work"));
                        }
                        ticker.advance(100 * MS);
                        ctx.emit(i);
                        sent.release();
                    }
                })
                .sink("work", Integer.class, i -> {
                    ticker.advance(20 * MS);
                    if (i + 1 < n) {
                        int next = i + 1;
                        // Runs inside the runner's clock read that ends this message, after it took its value.
                        ticker.onNextRead(() -> {
                            sendNext.release();
                            if (next % 2 == 1) { // sent before the runner looks at its input again
                                sent.acquireUninterruptibly();
                            }
                        });
                    }
                })
                .connect("src.out_n", "work.in_n")
                .build();
        built.set(pipeline);
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        assertThat(nanos(pipeline, "work", ComponentTime.BUSY)).isEqualTo(n * (20 * MS));
        assertThat(nanos(pipeline, "work", ComponentTime.IDLE)).isEqualTo((n - 1) * (100 * MS));
        assertThat(sum(pipeline, "work")).isEqualTo(ticker.now() - start);
        assertThat(pipeline.inputPort("work", "in_n").metrics().avgProcessingMs())
                .isEqualTo(20.0);
        assertThat(pipeline.inputPort("work", "in_n").metrics().avgQueueWaitMs())
                .isZero();
    }

    /** A send blocked on a full buffer in the middle of the messages: backpressured, then busy again. */
    @Test
    void aBlockedSendInBetweenIsBackpressured() throws Exception {
        AtomicInteger transformed = new AtomicInteger();
        AtomicReference<Pipeline> built = new AtomicReference<>();
        long start = ticker.now();
        Pipeline pipeline = Pipeline.builder("blocked")
                .ticker(ticker)
                .source("src", Integer.class, ctx -> {
                    for (int i = 0; i < 3; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("work", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    ticker.advance(5 * MS);
                    transformed.incrementAndGet();
                    out.emit(i);
                })
                .sink("slow", Integer.class, i -> {
                    if (i == 0) {
                        // message 1 fills the buffer; wait until work is blocked sending message 2
                        Pipeline p = Objects.requireNonNull(built.get());
                        Awaitility.await()
                                .atMost(Duration.ofSeconds(5))
                                .until(() -> transformed.get() == 3 && !busy(p, "work"));
                        ticker.advance(30 * MS);
                    }
                })
                .connect("src.out_n", "work.in_n", ConnectionOptions.defaults().capacity(16))
                .connect("work.out_n", "slow.in_n", ConnectionOptions.defaults().capacity(1))
                .build();
        built.set(pipeline);
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        assertThat(nanos(pipeline, "work", ComponentTime.BUSY)).isEqualTo(15 * MS);
        assertThat(nanos(pipeline, "work", ComponentTime.BACKPRESSURED)).isEqualTo(30 * MS);
        assertThat(nanos(pipeline, "work", ComponentTime.IDLE)).isZero();
        assertThat(sum(pipeline, "work")).isEqualTo(ticker.now() - start);
        assertThat(pipeline.inputPort("work", "in_n")
                        .measurements()
                        .processDuration
                        .sumNanos())
                .isEqualTo(15.0 * MS);
    }
}
