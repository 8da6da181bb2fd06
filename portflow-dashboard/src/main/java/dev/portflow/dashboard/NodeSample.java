package dev.portflow.dashboard;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One component over the last sampling interval. Its shares are of its worker time: with N workers
 * the interval holds N times its wall time, so a stage whose 4 workers are all busy is busy 1.0,
 * not 4.0.
 *
 * @param kind           {@code source}, {@code transformer}, {@code sink}, {@code router} or {@code merger}
 * @param busy           share of the worker time spent handling messages (0..1)
 * @param idle           share spent waiting for input
 * @param backpressured  share spent blocked on a full downstream buffer
 * @param inPerS         messages its input ports took per second
 * @param outPerS        messages its output ports sent per second
 * @param errorsPerS     errors counted on its ports per second
 * @param errorsTotal    errors counted on its ports since start
 * @param workers        workers handling its messages now (0 before start and once it has ended)
 * @param lastDecisionMs when the runtime last changed its workers (epoch milliseconds), {@code null} when
 *                       it never did or is not autoscaled: the page fetches the decisions when this changes
 * @param workersLimit   the most workers it can usefully have now: its max, or the ceiling its autoscaler
 *                       found below it (more workers did not raise throughput)
 */
record NodeSample(
        String kind,
        double busy,
        double idle,
        double backpressured,
        double inPerS,
        double outPerS,
        double errorsPerS,
        long errorsTotal,
        int workers,
        @Nullable Long lastDecisionMs,
        int workersLimit) {

    /** A sample of a component that can use as many workers as it may have. */
    NodeSample(
            String kind,
            double busy,
            double idle,
            double backpressured,
            double inPerS,
            double outPerS,
            double errorsPerS,
            long errorsTotal,
            int workers,
            @Nullable Long lastDecisionMs) {
        this(
                kind,
                busy,
                idle,
                backpressured,
                inPerS,
                outPerS,
                errorsPerS,
                errorsTotal,
                workers,
                lastDecisionMs,
                Integer.MAX_VALUE);
    }

    /** The history series of a node, in the order of {@link #seriesValues()}. */
    static final List<String> SERIES =
            List.of("busy", "idle", "backpressured", "in_per_s", "out_per_s", "errors_per_s", "workers");

    double[] seriesValues() {
        return new double[] {busy, idle, backpressured, inPerS, outPerS, errorsPerS, workers};
    }
}
