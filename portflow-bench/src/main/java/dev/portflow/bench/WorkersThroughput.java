package dev.portflow.bench;

import dev.portflow.component.Emitter;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.ScalingDecision;
import dev.portflow.runtime.Workers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Workers against throughput, and the autoscaler's reaction to a load step (issue 12). Not a JMH
 * benchmark: each run is seconds of wall time through a real pipeline (source -> stage -> sink).
 *
 * <pre>
 * java -cp benchmarks.jar dev.portflow.bench.WorkersThroughput widths   # io and cpu stages at 1..16 workers
 * java -cp benchmarks.jar dev.portflow.bench.WorkersThroughput step     # 100/s -> 1,000/s into a 5 ms stage, workers {1, 16}
 * </pre>
 *
 * <ul>
 *   <li>io: the stage sleeps 5 ms per message (a JDBC store, an HTTP call: waiting, no CPU);</li>
 *   <li>cpu: the stage spins 1 ms per message (parsing, compression: one core each).</li>
 * </ul>
 */
public final class WorkersThroughput {

    private WorkersThroughput() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "widths";
        System.out.printf(
                Locale.ROOT,
                "# host: nproc=%d, jdk %s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        switch (what) {
            case "widths" -> widths();
            case "step" -> step(args.length > 1 ? Integer.parseInt(args[1]) : 60);
            default -> throw new IllegalArgumentException("widths or step");
        }
    }

    private static void widths() throws Exception {
        System.out.println("| stage | workers | messages | seconds | msg/s | x one worker |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String kind : new String[] {"io", "cpu"}) {
            double one = 0;
            for (int workers : new int[] {1, 2, 4, 8, 16}) {
                int messages = kind.equals("io") ? 400 * workers : 4000;
                double seconds = fixedRun(kind, workers, messages);
                double rate = messages / seconds;
                if (workers == 1) {
                    one = rate;
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %s (%s) | %d | %d | %.2f | %.0f | %.2f |%n",
                        kind,
                        kind.equals("io") ? "sleep 5 ms" : "spin 1 ms",
                        workers,
                        messages,
                        seconds,
                        rate,
                        rate / one);
            }
        }
    }

    private static void work(String kind) throws InterruptedException {
        if (kind.equals("io")) {
            Thread.sleep(5);
        } else {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    private static double fixedRun(String kind, int workers, int messages) throws Exception {
        Pipeline pipeline = Pipeline.builder("widths")
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < messages; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("stage", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    work(kind);
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "stage.in_n", ConnectionOptions.defaults().capacity(256))
                .connect("stage.out_n", "sink.in_n")
                .workers("stage", workers)
                .build();
        long start = System.nanoTime();
        pipeline.start();
        if (!pipeline.awaitTermination(Duration.ofMinutes(5))) {
            throw new IllegalStateException("run did not end");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Offered load steps from 100/s to 1,000/s at 10 s and back to 100/s {@code highSeconds} later, into
     * a 5 ms stage with workers {1, 16}; prints one line a second (offered, backlog, workers) and every
     * decision, then when the backlog stopped growing after the step.
     */
    private static void step(int highSeconds) throws Exception {
        AtomicInteger rate = new AtomicInteger(100);
        AtomicLong handled = new AtomicLong();
        Pipeline pipeline = Pipeline.builder("step")
                .source("gen", Integer.class, ctx -> {
                    long next = System.nanoTime();
                    for (int i = 0; ctx.isRunning(); i++) {
                        next += 1_000_000_000L / rate.get();
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        ctx.emit(i);
                    }
                })
                .transformer("stage", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    work("io");
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> handled.incrementAndGet())
                .connect("gen.out_n", "stage.in_n", ConnectionOptions.defaults().capacity(1024))
                .connect("stage.out_n", "sink.in_n")
                .workers("stage", Workers.between(1, 16))
                .build();
        pipeline.start();
        int total = 10 + highSeconds + 70;
        List<Integer> backlog = new ArrayList<>();
        int printedDecisions = 0;
        System.out.println("second,offered_per_s,backlog,workers,handled_per_s");
        long last = 0;
        for (int second = 0; second < total; second++) {
            if (second == 10) {
                rate.set(1000);
            }
            if (second == 10 + highSeconds) {
                rate.set(100);
            }
            Thread.sleep(1000);
            int depth = pipeline.inputPort("stage", "in_n").metrics().queueDepth();
            backlog.add(depth);
            long now = handled.get();
            System.out.printf(
                    Locale.ROOT,
                    "%d,%d,%d,%d,%d%n",
                    second + 1,
                    rate.get(),
                    depth,
                    pipeline.workers("stage"),
                    now - last);
            last = now;
            List<ScalingDecision> decisions = pipeline.scalingDecisions("stage");
            for (int d = printedDecisions; d < decisions.size(); d++) {
                ScalingDecision decision = decisions.get(d);
                System.out.printf(
                        Locale.ROOT, "#   decision %d -> %d: %s%n", decision.from(), decision.to(), decision.reason());
            }
            printedDecisions = decisions.size();
        }
        pipeline.drain(Duration.ofSeconds(30));
        int peakAt = 10;
        for (int s = 10; s < 10 + highSeconds; s++) {
            if (backlog.get(s) > backlog.get(peakAt)) {
                peakAt = s;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "# backlog peaked %d s after the step (%d messages)%n",
                peakAt + 1 - 10,
                backlog.get(peakAt));
    }
}
