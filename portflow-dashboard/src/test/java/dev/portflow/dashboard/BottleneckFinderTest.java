package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class BottleneckFinderTest {

    // gen -> parse -> slow -> store
    private static final Topology TOPOLOGY = new Topology(
            "p",
            4,
            1,
            1000,
            300,
            List.of(node("gen", 0), node("parse", 1), node("slow", 2), node("store", 3)),
            List.of(edge("gen", "parse"), edge("parse", "slow"), edge("slow", "store")),
            List.of());

    private static Topology.Node node(String name, int column) {
        return new Topology.Node(name, "transformer", column, 0, List.of(), List.of());
    }

    private static Topology.Edge edge(String from, String to) {
        return new Topology.Edge(id(from, to), from, "out_x", to, "in_x", 100, "BLOCK");
    }

    private static String id(String from, String to) {
        return from + ".out_x->" + to + ".in_x";
    }

    private static NodeSample busy(double share) {
        return busy(share, 1);
    }

    /** Busy {@code share} of the worker time of {@code workers} workers. */
    private static NodeSample busy(double share, int workers) {
        return new NodeSample("transformer", share, 1 - share, 0, 0, 0, 0, 0, workers, null);
    }

    /** gen -> parse -> archive -> store, archive on {@code min..max} workers. */
    private static Topology widened(int min, int max) {
        return new Topology(
                "p",
                4,
                1,
                1000,
                300,
                List.of(
                        node("gen", 0),
                        node("parse", 1),
                        new Topology.Node("archive", "transformer", 2, 0, List.of(), List.of(), min, max, false),
                        node("store", 3)),
                List.of(edge("gen", "parse"), edge("parse", "archive"), edge("archive", "store")),
                List.of());
    }

    private static final Map<String, EdgeSample> ARCHIVE_INPUT_FULL =
            Map.of(id("gen", "parse"), fill(0.3), id("parse", "archive"), fill(1.0), id("archive", "store"), fill(0.0));

    private static EdgeSample fill(double fill) {
        return new EdgeSample((int) (fill * 100), 100, fill, 0, 0, null, null, 0, 0, 0, Map.of(), Map.of());
    }

    @Test
    void theBusyStageWithAFullInputAndFreeOutputIsTheBottleneck() {
        Bottleneck b = found(
                TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.2), "slow", busy(0.97), "store", busy(0.05)),
                Map.of(id("gen", "parse"), fill(0.9), id("parse", "slow"), fill(1.0), id("slow", "store"), fill(0.0)));
        assertThat(b).isNotNull();
        assertThat(b.component()).isEqualTo("slow");
        assertThat(b.edge()).isEqualTo(id("parse", "slow"));
        assertThat(b.reason())
                .isEqualTo("slow is the bottleneck: busy 97% of the time, its input parse.out_x->slow.in_x"
                        + " is 100% full while its outputs are at most 0% full.");
    }

    @Test
    void aStageWaitingOnAFullOutputIsNotTheCause() {
        // parse is busy and its input is full, but its output is full too: it waits on slow
        Bottleneck b = found(
                TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.99), "slow", busy(0.9), "store", busy(0.05)),
                Map.of(id("gen", "parse"), fill(1.0), id("parse", "slow"), fill(0.95), id("slow", "store"), fill(0.1)));
        assertThat(b.component()).isEqualTo("slow");
    }

    @Test
    void aSinkCanBeTheBottleneck() {
        Bottleneck b = found(
                TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.1), "slow", busy(0.1), "store", busy(0.8)),
                Map.of(id("gen", "parse"), fill(0.0), id("parse", "slow"), fill(0.0), id("slow", "store"), fill(0.85)));
        assertThat(b.component()).isEqualTo("store");
        assertThat(b.reason()).endsWith("is 85% full and it has no outputs to wait on.");
    }

    @Test
    void noFullBufferMeansNoBottleneck() {
        assertThat(BottleneckFinder.find(
                        TOPOLOGY,
                        Map.of("gen", busy(0.9), "parse", busy(0.9), "slow", busy(0.9), "store", busy(0.9)),
                        Map.of(
                                id("gen", "parse"),
                                fill(0.79),
                                id("parse", "slow"),
                                fill(0.5),
                                id("slow", "store"),
                                fill(0.0))))
                .isNull();
    }

    @Test
    void anIdleStageBehindAFullBufferIsNotTheBottleneck() {
        // a full buffer in front of a component that is not busy (e.g. stalled elsewhere) is not its doing
        assertThat(BottleneckFinder.find(
                        TOPOLOGY,
                        Map.of("gen", busy(0.1), "parse", busy(0.1), "slow", busy(0.3), "store", busy(0.1)),
                        Map.of(
                                id("gen", "parse"),
                                fill(0.0),
                                id("parse", "slow"),
                                fill(1.0),
                                id("slow", "store"),
                                fill(0.0))))
                .isNull();
    }

    @Test
    void aBusyStageWithAnEmptyInputIsNotTheBottleneck() {
        Bottleneck b = found(
                TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.7), "slow", busy(0.6), "store", busy(0.1)),
                Map.of(id("gen", "parse"), fill(1.0), id("parse", "slow"), fill(0.0), id("slow", "store"), fill(0.0)));
        // slow is busy but has nothing waiting; parse's input is full while its output is free
        assertThat(b.component()).isEqualTo("parse");
    }

    @Test
    void aStageAtItsMaximumOfWorkersIsTheBottleneckAndSaysSo() {
        BottleneckFinder.Findings f = BottleneckFinder.examine(
                widened(2, 8),
                Map.of("gen", busy(0.1), "parse", busy(0.2), "archive", busy(0.97, 8), "store", busy(0.05)),
                ARCHIVE_INPUT_FULL);
        assertThat(found(f).component()).isEqualTo("archive");
        assertThat(found(f).reason())
                .isEqualTo(
                        "archive is the bottleneck at its maximum of 8 workers: busy 97%"
                                + " of worker time, its input parse.out_x->archive.in_x is 100% full while its outputs are at most 0% full.");
        assertThat(f.scaling()).isEmpty();
    }

    @Test
    void aFixedNumberOfWorkersCountsAsAtItsMaximum() {
        Bottleneck b = found(
                widened(4, 4),
                Map.of("gen", busy(0.1), "parse", busy(0.2), "archive", busy(0.9, 4), "store", busy(0.05)),
                ARCHIVE_INPUT_FULL);
        assertThat(b.component()).isEqualTo("archive");
        assertThat(b.reason())
                .startsWith("archive is the bottleneck at its maximum of 4 workers: busy 90% of worker time,");
    }

    /** More workers did not help (the autoscaler's ceiling): held below its max, it is the bottleneck. */
    @Test
    void anAutoscaledStageHeldAtTheCeilingItFoundIsTheBottleneck() {
        NodeSample held = new NodeSample("transformer", 0.99, 0.01, 0, 0, 0, 0, 0, 2, null, 2);
        BottleneckFinder.Findings f = BottleneckFinder.examine(
                widened(1, 16),
                Map.of("gen", busy(0.1), "parse", busy(0.2), "archive", held, "store", busy(0.05)),
                ARCHIVE_INPUT_FULL);
        assertThat(f.scaling()).isEmpty();
        assertThat(found(f).reason())
                .isEqualTo("archive is the bottleneck at 2 of its 16 workers (more did not"
                        + " raise its throughput): busy 99% of worker time, its input parse.out_x->archive.in_x is 100% full"
                        + " while its outputs are at most 0% full.");
    }

    @Test
    void anAutoscaledStageBelowItsMaximumIsWideningNotTheBottleneck() {
        BottleneckFinder.Findings f = BottleneckFinder.examine(
                widened(1, 16),
                Map.of("gen", busy(0.1), "parse", busy(0.2), "archive", busy(0.98, 3), "store", busy(0.05)),
                ARCHIVE_INPUT_FULL);
        assertThat(f.bottleneck()).isNull();
        assertThat(f.scaling()).singleElement().satisfies(s -> {
            assertThat(s.component()).isEqualTo("archive");
            assertThat(s.edge()).isEqualTo(id("parse", "archive"));
            assertThat(s.workers()).isEqualTo(3);
            assertThat(s.workersMax()).isEqualTo(16);
            assertThat(s.reason())
                    .isEqualTo("archive is widening (3 of 16 workers): busy 98% of worker time, its input"
                            + " parse.out_x->archive.in_x is 100% full while its outputs are at most 0% full.");
        });
    }

    @Test
    void aWideningStageLeavesTheBottleneckToOneThatCannotGrow() {
        // gen -> parse (1..16 workers) -> slow -> store (one worker): parse is busier, but can still get workers
        Topology topology = new Topology(
                "p",
                4,
                1,
                1000,
                300,
                List.of(
                        node("gen", 0),
                        new Topology.Node("parse", "transformer", 1, 0, List.of(), List.of(), 1, 16, false),
                        node("slow", 2),
                        node("store", 3)),
                List.of(edge("gen", "parse"), edge("parse", "slow"), edge("slow", "store")),
                List.of());
        BottleneckFinder.Findings f = BottleneckFinder.examine(
                topology,
                Map.of("gen", busy(0.1), "parse", busy(0.99, 2), "slow", busy(0.6), "store", busy(0.8)),
                Map.of(id("gen", "parse"), fill(0.9), id("parse", "slow"), fill(0.3), id("slow", "store"), fill(0.85)));
        assertThat(found(f).component()).isEqualTo("store");
        assertThat(found(f).reason()).startsWith("store is the bottleneck: busy 80% of the time,");
        assertThat(f.scaling()).extracting(Scaling::component).containsExactly("parse");
        assertThat(f.scaling().getFirst().reason())
                .startsWith("parse is widening (2 of 16 workers): busy 99% of worker time,");
    }

    @Test
    void anAutoscaledStageThatReachedItsMaximumIsTheBottleneck() {
        BottleneckFinder.Findings f = BottleneckFinder.examine(
                widened(1, 16),
                Map.of("gen", busy(0.1), "parse", busy(0.2), "archive", busy(0.95, 16), "store", busy(0.05)),
                ARCHIVE_INPUT_FULL);
        assertThat(found(f).reason()).startsWith("archive is the bottleneck at its maximum of 16 workers:");
        assertThat(f.scaling()).isEmpty();
    }

    @Test
    void aWideningStageWaitingOnAFullOutputIsNeither() {
        BottleneckFinder.Findings f = BottleneckFinder.examine(
                widened(1, 16),
                Map.of("gen", busy(0.1), "parse", busy(0.2), "archive", busy(0.95, 3), "store", busy(0.1)),
                Map.of(
                        id("gen", "parse"),
                        fill(0.3),
                        id("parse", "archive"),
                        fill(1.0),
                        id("archive", "store"),
                        fill(0.9)));
        assertThat(f.bottleneck()).isNull();
        assertThat(f.scaling()).isEmpty();
    }

    /** The bottleneck {@link BottleneckFinder#find} names, which the test expects there to be. */
    private static Bottleneck found(Topology topology, Map<String, NodeSample> nodes, Map<String, EdgeSample> edges) {
        return Objects.requireNonNull(BottleneckFinder.find(topology, nodes, edges), "no bottleneck found");
    }

    /** The bottleneck of {@code findings}, which the test expects there to be. */
    private static Bottleneck found(BottleneckFinder.Findings findings) {
        return Objects.requireNonNull(findings.bottleneck(), "no bottleneck found");
    }
}
