package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.component.Transformer;
import dev.portflow.port.Connection;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.InputPort;
import dev.portflow.port.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Messages count as complete only when everything they led to downstream is finished. */
class CompletionWatermarkTest {

    @Test
    void aMessageIsCompleteOnlyOnceTheSinkBehindItHasFinished() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, context -> {
                    for (int i = 0; i < 5; i++) {
                        context.emit(i);
                    }
                    while (context.isRunning()) {
                        context.pause(Duration.ofMillis(50));
                    }
                })
                .transformer("a", Integer.class, Integer.class, Transformer.map(x -> x))
                .sink("b", Integer.class, x -> release.await(30, TimeUnit.SECONDS))
                .connect("feed.out_x", "a.in_x")
                .connect("a.out_x", "b.in_x", ConnectionOptions.defaults().capacity(16))
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("a", "in_x");
            p.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> p.inputPort("a", "in_x").measurements().messagesFinished() == 5);
            // a has finished all five, but b is still holding the first: nothing is complete
            for (int i = 0; i < 20; i++) {
                assertThat(watermark.completed()).isZero();
                Thread.sleep(5);
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 5);
        }
    }

    /**
     * The sink holds the epoch's one message (received, not finished) while the stage sends four
     * more through the DROP_OLDEST buffer of 2 after every count the watermark reads (an adversarial
     * but possible schedule). Counting held messages as accepted - evicted, read one after the
     * other, subtracted evictions of messages accepted after the accepted count was read: the target
     * went negative and the epoch ended with the sink's message unfinished.
     */
    @Test
    void anEpochDoesNotEndWhileItsMessageIsInTheSinksHandsAndNewerOnesAreEvicted() {
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, context -> {})
                .transformer("a", Integer.class, Integer.class, Transformer.map(x -> x))
                .sink("b", Integer.class, x -> {})
                .connect("feed.out_x", "a.in_x")
                .connect(
                        "a.out_x",
                        "b.in_x",
                        ConnectionOptions.defaults().capacity(2).overflow(OverflowPolicy.DROP_OLDEST))
                .build()) {
            InputPort<?> aIn = p.inputPort("a", "in_x");
            long[] finishedA = {1}; // a has finished message 0 ...
            long[] finishedB = {0}; // ... and b has received its output and is handling it
            long[] accepted = {1};
            long[] received = {1};
            long[] evicted = {0};
            int[] bursts = {3};
            Runnable burst = () -> { // a sends 4 more; b's buffer of 2 keeps the newest 2
                if (bursts[0]-- > 0) {
                    accepted[0] += 4;
                    evicted[0] = accepted[0] - received[0] - 2;
                }
            };
            CompletionWatermark watermark = p.completionWatermark("a", "in_x", new CompletionWatermark.Counts() {
                @Override
                public long finished(InputPort<?> port) {
                    return port == aIn ? finishedA[0] : finishedB[0];
                }

                @Override
                public long accepted(Connection<?> c) {
                    long value = accepted[0];
                    burst.run();
                    return value;
                }

                @Override
                public long received(Connection<?> c) {
                    long value = received[0];
                    burst.run();
                    return value;
                }

                @Override
                public long evicted(Connection<?> c) {
                    long value = evicted[0];
                    burst.run();
                    return value;
                }
            });

            assertThat(watermark.completed())
                    .as("b has not finished message 0's output")
                    .isZero();
            finishedB[0] = 1;
            assertThat(watermark.completed()).isEqualTo(1);
        }
    }

    /**
     * A stress test: a fast stage feeds a slow sink through a DROP_OLDEST buffer of 2, so messages
     * are evicted all the time while a poller asks for the watermark. Whenever it says F, every
     * message below F that the sink ever handles must already be handled (the others were evicted).
     */
    @Test
    void anEpochNeverEndsBeforeTheMessagesItCoversAreHandledWhileOthersAreEvicted() throws Exception {
        int total = 300_000;
        boolean[] handled = new boolean[total];
        long[] lastHandled = {-1};
        Object lock = new Object();
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, context -> {
                    for (int i = 0; i < total && context.isRunning(); i++) {
                        context.emit(i);
                    }
                })
                .transformer("a", Integer.class, Integer.class, Transformer.map(x -> x))
                .sink("b", Integer.class, x -> {
                    long until = System.nanoTime() + 2_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // slower than a: its buffer overflows
                    }
                    synchronized (lock) {
                        handled[x] = true;
                        lastHandled[0] = x;
                    }
                })
                .connect("feed.out_x", "a.in_x")
                .connect(
                        "a.out_x",
                        "b.in_x",
                        ConnectionOptions.defaults().capacity(2).overflow(OverflowPolicy.DROP_OLDEST))
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("a", "in_x");
            List<long[]> seen = new ArrayList<>(); // {completed, the last message b had handled after that}
            AtomicBoolean done = new AtomicBoolean();
            p.onStateChange(state -> done.set(state == PipelineState.STOPPED));
            p.start();
            while (!done.get()) {
                long completed = watermark.completed();
                long last;
                synchronized (lock) {
                    last = lastHandled[0];
                }
                seen.add(new long[] {completed, last});
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> watermark.completed() == total);
            // b handles in order, so a message below F still to be handled is one above the last it had
            int[] nextHandled = new int[total + 1]; // the first handled message at or after i
            nextHandled[total] = total;
            for (int i = total - 1; i >= 0; i--) {
                nextHandled[i] = handled[i] ? i : nextHandled[i + 1];
            }
            long early = seen.stream()
                    .filter(o -> nextHandled[(int) (o[1] + 1)] < o[0])
                    .count();
            assertThat(early)
                    .as("watermarks that covered a message b had not handled yet, of " + seen.size())
                    .isZero();
        }
    }

    @Test
    void filteredMessagesAndFanOutBranchesComplete() {
        // a drops odd numbers and broadcasts even ones to two sinks
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, context -> {
                    for (int i = 0; i < 100; i++) {
                        context.emit(i);
                    }
                })
                .transformer("a", Integer.class, Integer.class, Transformer.filter(x -> x % 2 == 0))
                .sink("left", Integer.class, x -> {})
                .sink("right", Integer.class, x -> Thread.sleep(1))
                .connect("feed.out_x", "a.in_x")
                .connect("a.out_x", "left.in_x")
                .connect("a.out_x", "right.in_x")
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("a", "in_x");
            p.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 100);
            assertThat(p.inputPort("right", "in_x").measurements().messagesFinished())
                    .isEqualTo(50);
        }
    }

    @Test
    void aSinksOwnWatermarkIsItsFinishedCount() {
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, context -> {
                    for (int i = 0; i < 10; i++) {
                        context.emit(i);
                    }
                })
                .sink("s", Integer.class, x -> {})
                .connect("feed.out_x", "s.in_x")
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("s", "in_x");
            p.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 10);
        }
    }
}
