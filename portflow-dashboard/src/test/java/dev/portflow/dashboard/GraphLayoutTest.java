package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {

    @Test
    void aChainIsOneRowLeftToRight() {
        Map<String, GraphLayout.Place> places =
                GraphLayout.layout(List.of("a", "b", "c"), List.of(new String[] {"a", "b"}, new String[] {"b", "c"}));
        assertThat(places.get("a")).isEqualTo(new GraphLayout.Place(0, 0));
        assertThat(places.get("b")).isEqualTo(new GraphLayout.Place(1, 0));
        assertThat(places.get("c")).isEqualTo(new GraphLayout.Place(2, 0));
    }

    @Test
    void aNodeSitsOneColumnRightOfItsLongestInputPath() {
        // a -> b -> c -> d and a -> d: d goes after c, not next to b
        Map<String, GraphLayout.Place> places = GraphLayout.layout(
                List.of("d", "c", "b", "a"),
                List.of(new String[] {"a", "b"}, new String[] {"b", "c"}, new String[] {"c", "d"}, new String[] {
                    "a", "d"
                }));
        assertThat(at(places, "a").column()).isZero();
        assertThat(at(places, "d").column()).isEqualTo(3);
    }

    @Test
    void twentyFourComponentsGetDistinctCellsAndEveryEdgePointsRight() {
        // a router fanning out to 6 branches of 3 stages, merged and stored: 1 + 18 + 1 + 1 + 3 = 24 nodes
        List<String> nodes = new ArrayList<>(List.of("api"));
        List<String[]> edges = new ArrayList<>();
        for (int branch = 0; branch < 6; branch++) {
            String previous = "api";
            for (int stage = 0; stage < 3; stage++) {
                String name = "b" + branch + "s" + stage;
                nodes.add(name);
                edges.add(new String[] {previous, name});
                previous = name;
            }
            edges.add(new String[] {previous, "merge"});
        }
        nodes.addAll(List.of("merge", "store", "audit", "dlq", "log"));
        edges.add(new String[] {"merge", "store"});
        edges.add(new String[] {"merge", "audit"});
        edges.add(new String[] {"api", "dlq"});
        edges.add(new String[] {"dlq", "log"});

        Map<String, GraphLayout.Place> places = GraphLayout.layout(nodes, edges);

        assertThat(places).hasSize(24);
        Set<GraphLayout.Place> cells = new HashSet<>(places.values());
        assertThat(cells).as("no two nodes share a cell").hasSize(24);
        for (String[] e : edges) {
            assertThat(at(places, e[1]).column())
                    .as(e[0] + " -> " + e[1])
                    .isGreaterThan(at(places, e[0]).column());
        }
        assertThat(at(places, "merge").column()).isEqualTo(4);
        // rows are dense from 0 in every column
        for (int column = 0; column <= 5; column++) {
            int c = column;
            List<Integer> rows = places.values().stream()
                    .filter(p -> p.column() == c)
                    .map(GraphLayout.Place::row)
                    .sorted()
                    .toList();
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void orderingWithinAColumnUncrossesParallelBranches() {
        // declared so that the naive order crosses: a->y, b->x with x declared before y
        Map<String, GraphLayout.Place> places = GraphLayout.layout(
                List.of("a", "b", "x", "y"), List.of(new String[] {"a", "y"}, new String[] {"b", "x"}));
        assertThat(at(places, "a").row() < at(places, "b").row())
                .isEqualTo(at(places, "y").row() < at(places, "x").row());
    }

    @Test
    void aCycleDoesNotHang() {
        Map<String, GraphLayout.Place> places =
                GraphLayout.layout(List.of("a", "b"), List.of(new String[] {"a", "b"}, new String[] {"b", "a"}));
        assertThat(places).hasSize(2);
    }

    /** Where {@code node} was placed; the layout places every node it is given. */
    private static GraphLayout.Place at(Map<String, GraphLayout.Place> places, String node) {
        return Objects.requireNonNull(places.get(node), node);
    }
}
