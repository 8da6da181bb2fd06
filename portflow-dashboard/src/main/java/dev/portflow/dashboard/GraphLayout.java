package dev.portflow.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Places a directed acyclic graph in columns and rows for a left-to-right drawing.
 *
 * <p>A node's column is its longest path from a node without inputs, so every edge points right.
 * Within a column, nodes are ordered by the barycentre heuristic (the mean row of their neighbours
 * in the column before, then after, repeated a few times), which removes most edge crossings of
 * pipeline-shaped graphs without the cost of an exact method.
 */
final class GraphLayout {

    /** Where a node goes. */
    record Place(int column, int row) {}

    private static final int SWEEPS = 4;

    private GraphLayout() {}

    /**
     * Lays out {@code nodes} (in a stable order, e.g. as declared) joined by {@code edges}
     * ({@code [from, to]} pairs; edges naming unknown nodes are ignored). Nodes on a cycle, which
     * a pipeline never has, are put in column 0 rather than failing.
     */
    static Map<String, Place> layout(List<String> nodes, List<String[]> edges) {
        Map<String, List<String>> successors = new HashMap<>();
        Map<String, List<String>> predecessors = new HashMap<>();
        Map<String, Integer> indegree = new HashMap<>();
        for (String n : nodes) {
            successors.put(n, new ArrayList<>());
            predecessors.put(n, new ArrayList<>());
            indegree.put(n, 0);
        }
        for (String[] e : edges) {
            if (successors.containsKey(e[0]) && successors.containsKey(e[1]) && !e[0].equals(e[1])) {
                successors.get(e[0]).add(e[1]);
                of(predecessors, e[1]).add(e[0]);
                indegree.merge(e[1], 1, Integer::sum);
            }
        }

        // Longest path layering in Kahn's topological order.
        Map<String, Integer> column = new HashMap<>();
        List<String> ready = new ArrayList<>();
        for (String n : nodes) {
            column.put(n, 0);
            if (of(indegree, n) == 0) {
                ready.add(n);
            }
        }
        for (int i = 0; i < ready.size(); i++) {
            String n = ready.get(i);
            for (String s : of(successors, n)) {
                column.merge(s, of(column, n) + 1, Math::max);
                if (indegree.merge(s, -1, Integer::sum) == 0) {
                    ready.add(s);
                }
            }
        }
        for (String n : nodes) {
            if (of(indegree, n) > 0) {
                column.put(n, 0); // on a cycle
            }
        }

        int columns = column.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<String>> byColumn = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            byColumn.add(new ArrayList<>());
        }
        for (String n : nodes) {
            byColumn.get(of(column, n)).add(n);
        }

        Map<String, Integer> row = new HashMap<>();
        byColumn.forEach(list -> number(list, row));
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            for (int c = 1; c < columns; c++) {
                reorder(byColumn.get(c), predecessors, row);
            }
            for (int c = columns - 2; c >= 0; c--) {
                reorder(byColumn.get(c), successors, row);
            }
        }

        Map<String, Place> places = new LinkedHashMap<>();
        for (String n : nodes) {
            places.put(n, new Place(of(column, n), of(row, n)));
        }
        return places;
    }

    /** Sorts {@code list} by the mean row of each node's {@code neighbours} (stable; nodes without keep their row). */
    private static void reorder(List<String> list, Map<String, List<String>> neighbours, Map<String, Integer> row) {
        Map<String, Double> key = new HashMap<>();
        for (String n : list) {
            List<String> near = of(neighbours, n);
            key.put(
                    n,
                    near.isEmpty()
                            ? of(row, n).intValue()
                            : near.stream().mapToInt(row::get).average().orElse(0));
        }
        list.sort(Comparator.comparingDouble(key::get));
        number(list, row);
    }

    /** The value of {@code node} in one of the maps above, which hold one for every node. */
    private static <V> V of(Map<String, V> map, String node) {
        return Objects.requireNonNull(map.get(node), node);
    }

    private static void number(List<String> list, Map<String, Integer> row) {
        for (int i = 0; i < list.size(); i++) {
            row.put(list.get(i), i);
        }
    }
}
