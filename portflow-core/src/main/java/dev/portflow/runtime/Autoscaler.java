package dev.portflow.runtime;

import dev.portflow.port.InputPort;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Sizes a pipeline's autoscaled stages ({@link Workers#between}): once per interval it reads each
 * stage's counters into a {@link StageSample}, asks the stage's {@link ScalingPolicy}, applies a
 * decision at once, logs it with its reason and keeps it ({@link Pipeline#scalingDecisions}). One
 * virtual thread per pipeline; it stops when the pipeline starts to drain.
 */
final class Autoscaler {

    private static final System.Logger LOG = System.getLogger("dev.portflow.scaling");

    /** An autoscaled stage: its node, its runner and its rule. */
    record Stage(ComponentNode node, HandlerRunner runner, ScalingPolicy policy) {}

    private final String pipeline;
    private final List<Stage> stages;
    private final long intervalNanos;
    private volatile boolean stopped;
    private @Nullable Thread thread; // set by start()

    Autoscaler(String pipeline, List<Stage> stages, ScalingSettings settings) {
        this.pipeline = pipeline;
        this.stages = List.copyOf(stages);
        this.intervalNanos = settings.interval().toNanos();
    }

    /** The policy of the autoscaled stage {@code node}, for gauges before and while it runs. */
    static ScalingPolicy policyFor(ComponentNode node, ScalingSettings settings) {
        return new ScalingPolicy(node.name, node.workers, settings, InstantSource.system());
    }

    void start() {
        // A platform thread, not a virtual one: the stages it measures run on virtual threads, and a
        // CPU-bound handler holds its carrier until it blocks. On a virtual thread the sampler would
        // wait for a carrier behind the very workers it should judge (seen on 2 cores: no sample for
        // seconds after a widening 1 -> 4, so the widening was never judged or taken back).
        thread = Thread.ofPlatform()
                .daemon()
                .name("portflow-" + pipeline + "-autoscaler")
                .start(this::run);
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        long next = System.nanoTime(); // the schedule is real time; samples are on the ticker's scale
        while (!stopped) {
            for (Stage stage : stages) {
                if (stage.runner().isFinished()) {
                    continue;
                }
                try {
                    ScalingDecision decision = stage.policy()
                            .observe(sample(stage, stage.node().ticker.read()));
                    if (decision != null && !stopped) {
                        stage.runner().setWorkers(decision.to());
                        stage.node().scalingLog.add(decision);
                        LOG.log(
                                Level.INFO,
                                "scaling '" + stage.node().name + "' of pipeline '" + pipeline + "' from "
                                        + decision.from() + " to " + decision.to() + " workers: " + decision.reason());
                    }
                } catch (RuntimeException e) {
                    LOG.log(
                            Level.WARNING,
                            "autoscaling of '" + stage.node().name + "' failed; it keeps its workers",
                            e);
                }
            }
            next += intervalNanos;
            long wait;
            while (!stopped && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** The stage's cumulative counters now. Workers: the count it runs at (leavers no longer count). */
    static StageSample sample(Stage stage, long now) {
        ComponentNode n = stage.node();
        long finished = 0;
        long arrived = 0;
        int depth = 0;
        int capacity = 0;
        for (InputPort<?> port : n.inputs.values()) {
            var m = port.measurements();
            int d = m.depth();
            finished += m.messagesFinished();
            arrived += m.messagesIn() + d;
            depth += d;
            capacity += m.capacity();
        }
        return new StageSample(
                now,
                stage.runner().workerCount(),
                n.times.nanos(ComponentTime.BUSY),
                n.times.nanos(ComponentTime.IDLE),
                n.times.nanos(ComponentTime.BACKPRESSURED),
                finished,
                arrived,
                depth,
                capacity);
    }
}
