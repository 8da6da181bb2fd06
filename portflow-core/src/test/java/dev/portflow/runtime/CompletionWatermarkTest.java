package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.port.Connection;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.InputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.PipelinedTestLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Messages count as complete only when everything they led to downstream is finished. */
class CompletionWatermarkTest {

    /** Emits 0..4, then idles until stopped. */
    private static Source<Integer> fiveThenIdle() {
        return context -> {
            for (int i = 0; i < 5; i++) {
                context.emit(i);
            }
            while (context.isRunning()) {
                context.pause(Duration.ofMillis(50));
            }
        };
    }

    @Test
    void aMessageIsCompleteOnlyOnceTheSinkBehindItHasFinished() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, fiveThenIdle())
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

    @Test
    void aMessageSentOnAPipelinedLinkIsCompleteOnlyOnceTheLinkAcknowledgedIt() throws Exception {
        PipelinedTestLink<Integer> link = new PipelinedTestLink<>();
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, fiveThenIdle())
                .transformer("a", Integer.class, Integer.class, Transformer.map(x -> x))
                .connect("feed.out_x", "a.in_x")
                .connect("a.out_x", link, ConnectionOptions.defaults().capacity(1_000))
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("a", "in_x");
            p.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> p.inputPort("a", "in_x").measurements().messagesFinished() == 5);
            link.acks.acknowledge(1);
            link.acks.acknowledge(2);
            for (int i = 0; i < 20; i++) {
                assertThat(watermark.completed())
                        .as("a finished all five, the link acknowledged none from the first")
                        .isZero();
                Thread.sleep(5);
            }
            link.acks.acknowledge(0);
            link.acks.acknowledge(3);
            // the epoch covering all five waits for the fifth; a later one may cover fewer
            await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> watermark.completed() < 5);
            link.acks.acknowledge(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 5);
        }
    }

    /**
     * The mark is the link's hand-offs read once the component is done, not its accepted sends: a
     * hand-off made after the mark (a message of the next epoch) is not waited for, and one made
     * before it is, even while the sends counted as accepted are fewer.
     */
    @Test
    void anEpochWaitsForTheHandOffsMadeBeforeItsMarkAndNoOthers() {
        PipelinedTestLink<Integer> link = new PipelinedTestLink<>();
        try (Pipeline p = Pipeline.builder("w")
                .source("feed", Integer.class, context -> {})
                .transformer("a", Integer.class, Integer.class, Transformer.map(x -> x))
                .connect("feed.out_x", "a.in_x")
                .connect("a.out_x", link, ConnectionOptions.defaults().capacity(1_000))
                .build()) {
            long[] handedOff = {3}; // a finished 2 messages; 3 records handed off by then
            long[] acknowledged = {2};
            CompletionWatermark watermark = p.completionWatermark("a", "in_x", new CompletionWatermark.Counts() {
                @Override
                public long finished(InputPort<?> port) {
                    return 2;
                }

                @Override
                public long accepted(Connection<?> c) {
                    return 2; // fewer than the hand-offs: the third send has not returned yet
                }

                @Override
                public long received(Connection<?> c) {
                    return 2;
                }

                @Override
                public long evicted(Connection<?> c) {
                    return 0;
                }

                @Override
                public long handedOff(Connection<?> c) {
                    long value = handedOff[0];
                    handedOff[0] += 10; // the next epoch's messages are handed off right after the mark
                    return value;
                }

                @Override
                public long acknowledged(Connection<?> c) {
                    return acknowledged[0];
                }
            });
            assertThat(watermark.completed())
                    .as("hand-off 2 is not acknowledged")
                    .isZero();
            acknowledged[0] = 3;
            assertThat(watermark.completed())
                    .as("the hand-offs after the mark are not waited for")
                    .isEqualTo(2);
        }
    }
}
