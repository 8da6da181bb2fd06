package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.component.Transformer;
import dev.portflow.port.ConnectionOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            await().atMost(Duration.ofSeconds(10)).until(() -> p.inputPort("a", "in_x").measurements().messagesFinished() == 5);
            // a has finished all five, but b is still holding the first: nothing is complete
            for (int i = 0; i < 20; i++) {
                assertThat(watermark.completed()).isZero();
                Thread.sleep(5);
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 5);
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
                .sink("left", Integer.class, x -> { })
                .sink("right", Integer.class, x -> Thread.sleep(1))
                .connect("feed.out_x", "a.in_x")
                .connect("a.out_x", "left.in_x")
                .connect("a.out_x", "right.in_x")
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("a", "in_x");
            p.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 100);
            assertThat(p.inputPort("right", "in_x").measurements().messagesFinished()).isEqualTo(50);
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
                .sink("s", Integer.class, x -> { })
                .connect("feed.out_x", "s.in_x")
                .build()) {
            CompletionWatermark watermark = p.completionWatermark("s", "in_x");
            p.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> watermark.completed() == 10);
        }
    }
}
