package dev.portflow.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Finds the component holding the pipeline back: the busiest component (busy at least
 * {@value #MIN_BUSY} of its worker time) with an input buffer at least {@value #FULL} full while
 * every one of its output buffers is below that, and that cannot get more workers. A component
 * whose outputs are full is waiting on its downstream, which is where the cause is, so it never
 * qualifies.
 *
 * <p>Workers: a component on a fixed number of workers is at its maximum; an autoscaled one is at
 * its maximum when it runs on {@link Topology.Node#workersMax()} workers. An autoscaled component
 * that qualifies below its maximum is reported as {@link Scaling} ("widening") instead: the runtime
 * can still add workers, so it is not yet the limit.
 */
final class BottleneckFinder {

    /** Fill from which a buffer counts as full (the page's red). */
    static final double FULL = 0.8;
    /** Busy share (of worker time) a bottleneck has at least. */
    static final double MIN_BUSY = 0.5;

    /** What one frame's figures say: the bottleneck, if any, and the stages still widening. */
    record Findings(@Nullable Bottleneck bottleneck, List<Scaling> scaling) {}

    /** A busy component with a full input and free outputs, and the figures that make it so. */
    private record Candidate(
            Topology.Node node,
            NodeSample sample,
            Topology.Edge input,
            double inputFill,
            double outputFill,
            boolean hasOutputs) {

        /** The most workers it can usefully have: its max, or a ceiling the autoscaler found below it. */
        int limit() {
            return Math.min(node.workersMax(), sample.workersLimit());
        }

        boolean canWiden() {
            return node.autoscaled() && sample.workers() < limit();
        }

        /** "busy 97% of the time, its input X is 100% full while its outputs are at most 3% full" */
        String figures() {
            String outputs = hasOutputs
                    ? String.format(Locale.ROOT, " while its outputs are at most %d%% full", percent(outputFill))
                    : " and it has no outputs to wait on";
            // with several workers the share is of their summed time, and says so
            String of = node.workersMax() > 1 ? "worker time" : "the time";
            return String.format(
                    Locale.ROOT,
                    "busy %d%% of %s, its input %s is %d%% full%s",
                    percent(sample.busy()),
                    of,
                    input.id(),
                    percent(inputFill),
                    outputs);
        }
    }

    private BottleneckFinder() {}

    /** The bottleneck of one frame's figures, or {@code null} when no component qualifies. */
    static @Nullable Bottleneck find(Topology topology, Map<String, NodeSample> nodes, Map<String, EdgeSample> edges) {
        return examine(topology, nodes, edges).bottleneck();
    }

    /** The bottleneck of one frame's figures and the autoscaled components still widening, in topological order. */
    static Findings examine(Topology topology, Map<String, NodeSample> nodes, Map<String, EdgeSample> edges) {
        Candidate best = null;
        List<Scaling> scaling = new ArrayList<>();
        for (Topology.Node node : topology.nodes()) {
            Candidate candidate = candidate(topology, node, nodes.get(node.name()), edges);
            if (candidate == null) {
                continue;
            }
            if (candidate.canWiden()) {
                scaling.add(new Scaling(
                        node.name(),
                        candidate.input().id(),
                        candidate.sample().workers(),
                        node.workersMax(),
                        String.format(
                                Locale.ROOT,
                                "%s is widening (%d of %d workers): %s.",
                                node.name(),
                                candidate.sample().workers(),
                                node.workersMax(),
                                candidate.figures())));
                continue;
            }
            if (best == null
                    || candidate.sample().busy() > best.sample().busy()
                    || (candidate.sample().busy() == best.sample().busy()
                            && candidate.inputFill() > best.inputFill())) {
                best = candidate;
            }
        }
        return new Findings(best == null ? null : bottleneck(best), List.copyOf(scaling));
    }

    /** {@code node} if it is busy with a full input and free outputs, else {@code null}. */
    private static @Nullable Candidate candidate(
            Topology topology, Topology.Node node, @Nullable NodeSample sample, Map<String, EdgeSample> edges) {
        if (sample == null || sample.busy() < MIN_BUSY) {
            return null;
        }
        Topology.Edge fullestInput = null;
        double inputFill = -1;
        double outputFill = 0;
        boolean hasOutputs = false;
        for (Topology.Edge edge : topology.edges()) {
            hasOutputs |= edge.from().equals(node.name());
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
            return null;
        }
        return new Candidate(node, sample, fullestInput, inputFill, outputFill, hasOutputs);
    }

    private static Bottleneck bottleneck(Candidate c) {
        String name = c.node().name();
        // one worker reads as before; a widened stage says it has no workers left to add, or that
        // more did not help (the autoscaler's ceiling below its max)
        String limit = c.limit() < c.node().workersMax()
                ? String.format(
                        Locale.ROOT,
                        " at %d of its %d workers (more did not raise its throughput)",
                        c.sample().workers(),
                        c.node().workersMax())
                : c.node().workersMax() > 1
                        ? String.format(
                                Locale.ROOT,
                                " at its maximum of %d workers",
                                c.node().workersMax())
                        : "";
        return new Bottleneck(
                name,
                c.input().id(),
                String.format(Locale.ROOT, "%s is the bottleneck%s: %s.", name, limit, c.figures()));
    }

    private static long percent(double share) {
        return Math.round(share * 100);
    }
}
