package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Transformer;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.SendOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, bug 16: a drain that times out counts exactly what did not reach the sink, and hands
 * those messages back, so "N left" is the truth and the user can replay them.
 */
@Timeout(60)
class DrainLeftoversTest {

    @Test
    void everyAcceptedMessageIsDeliveredOrReportedAfterATimedOutDrain() throws Exception {
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        Set<Integer> delivered = ConcurrentHashMap.newKeySet();
        Pipeline pipeline = Pipeline.builder("exact")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; ctx.isRunning(); i++) {
                        if (ctx.emit(i) == SendOutcome.ACCEPTED) {
                            accepted.add(i);
                        }
                    }
                })
                .transformer("pass", Integer.class, Integer.class, Transformer.map(i -> i))
                .sink("slow", Integer.class, id -> {
                    Thread.sleep(3);
                    delivered.add(id);
                })
                .connect(
                        "ids.out_ids",
                        "pass.in_ids",
                        ConnectionOptions.defaults().capacity(50))
                .connect(
                        "pass.out_ids",
                        "slow.in_ids",
                        ConnectionOptions.defaults().capacity(200))
                .build();
        pipeline.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pipeline.inputPort("slow", "in_ids").metrics().queueDepth() == 200);

        DrainReport report = pipeline.drain(Duration.ofMillis(200));

        assertThat(report.completed()).isFalse();
        List<Object> left = new ArrayList<>();
        report.unfinished().forEach(l -> left.add(l.message()));
        assertThat(left).doesNotHaveDuplicates().doesNotContainAnyElementsOf(delivered);
        assertThat(report.totalLeftovers()).isEqualTo(left.size());
        assertThat(report.droppedWhileStopping().values()).containsOnly(0L);
        Set<Object> all = new HashSet<>(delivered);
        all.addAll(left);
        assertThat(all).as("delivered + reported = accepted, exactly").isEqualTo(new HashSet<>(accepted));
        assertThat(report.leftovers().get("slow.in_ids")).isPositive();
    }

    @Test
    void forceStopCutsADrainShort() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        Pipeline pipeline = Pipeline.builder("forced")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < 3; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("stuck", Integer.class, id -> {
                    handling.countDown();
                    Thread.sleep(600_000);
                })
                .connect("ids.out_ids", "stuck.in_ids")
                .build();
        pipeline.start();
        handling.await();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            pipeline.forceStop();
        });

        long start = System.nanoTime();
        DrainReport report = pipeline.drain(Duration.ofSeconds(30));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(report.completed()).isFalse();
        assertThat(report.leftovers()).containsEntry("stuck.in_ids", 3);
        assertThat(report.unfinished())
                .extracting(DrainReport.Leftover::message)
                .containsExactly(0, 1, 2);
    }

    @Test
    void aCompletedDrainLeavesNothingAndCountsErrors() throws Exception {
        Pipeline pipeline = Pipeline.builder("clean")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < 100; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("picky", Integer.class, id -> {
                    if (id % 10 == 0) {
                        throw new IllegalStateException("no " + id);
                    }
                })
                .connect("ids.out_ids", "picky.in_ids")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        DrainReport report = pipeline.drain(Duration.ofSeconds(5));

        assertThat(report.completed()).isTrue();
        assertThat(report.totalLeftovers()).isZero();
        assertThat(report.unfinished()).isEmpty();
        assertThat(report.lost()).isZero();
        assertThat(report.errors()).containsEntry("picky", 10L).containsEntry("ids", 0L);
    }
}
