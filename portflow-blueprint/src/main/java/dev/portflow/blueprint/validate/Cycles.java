package dev.portflow.blueprint.validate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cycles of a graph of components: its strongly connected groups (Tarjan's algorithm, with an
 * explicit stack instead of recursion, so a chain of any length is fine), each with one loop through
 * it. Linear in components and connections.
 */
final class Cycles {

    /** Loops longer than this are shown with their middle left out. */
    private static final int SHOWN = 16;

    /** {@link #loop}'s parent of a component not reached yet. */
    private static final int UNSEEN = -2;

    /**
     * One strongly connected group.
     *
     * @param members the components in it, in file order
     * @param loop    a path from the first member back to it through the group
     */
    record Cycle(List<String> members, List<String> loop) {

        /** {@code a -> b -> c -> a}; a long loop keeps its start and its end. */
        String describe() {
            if (loop.size() <= SHOWN) {
                return String.join(" -> ", loop);
            }
            int half = SHOWN / 2;
            return String.join(" -> ", loop.subList(0, half)) + " -> ... (" + (loop.size() - SHOWN) + " more) -> "
                    + String.join(" -> ", loop.subList(loop.size() - half, loop.size()));
        }
    }

    private Cycles() {}

    /**
     * The cycles among {@code next}'s components (in file order, each with the components its
     * connections lead to), ordered by their first member. A component connected to itself is a cycle.
     */
    static List<Cycle> find(Map<String, ? extends Collection<String>> next) {
        List<String> names = new ArrayList<>(next.keySet());
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            indexOf.put(names.get(i), i);
        }
        int[][] successors = new int[names.size()][];
        int row = 0;
        for (Collection<String> targets : next.values()) { // in the order of names
            successors[row++] = targets.stream().mapToInt(indexOf::get).toArray();
        }
        List<int[]> groups = stronglyConnected(successors);
        List<Cycle> cycles = new ArrayList<>();
        for (int[] group : groups) {
            int first = group[0];
            if (group.length == 1 && Arrays.stream(successors[first]).noneMatch(s -> s == first)) {
                continue;
            }
            List<String> members = Arrays.stream(group).mapToObj(names::get).toList();
            List<String> loop =
                    loop(first, group, successors).stream().map(names::get).toList();
            cycles.add(new Cycle(members, loop));
        }
        return cycles;
    }

    /** Tarjan's strongly connected components, each sorted, ordered by their smallest member. */
    private static List<int[]> stronglyConnected(int[][] successors) {
        int n = successors.length;
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        int[] stack = new int[n];
        int stackSize = 0;
        int[] callNode = new int[n]; // the explicit call stack: node and next successor to visit
        int[] callEdge = new int[n];
        int counter = 0;
        List<int[]> groups = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int depth = 0;
            callNode[0] = root;
            callEdge[0] = 0;
            index[root] = low[root] = counter++;
            stack[stackSize++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = callNode[depth];
                if (callEdge[depth] < successors[v].length) {
                    int w = successors[v][callEdge[depth]++];
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[stackSize++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callEdge[depth] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int start = stackSize;
                    do {
                        start--;
                        onStack[stack[start]] = false;
                    } while (stack[start] != v);
                    int[] group = Arrays.copyOfRange(stack, start, stackSize);
                    stackSize = start;
                    Arrays.sort(group);
                    groups.add(group);
                }
                depth--;
                if (depth >= 0) {
                    int parent = callNode[depth];
                    low[parent] = Math.min(low[parent], low[v]);
                }
            }
        }
        groups.sort((a, b) -> Integer.compare(a[0], b[0]));
        return groups;
    }

    /** A shortest path from {@code start} back to itself inside {@code group} (breadth first). */
    private static List<Integer> loop(int start, int[] group, int[][] successors) {
        int[] parent = new int[successors.length]; // UNSEEN until reached; -1 for start
        Arrays.fill(parent, UNSEEN);
        boolean[] member = new boolean[successors.length];
        for (int m : group) {
            member[m] = true;
        }
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        parent[start] = -1;
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int w : successors[v]) {
                if (w == start) {
                    List<Integer> path = new ArrayList<>();
                    for (int u = v; u != -1; u = parent[u]) {
                        path.add(u);
                    }
                    java.util.Collections.reverse(path);
                    path.add(start);
                    return path;
                }
                if (member[w] && parent[w] == UNSEEN) {
                    parent[w] = v;
                    queue.add(w);
                }
            }
        }
        return List.of(start, start);
    }
}
