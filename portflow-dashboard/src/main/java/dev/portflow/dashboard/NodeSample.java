package dev.portflow.dashboard;

import java.util.List;

/**
 * One component over the last sampling interval.
 *
 * @param kind          {@code source}, {@code transformer}, {@code sink}, {@code router} or {@code merger}
 * @param busy          share of the interval spent handling messages (0..1)
 * @param idle          share spent waiting for input
 * @param backpressured share spent blocked on a full downstream buffer
 * @param inPerS        messages its input ports took per second
 * @param outPerS       messages its output ports sent per second
 * @param errorsPerS    errors counted on its ports per second
 * @param errorsTotal   errors counted on its ports since start
 */
public record NodeSample(String kind, double busy, double idle, double backpressured, double inPerS,
                         double outPerS, double errorsPerS, long errorsTotal) {

    /** The history series of a node, in the order of {@link #seriesValues()}. */
    static final List<String> SERIES = List.of("busy", "idle", "backpressured", "in_per_s", "out_per_s", "errors_per_s");

    double[] seriesValues() {
        return new double[] {busy, idle, backpressured, inPerS, outPerS, errorsPerS};
    }
}
