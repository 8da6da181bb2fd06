package dev.portflow.dashboard;

import java.util.Locale;
import java.util.Map;

/**
 * Finds the component holding the pipeline back: the busiest component (busy at least
 * {@value #MIN_BUSY} of the interval) with an input buffer at least {@value #FULL} full while
 * every one of its output buffers is below that. A component whose outputs are full is waiting on
 * its downstream, which is where the cause is, so it never qualifies.
 */
final class BottleneckFinder {

    /** Fill from which a buffer counts as full (the page's red). */
    static final double FULL = 0.8;
    /** Busy share a bottleneck has at least. */
    static final double MIN_BUSY = 0.5;

    private BottleneckFinder() {
    }

    /** The bottleneck of one frame's figures, or {@code null} when no component qualifies. */
    static Bottleneck find(Topology topology, Map<String, NodeSample> nodes, Map<String, EdgeSample> edges) {
        Topology.Node best = null;
        Topology.Edge bestInput = null;
        double bestBusy = -1;
        double bestFill = -1;
        double bestOutputFill = 0;
        for (Topology.Node node : topology.nodes()) {
            NodeSample sample = nodes.get(node.name());
            if (sample == null || sample.busy() < MIN_BUSY) {
                continue;
            }
            Topology.Edge fullestInput = null;
            double inputFill = -1;
            double outputFill = 0;
            for (Topology.Edge edge : topology.edges()) {
                EdgeSample e = edges.get(edge.id());
                if (e == null) {
                    continue;
                }
                if (edge.to().equals(node.name()) && e.fill() > inputFill) {
                    inputFill = e.fill();
                    fullestInput = edge;
                }
                if (edge.from().equals(node.name())) {
                    outputFill = Math.max(outputFill, e.fill());
                }
            }
            if (fullestInput == null || inputFill < FULL || outputFill >= FULL) {
                continue;
            }
            if (sample.busy() > bestBusy || (sample.busy() == bestBusy && inputFill > bestFill)) {
                best = node;
                bestInput = fullestInput;
                bestBusy = sample.busy();
                bestFill = inputFill;
                bestOutputFill = outputFill;
            }
        }
        if (best == null) {
            return null;
        }
        String name = best.name();
        boolean hasOutputs = topology.edges().stream().anyMatch(e -> e.from().equals(name));
        String outputs = hasOutputs
                ? String.format(Locale.ROOT, " while its outputs are at most %d%% full", percent(bestOutputFill))
                : " and it has no outputs to wait on";
        String reason = String.format(Locale.ROOT, "%s is the bottleneck: busy %d%% of the time, its input %s is %d%% full%s.",
                name, percent(bestBusy), bestInput.id(), percent(bestFill), outputs);
        return new Bottleneck(name, bestInput.id(), reason);
    }

    private static long percent(double share) {
        return Math.round(share * 100);
    }
}
