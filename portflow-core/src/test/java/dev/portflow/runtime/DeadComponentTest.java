package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.SendOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 F6: a component whose thread dies (an error outside any one message, here an
 * {@link OutOfMemoryError} its handler throws) refuses further messages at once, so producers that
 * block on its full input are released with {@code CLOSED} instead of hanging until a drain times
 * out; the death shows in health, in the workers gauge and as drops with reason {@code closed}.
 */
@Timeout(30)
class DeadComponentTest {

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 4})
    void producersBlockedOnADeadComponentAreReleased(int workers) throws Exception {
        ConcurrentHashMap<SendOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch firstHandled = new CountDownLatch(1);
        Pipeline pipeline = Pipeline.builder("dies")
                .source("feed", Integer.class, ctx -> {
                    for (int i = 0; i < 1_000; i++) {
                        outcomes.computeIfAbsent(ctx.emit(i), o -> new AtomicInteger())
                                .incrementAndGet();
                    }
                })
                .sink("fragile", Integer.class, id -> {
                    firstHandled.countDown();
                    throw new OutOfMemoryError("simulated: Java heap space");
                })
                .workers("fragile", workers)
                .connect(
                        "feed.out_ids",
                        "fragile.in_ids",
                        ConnectionOptions.defaults().capacity(4))
                .build();
        pipeline.start();

        // Before the fix the source stayed blocked on the full buffer: the pipeline never ended.
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10)))
                .as("the pipeline ends")
                .isTrue();
        assertThat(firstHandled.getCount()).isZero();
        assertThat(outcomes.get(SendOutcome.CLOSED))
                .as("sends after the death are refused")
                .isNotNull();
        assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum())
                .isEqualTo(1_000);
        assertThat(pipeline.outputPort("feed", "out_ids")
                        .metrics()
                        .droppedByReason()
                        .get("closed"))
                .isEqualTo(
                        Objects.requireNonNull(outcomes.get(SendOutcome.CLOSED)).get());
        assertThat(pipeline.workers("fragile")).isZero();
        assertThat(pipeline.health().problems()).anySatisfy(p -> {
            assertThat(p.component()).isEqualTo("fragile");
            assertThat(p.reason()).isEqualTo("stopped after an error (OutOfMemoryError: simulated: Java heap space)");
        });
    }

    @Test
    void oneDyingWorkerStopsTheOthersAfterTheirMessage() throws Exception {
        CountDownLatch othersBusy = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
        Pipeline pipeline = Pipeline.builder("one-dies")
                .source("feed", Integer.class, ctx -> {
                    for (int i = 0; i < 1_000; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("mixed", Integer.class, id -> {
                    if (othersBusy.getCount() > 0) {
                        othersBusy.countDown();
                        release.await(); // three workers hold a message each
                        finished.add(id);
                        return;
                    }
                    throw new OutOfMemoryError("simulated");
                })
                .workers("mixed", 4)
                .connect(
                        "feed.out_ids",
                        "mixed.in_ids",
                        ConnectionOptions.defaults().capacity(4))
                .build();
        pipeline.start();
        othersBusy.await();
        // the fourth worker dies; the three busy ones finish their message, take no other, and end
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pipeline.health().isDegraded());
        release.countDown();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10)))
                .as("the pipeline ends")
                .isTrue();
        assertThat(finished).hasSize(3);
    }

    @Test
    void aWorkerDyingWithAKeyDoesNotWedgeTheWorkersWaitingBehindIt() throws Exception {
        Pipeline pipeline = Pipeline.builder("one-key")
                .source("feed", Integer.class, ctx -> {
                    for (int i = 0; i < 1_000; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("keyed", Integer.class, id -> {
                    throw new OutOfMemoryError("simulated");
                })
                .workers("keyed", 4)
                .orderedByKey("keyed", id -> "same") // every message parks behind the dying worker
                .connect(
                        "feed.out_ids",
                        "keyed.in_ids",
                        ConnectionOptions.defaults().capacity(4))
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10)))
                .as("the pipeline ends")
                .isTrue();
        assertThat(pipeline.health().problems())
                .anySatisfy(p -> assertThat(p.component()).isEqualTo("keyed"));
    }
}
