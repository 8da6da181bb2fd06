package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BottleneckFinderTest {

    // gen -> parse -> slow -> store
    private static final Topology TOPOLOGY = new Topology("p", 4, 1, 1000, 300,
            List.of(node("gen", 0), node("parse", 1), node("slow", 2), node("store", 3)),
            List.of(edge("gen", "parse"), edge("parse", "slow"), edge("slow", "store")), List.of());

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
        return new NodeSample("transformer", share, 1 - share, 0, 0, 0, 0, 0);
    }

    private static EdgeSample fill(double fill) {
        return new EdgeSample((int) (fill * 100), 100, fill, 0, 0, null, null, 0, 0, 0, Map.of(), Map.of());
    }

    @Test
    void theBusyStageWithAFullInputAndFreeOutputIsTheBottleneck() {
        Bottleneck b = BottleneckFinder.find(TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.2), "slow", busy(0.97), "store", busy(0.05)),
                Map.of(id("gen", "parse"), fill(0.9), id("parse", "slow"), fill(1.0), id("slow", "store"), fill(0.0)));
        assertThat(b).isNotNull();
        assertThat(b.component()).isEqualTo("slow");
        assertThat(b.edge()).isEqualTo(id("parse", "slow"));
        assertThat(b.reason()).isEqualTo("slow is the bottleneck: busy 97% of the time, its input parse.out_x->slow.in_x"
                + " is 100% full while its outputs are at most 0% full.");
    }

    @Test
    void aStageWaitingOnAFullOutputIsNotTheCause() {
        // parse is busy and its input is full, but its output is full too: it waits on slow
        Bottleneck b = BottleneckFinder.find(TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.99), "slow", busy(0.9), "store", busy(0.05)),
                Map.of(id("gen", "parse"), fill(1.0), id("parse", "slow"), fill(0.95), id("slow", "store"), fill(0.1)));
        assertThat(b.component()).isEqualTo("slow");
    }

    @Test
    void aSinkCanBeTheBottleneck() {
        Bottleneck b = BottleneckFinder.find(TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.1), "slow", busy(0.1), "store", busy(0.8)),
                Map.of(id("gen", "parse"), fill(0.0), id("parse", "slow"), fill(0.0), id("slow", "store"), fill(0.85)));
        assertThat(b.component()).isEqualTo("store");
        assertThat(b.reason()).endsWith("is 85% full and it has no outputs to wait on.");
    }

    @Test
    void noFullBufferMeansNoBottleneck() {
        assertThat(BottleneckFinder.find(TOPOLOGY,
                Map.of("gen", busy(0.9), "parse", busy(0.9), "slow", busy(0.9), "store", busy(0.9)),
                Map.of(id("gen", "parse"), fill(0.79), id("parse", "slow"), fill(0.5), id("slow", "store"), fill(0.0))))
                .isNull();
    }

    @Test
    void anIdleStageBehindAFullBufferIsNotTheBottleneck() {
        // a full buffer in front of a component that is not busy (e.g. stalled elsewhere) is not its doing
        assertThat(BottleneckFinder.find(TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.1), "slow", busy(0.3), "store", busy(0.1)),
                Map.of(id("gen", "parse"), fill(0.0), id("parse", "slow"), fill(1.0), id("slow", "store"), fill(0.0))))
                .isNull();
    }

    @Test
    void aBusyStageWithAnEmptyInputIsNotTheBottleneck() {
        Bottleneck b = BottleneckFinder.find(TOPOLOGY,
                Map.of("gen", busy(0.1), "parse", busy(0.7), "slow", busy(0.6), "store", busy(0.1)),
                Map.of(id("gen", "parse"), fill(1.0), id("parse", "slow"), fill(0.0), id("slow", "store"), fill(0.0)));
        // slow is busy but has nothing waiting; parse's input is full while its output is free
        assertThat(b.component()).isEqualTo("parse");
    }
}
