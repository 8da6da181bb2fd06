package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.SingleWorker;
import dev.portflow.component.Sink;
import dev.portflow.component.Transformer;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.PortOverflowException;
import dev.portflow.port.SendOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 12: components on several workers. */
@Timeout(120)
class WorkersTest {

    /** Sleeping needs no cores: N workers give N times the throughput of one (at least 0.85 N). */
    @Test
    void aFiveMillisecondStageScalesWithFixedWorkers() throws Exception {
        double one = sleepStageThroughput(1);
        for (int n : new int[] {2, 4, 8}) {
            double rate = sleepStageThroughput(n);
            assertThat(rate / one)
                    .as("%d workers: %.0f msg/s vs %.0f msg/s with one", n, rate, one)
                    .isGreaterThanOrEqualTo(0.85 * n);
        }
    }

    private static double sleepStageThroughput(int workers) throws Exception {
        int messages = 150 * workers; // about 0.8 s of work at every width
        Pipeline pipeline = Pipeline.builder("sleepers")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < messages; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer(
                        "sleep",
                        Integer.class,
                        Integer.class,
                        (Integer i, dev.portflow.component.Emitter<Integer> out) -> {
                            Thread.sleep(5);
                            out.emit(i);
                        })
                .sink("out", Integer.class, i -> {})
                .connect(
                        "ids.out_ids",
                        "sleep.in_ids",
                        ConnectionOptions.defaults().capacity(64))
                .connect("sleep.out_ids", "out.in_ids")
                .workers("sleep", workers)
                .build();
        long start = System.nanoTime();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(60))).isTrue();
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    /** 1,000,000 messages into a 4-worker stage under each policy: every accepted one delivered once, the rest accounted for. */
    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void aMillionMessagesThroughFourWorkersUnderEveryPolicyAreConserved(OverflowPolicy policy) throws Exception {
        int total = 1_000_000;
        BitSet accepted = new BitSet(total);
        AtomicLong refused = new AtomicLong();
        BitSet delivered = new BitSet(total);
        AtomicLong duplicates = new AtomicLong();
        Pipeline pipeline = Pipeline.builder("conserve")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < total; i++) {
                        SendOutcome outcome;
                        try {
                            outcome = ctx.emit(i);
                        } catch (PortOverflowException e) {
                            refused.incrementAndGet();
                            continue;
                        }
                        if (outcome.isAccepted()) {
                            accepted.set(i);
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                })
                .transformer("work", Integer.class, Integer.class, Transformer.map(i -> i))
                .sink("out", Integer.class, i -> {
                    if (delivered.get(i)) {
                        duplicates.incrementAndGet();
                    }
                    delivered.set(i);
                })
                .connect(
                        "ids.out_ids",
                        "work.in_ids",
                        ConnectionOptions.defaults()
                                .capacity(256)
                                .overflow(policy)
                                .timeout(Duration.ofMillis(1)))
                .connect(
                        "work.out_ids",
                        "out.in_ids",
                        ConnectionOptions.defaults().capacity(1024))
                .workers("work", 4)
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(100))).isTrue();

        long evicted = pipeline.outputPort("ids", "out_ids")
                .metrics()
                .droppedByReason()
                .getOrDefault("drop_oldest", 0L);
        assertThat(duplicates.get()).isZero();
        assertThat((long) accepted.cardinality() + refused.get()).isEqualTo(total);
        BitSet lost = (BitSet) accepted.clone();
        lost.andNot(delivered);
        assertThat((long) lost.cardinality())
                .as("accepted but not delivered = evicted")
                .isEqualTo(evicted);
        BitSet unasked = (BitSet) delivered.clone();
        unasked.andNot(accepted);
        assertThat(unasked.cardinality()).as("delivered but never accepted").isZero();
        assertThat(pipeline.inputPort("work", "in_ids").measurements().messagesFinished())
                .isEqualTo(accepted.cardinality() - evicted);
        if (policy == OverflowPolicy.BLOCK) {
            assertThat(delivered.cardinality()).isEqualTo(total);
        }
    }

    /** Same key: one at a time, in arrival order; different keys: every worker busy at once. Seeded. */
    @Test
    void orderingByKeyNeverReordersAKeyAndUsesEveryWorker() throws Exception {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int round = 0; round < 3; round++) {
            int keys = 4 + random.nextInt(40); // at least one key per worker: fewer keys cannot use all 4
            int messages = 4000;
            int[] keyOf = new int[messages];
            int[] micros = new int[messages];
            for (int i = 0; i < messages; i++) {
                keyOf[i] = random.nextInt(100) < 30 ? 0 : random.nextInt(keys); // one hot key
                micros[i] = random.nextInt(300);
            }
            List<List<Integer>> handled = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                handled.add(Collections.synchronizedList(new ArrayList<>()));
            }
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            Set<Integer> busyKeys = ConcurrentHashMap.newKeySet();
            AtomicInteger sameKeyAtOnce = new AtomicInteger();
            Pipeline pipeline = Pipeline.builder("keyed")
                    .source("ids", Integer.class, ctx -> {
                        for (int i = 0; i < messages; i++) {
                            ctx.emit(i);
                        }
                    })
                    .sink("work", Integer.class, i -> {
                        int now = concurrent.incrementAndGet();
                        mostAtOnce.accumulateAndGet(now, Math::max);
                        if (!busyKeys.add(keyOf[i])) {
                            sameKeyAtOnce.incrementAndGet();
                        }
                        handled.get(keyOf[i]).add(i);
                        // sleep, not spin: a spinning virtual thread holds one of the two cores' carriers
                        java.util.concurrent.locks.LockSupport.parkNanos(micros[i] * 1000L);
                        busyKeys.remove(keyOf[i]);
                        concurrent.decrementAndGet();
                    })
                    .connect(
                            "ids.out_ids",
                            "work.in_ids",
                            ConnectionOptions.defaults().capacity(128))
                    .workers("work", 4)
                    .orderedByKey("work", m -> keyOf[(Integer) m])
                    .build();
            pipeline.start();
            assertThat(pipeline.awaitTermination(Duration.ofSeconds(60))).isTrue();
            String context = "seed " + seed + " (rerun with -Dportflow.seed=" + seed + "), round " + round;
            assertThat(sameKeyAtOnce.get()).as(context).isZero();
            int count = 0;
            for (List<Integer> perKey : handled) {
                assertThat(perKey).as(context).isSorted();
                count += perKey.size();
            }
            assertThat(count).as(context).isEqualTo(messages);
            assertThat(mostAtOnce.get()).as(context + ": every worker used").isEqualTo(4);
        }
    }

    /** A drain waits for every worker; errors still go to err_*; component time is in worker-seconds. */
    @Test
    void drainWaitsForEveryWorkerAndTimeIsInWorkerSeconds() throws Exception {
        List<ErrorEnvelope> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger stored = new AtomicInteger();
        Pipeline pipeline = Pipeline.builder("lifecycle")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; ctx.isRunning(); i++) {
                        ctx.emit(i);
                    }
                })
                .transformer(
                        "check",
                        Integer.class,
                        Integer.class,
                        (Integer i, dev.portflow.component.Emitter<Integer> out) -> {
                            Thread.sleep(2);
                            if (i % 10 == 0) {
                                throw new IllegalArgumentException("multiple of ten: " + i);
                            }
                            out.emit(i);
                        })
                .sink("store", Integer.class, i -> stored.incrementAndGet())
                .sink("dead", ErrorEnvelope.class, errors::add)
                .connect(
                        "ids.out_ids",
                        "check.in_ids",
                        ConnectionOptions.defaults().capacity(64))
                .connect("check.out_ids", "store.in_ids")
                .connect("check.err_ids", "dead.in_errors")
                .workers("check", 4)
                .build();
        long start = System.nanoTime();
        pipeline.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stored.get() > 500);
        assertThat(pipeline.workers("check")).isEqualTo(4);

        DrainReport report = pipeline.drain(Duration.ofSeconds(20));
        double wall = (System.nanoTime() - start) / 1e9;

        assertThat(report.completed()).isTrue();
        assertThat(report.totalLeftovers()).isZero();
        long handled = pipeline.inputPort("check", "in_ids").metrics().messagesIn();
        assertThat(stored.get() + errors.size()).isEqualTo((int) handled);
        assertThat(errors).allMatch(e -> e.errorType().equals("IllegalArgumentException"));
        assertThat(pipeline.workers("check")).isZero();
        double workerSeconds = pipeline.componentSeconds("check", ComponentState.BUSY)
                + pipeline.componentSeconds("check", ComponentState.IDLE)
                + pipeline.componentSeconds("check", ComponentState.BACKPRESSURED);
        assertThat(workerSeconds).as("4 workers x %.2f s of wall time", wall).isBetween(4 * wall * 0.9, 4 * wall);
    }

    /**
     * A worker's time counts from when it is started, idle until its thread runs: a virtual thread
     * waits for a carrier first, and behind CPU-bound threads that never block it can wait for seconds.
     * Uncounted, that wait let a widened stage look fully busy with half its workers never run.
     */
    @Test
    void aWorkerWaitingForACarrierIsIdleFromItsStart() throws Exception {
        int carriers = Integer.getInteger(
                "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        CountDownLatch spinning = new CountDownLatch(carriers);
        AtomicBoolean release = new AtomicBoolean();
        long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            // computes without blocking, so it keeps its carrier until released
            spinners.add(Thread.ofVirtual().start(() -> {
                spinning.countDown();
                while (!release.get() && System.nanoTime() < giveUp) {
                    Thread.onSpinWait();
                }
            }));
        }
        Pipeline pipeline = null;
        try {
            spinning.await();
            pipeline = Pipeline.builder("no-carrier")
                    .source("ids", Integer.class, ctx -> {
                        while (ctx.isRunning()) {
                            Thread.sleep(1);
                        }
                    })
                    .sink("wait", Integer.class, i -> {})
                    .connect("ids.out_ids", "wait.in_ids")
                    .workers("wait", 3)
                    .build()
                    .start();
            long started = System.nanoTime();
            Thread.sleep(400);
            double idle = pipeline.componentSeconds("wait", ComponentState.IDLE);
            double waited = (System.nanoTime() - started) / 1e9;
            assertThat(idle)
                    .as("3 workers that never got a carrier, for %.2f s", waited)
                    .isGreaterThanOrEqualTo(3 * 0.4);
            assertThat(pipeline.componentSeconds("wait", ComponentState.BUSY)).isZero();
        } finally {
            release.set(true);
            for (Thread t : spinners) {
                t.join();
            }
            if (pipeline != null) {
                pipeline.drain(Duration.ofSeconds(20));
            }
        }
    }

    /** A forced stop counts every worker's message as left, exactly. */
    @Test
    void aForcedStopReportsWhatEachWorkerWasHandling() throws Exception {
        CountDownLatch fourBusy = new CountDownLatch(4);
        Pipeline pipeline = Pipeline.builder("stuck-workers")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < 10; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("slow", Integer.class, i -> {
                    fourBusy.countDown();
                    Thread.sleep(600_000);
                })
                .connect("ids.out_ids", "slow.in_ids")
                .workers("slow", 4)
                .build();
        pipeline.start();
        fourBusy.await();
        DrainReport report = pipeline.drain(Duration.ofMillis(200));
        assertThat(report.completed()).isFalse();
        assertThat(report.leftovers()).containsEntry("slow.in_ids", 10);
        assertThat(report.unfinished())
                .extracting(DrainReport.Leftover::message)
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    /** While one worker holds an early message, later ones finish: the port's finished count is a prefix. */
    @Test
    void theFinishedCountNeverPassesAMessageStillBeingHandled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        Pipeline pipeline = Pipeline.builder("prefix")
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; i < 100; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("work", Integer.class, i -> {
                    if (i == 3) {
                        release.await();
                    }
                    done.incrementAndGet();
                })
                .connect("ids.out_ids", "work.in_ids")
                .workers("work", 4)
                .build();
        pipeline.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 99);
        assertThat(pipeline.inputPort("work", "in_ids").measurements().messagesFinished())
                .isEqualTo(3);
        release.countDown();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.inputPort("work", "in_ids").measurements().messagesFinished())
                .isEqualTo(100);
    }

    @Test
    void workersCanBeAddedAndRemovedWhileItRuns() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Pipeline pipeline = Pipeline.builder("resize")
                .meterRegistry(registry)
                .source("ids", Integer.class, ctx -> {
                    for (int i = 0; ctx.isRunning(); i++) {
                        ctx.emit(i);
                    }
                })
                .sink("work", Integer.class, i -> {
                    Thread.sleep(1);
                    handled.incrementAndGet();
                })
                .connect("ids.out_ids", "work.in_ids")
                .workers("work", Workers.between(1, 8))
                .build();
        pipeline.start();
        HandlerRunner runner = (HandlerRunner) runnerOf(pipeline, "work");
        assertThat(pipeline.workers("work")).isEqualTo(1);
        runner.setWorkers(6);
        assertThat(pipeline.workers("work")).isEqualTo(6);
        assertThat(registry.get("portflow.component.workers")
                        .tag("component", "work")
                        .gauge()
                        .value())
                .isEqualTo(6.0);
        runner.setWorkers(2);
        assertThat(pipeline.workers("work")).isEqualTo(2);
        runner.setWorkers(100); // clamped to max
        assertThat(pipeline.workers("work")).isEqualTo(8);
        runner.setWorkers(0); // clamped to min
        assertThat(pipeline.workers("work")).isEqualTo(1);
        int before = handled.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() > before + 100);
        DrainReport report = pipeline.drain(Duration.ofSeconds(10));
        assertThat(report.completed()).isTrue();
        assertThat(report.totalLeftovers()).isZero();
    }

    @SingleWorker("it appends to one file")
    static final class OneFile implements Sink<Integer> {
        @Override
        public void accept(Integer message) {}
    }

    @Test
    void definitionProblemsOfWorkers() {
        assertThatThrownBy(() -> Pipeline.builder("bad")
                        .source("ids", Integer.class, ctx -> ctx.emit(1))
                        .sink("file", Integer.class, new OneFile())
                        .connect("ids.out_ids", "file.in_ids")
                        .workers("file", 2)
                        .workers("ids", 2)
                        .workers("nobody", 2)
                        .orderedByKey("ids", m -> m)
                        .build())
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("sink 'file' cannot have more than one worker: it appends to one file")
                .hasMessageContaining("source 'ids' cannot have workers")
                .hasMessageContaining("workers set for unknown component 'nobody'")
                .hasMessageContaining("source 'ids' cannot be ordered by a key");
        assertThatThrownBy(() -> Workers.fixed(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Workers.between(4, 2)).hasMessageContaining("must not be below min");
        assertThatThrownBy(() -> Workers.fixed(1000)).hasMessageContaining("at most 256");
    }

    private static ComponentRunner runnerOf(Pipeline pipeline, String component) throws Exception {
        var field = Pipeline.class.getDeclaredField("runnerOf");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        var byNode = (java.util.Map<ComponentNode, ComponentRunner>) field.get(pipeline);
        return byNode.entrySet().stream()
                .filter(e -> e.getKey().name.equals(component))
                .findFirst()
                .orElseThrow()
                .getValue();
    }
}
