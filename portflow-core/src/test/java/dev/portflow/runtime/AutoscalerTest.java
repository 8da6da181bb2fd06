package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Emitter;
import dev.portflow.port.ConnectionOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's acceptance for the autoscaler, on a real pipeline in real time (the rule itself is
 * tested against a simulated stage in ScalingPolicySimulationTest).
 */
@Timeout(300)
class AutoscalerTest {

    /**
     * How long the test watches the widened stage hold after a load step. Issue 12's acceptance says 60 s
     * ({@code -Dportflow.autoscaler.holdSeconds=60}, and {@code bench/run-workers step} at full length);
     * {@code ./mvnw verify} watches 30 s to stay within its time budget.
     */
    private static final int HOLD_SECONDS = Integer.getInteger("portflow.autoscaler.holdSeconds", 30);

    /** A source that offers {@code rate} messages a second, blocking when the stage is full. */
    private static Pipeline stepPipeline(AtomicInteger rate, SimpleMeterRegistry registry) {
        return Pipeline.builder("step")
                .meterRegistry(registry)
                .source("gen", Integer.class, ctx -> {
                    long next = System.nanoTime();
                    for (int i = 0; ctx.isRunning(); i++) {
                        next += 1_000_000_000L / rate.get();
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        } else if (wait < -1_000_000_000L) {
                            next = System.nanoTime(); // fell behind while blocked: no catch-up burst
                        }
                        ctx.emit(i);
                    }
                })
                .transformer("stage", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    Thread.sleep(5); // I/O-bound: waiting, no CPU
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "stage.in_n", ConnectionOptions.defaults().capacity(1024))
                .connect("stage.out_n", "sink.in_n")
                .workers("stage", Workers.between(1, 16))
                .build();
    }

    /**
     * Load steps from 100/s to 1,000/s into a 5 ms stage: the backlog stops growing within 10 s, with at
     * most 3 decisions, and the worker count changes at most once more in the next {@link #HOLD_SECONDS}
     * (60 s in the acceptance); after the load drops back, the workers return toward min within 60 s.
     */
    @Test
    void aLoadStepIsMetWithinTenSecondsAndTheStageNarrowsAfterIt() throws Exception {
        AtomicInteger rate = new AtomicInteger(100);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Pipeline pipeline = stepPipeline(rate, registry).start();
        try {
            Thread.sleep(5_000); // 100/s x 5 ms: half a worker (one, or two on a slow machine)
            int before = pipeline.scalingDecisions("stage").size();

            rate.set(1000);
            long step = System.nanoTime();
            List<Integer> backlog = new ArrayList<>(); // one reading a second after the step
            List<Integer> workers = new ArrayList<>();
            int decisionsBy10s = 0;
            int watched = 10 + HOLD_SECONDS;
            for (int s = 1; s <= watched; s++) {
                sleepUntil(step, s);
                backlog.add(pipeline.inputPort("stage", "in_n").metrics().queueDepth());
                workers.add(pipeline.workers("stage"));
                if (s == 10) {
                    decisionsBy10s = pipeline.scalingDecisions("stage").size() - before;
                }
            }
            String trace =
                    "backlog " + backlog + ", workers " + workers + ", decisions " + pipeline.scalingDecisions("stage");
            int peak = backlog.subList(0, 10).stream().max(Integer::compare).orElseThrow();
            int after =
                    backlog.subList(10, watched).stream().max(Integer::compare).orElseThrow();
            assertThat(after)
                    .as("the backlog stopped growing within 10 s of the step: " + trace)
                    .isLessThanOrEqualTo(peak);
            assertThat(backlog.get(watched - 1)).as("and drained: " + trace).isLessThan(100);
            assertThat(decisionsBy10s)
                    .as("at most 3 decisions to meet the step: " + trace)
                    .isBetween(1, 3);
            int changes = 0;
            for (int s = 10; s < watched; s++) {
                if (!workers.get(s).equals(workers.get(s - 1))) {
                    changes++;
                }
            }
            assertThat(changes)
                    .as("at most one more change in the following " + HOLD_SECONDS + " s: " + trace)
                    .isLessThanOrEqualTo(1);
            int high = workers.get(watched - 1);

            rate.set(100);
            long drop = System.nanoTime();
            List<Integer> narrowing = new ArrayList<>();
            for (int s = 1; s <= 60; s++) { // stops once narrowed: the acceptance is "within 60 s"
                sleepUntil(drop, s);
                narrowing.add(pipeline.workers("stage"));
                if (narrowing.getLast() <= 2 && narrowing.getLast() < high) {
                    break;
                }
            }
            int narrowed = narrowing.getLast();
            assertThat(narrowed)
                    .as("back toward min within 60 s: %s from %d", narrowing, high)
                    .isLessThanOrEqualTo(2)
                    .isLessThan(high);
            assertThat(registry.get("portflow.component.scaling.decisions")
                            .tag("direction", "up")
                            .functionCounter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(registry.get("portflow.component.workers.desired")
                            .gauge()
                            .value())
                    .as("the desired-workers gauge (the autoscaler may narrow again after the read)")
                    .isBetween(1.0, (double) narrowed);
            assertThat(pipeline.scalingDecisions("stage"))
                    .allSatisfy(d -> assertThat(d.reason()).isNotBlank());
        } finally {
            DrainReport report = pipeline.drain(Duration.ofSeconds(30));
            assertThat(report.completed()).isTrue();
            assertThat(report.totalLeftovers()).isZero();
        }
    }

    /** A CPU-bound stage on 2 cores stops widening at 3 workers at most, and says why. */
    @Test
    void aCpuBoundStageStopsWideningWhenMoreWorkersDoNotHelp() throws Exception {
        long perMillisecond = iterationsPerMillisecond();
        Pipeline pipeline = Pipeline.builder("cpu")
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; ctx.isRunning(); i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("stage", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    // about 1 ms of CPU: a fixed amount of work, not a spin until a wall-clock deadline,
                    // which ends on time even for a thread the OS keeps descheduled and so scaled with
                    // the workers beyond the cores (2 -> 4 "raised throughput 101 %", a failed run)
                    burned.addAndGet(work(perMillisecond));
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "stage.in_n", ConnectionOptions.defaults().capacity(1024))
                .connect("stage.out_n", "sink.in_n")
                .workers("stage", Workers.between(1, 16))
                .build()
                .start();
        try {
            List<Integer> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int s = 1; s <= 30; s++) {
                sleepUntil(start, s);
                workers.add(pipeline.workers("stage"));
            }
            String trace = "workers " + workers + ", decisions " + pipeline.scalingDecisions("stage") + ", status "
                    + pipeline.scalingStatus("stage");
            assertThat(workers.subList(20, 30)).as(trace).allMatch(w -> w <= 3);
            // and says why: a widening it measured and took back, or (when the widening helped a little,
            // as it can on 2 cores shared with the rest of a CI run) the hold it is in now
            boolean tookBack = pipeline.scalingDecisions("stage").stream()
                    .anyMatch(d -> d.reason().contains("more workers do not help"));
            assertThat(tookBack
                            || String.valueOf(pipeline.scalingStatus("stage")).contains("not widening"))
                    .as(trace)
                    .isTrue();
        } finally {
            pipeline.drain(Duration.ofSeconds(30));
        }
    }

    /** Where {@link #work}'s results go, so the JIT cannot drop the work. */
    private final AtomicLong burned = new AtomicLong();

    /** {@code iterations} steps of a linear congruential generator: CPU work that takes no memory. */
    private static long work(long iterations) {
        long x = iterations;
        for (long k = 0; k < iterations; k++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    /** How many {@link #work} iterations take about 1 ms on this machine (the fastest of a few warmed-up tries). */
    private long iterationsPerMillisecond() {
        long iterations = 1_000_000;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            burned.addAndGet(work(iterations));
            best = Math.min(best, System.nanoTime() - start);
        }
        return Math.max(1, iterations * TimeUnit.MILLISECONDS.toNanos(1) / Math.max(1, best));
    }

    private static void sleepUntil(long origin, int seconds) throws InterruptedException {
        long wait = origin + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
