package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final Topology TOPOLOGY = new Topology(
            "p",
            2,
            1,
            1000,
            5,
            List.of(
                    new Topology.Node("a", "source", 0, 0, List.of(), List.of("out_x")),
                    new Topology.Node("b", "sink", 1, 0, List.of("in_x"), List.of())),
            List.of(new Topology.Edge("a.out_x->b.in_x", "a", "out_x", "b", "in_x", 10, "BLOCK")),
            List.of());

    private static Frame frame(long seq, int depth, @Nullable Double ageP99) {
        return new Frame(
                seq,
                1_000_000L + seq * 1000,
                1000,
                "RUNNING",
                Map.of("a", new NodeSample("source", 0.25, 0.75, 0, 0, seq, 0, 0, 1, null)),
                Map.of(
                        "a.out_x->b.in_x",
                        new EdgeSample(depth, 10, depth / 10.0, 5, 4, ageP99, ageP99, 0, 0, 0, Map.of(), Map.of())),
                null,
                List.of(),
                List.of());
    }

    @Test
    @SuppressWarnings("unchecked")
    void keepsAFixedNumberOfSamplesPerSeries() {
        History history = new History(TOPOLOGY, 5);
        for (int i = 0; i < 1000; i++) {
            history.append(frame(i, i % 10, (double) i));
        }
        Map<String, Object> edge = history.edge("a.out_x->b.in_x").orElseThrow();
        assertThat((List<Double>) edge.get("time")).containsExactly(1995.0, 1996.0, 1997.0, 1998.0, 1999.0);
        Map<String, List<Double>> series = (Map<String, List<Double>>) Objects.requireNonNull(edge.get("series"));
        assertThat(series.keySet()).containsExactlyElementsOf(EdgeSample.SERIES);
        assertThat(series.get("depth")).containsExactly(5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(series.get("age_p99_ms")).containsExactly(995.0, 996.0, 997.0, 998.0, 999.0);
        series.values().forEach(values -> assertThat(values).hasSize(5));
    }

    @Test
    @SuppressWarnings("unchecked")
    void missingValuesAreNullsNotNaN() {
        History history = new History(TOPOLOGY, 5);
        history.append(frame(1, 3, null));
        Map<String, List<Double>> edge = (Map<String, List<Double>>) Objects.requireNonNull(
                history.edge("a.out_x->b.in_x").orElseThrow().get("series"));
        assertThat(edge.get("age_p50_ms")).containsExactly((Double) null);
        // b is absent from the frame: a gap in each of its series
        Map<String, List<Double>> node = (Map<String, List<Double>>)
                Objects.requireNonNull(history.node("b").orElseThrow().get("series"));
        assertThat(node.get("busy")).containsExactly((Double) null);
        Map<String, List<Double>> a = (Map<String, List<Double>>)
                Objects.requireNonNull(history.node("a").orElseThrow().get("series"));
        assertThat(a.get("busy")).containsExactly(0.25);
        assertThat(a.get("workers")).containsExactly(1.0);
    }

    @Test
    void unknownElementsAreEmpty() {
        History history = new History(TOPOLOGY, 5);
        assertThat(history.edge("nope")).isEmpty();
        assertThat(history.node("nope")).isEmpty();
    }
}
