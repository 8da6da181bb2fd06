package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connections form no cycle, so end of stream reaches every component: a problem of the pipeline
 * per cycle ({@link Cycles} finds them), at the loop's first connection in the file.
 */
final class CycleCheck {

    private CycleCheck() {}

    /** Reports each strongly connected group of components once, naming one loop through it. */
    static void check(ValidationState state) {
        Map<String, Set<String>> next = new LinkedHashMap<>();
        state.components.keySet().forEach(c -> next.put(c, new LinkedHashSet<>()));
        for (Edge e : state.edges) { // both ends are registered components: already keys
            next.computeIfAbsent(e.fromEnd().component(), c -> new LinkedHashSet<>())
                    .add(e.toEnd().component());
        }
        List<Cycles.Cycle> cycles = Cycles.find(next);
        if (cycles.isEmpty()) {
            return;
        }
        Map<String, Cycles.Cycle> cycleOf = new HashMap<>();
        cycles.forEach(cycle -> cycle.members().forEach(m -> cycleOf.put(m, cycle)));
        Map<Cycles.Cycle, Position> firstConnection = new HashMap<>(); // the loop's first connection in the file
        for (Edge e : state.edges) {
            Cycles.Cycle cycle = cycleOf.get(e.fromEnd().component());
            if (cycle != null && cycle.equals(cycleOf.get(e.toEnd().component()))) {
                firstConnection.merge(cycle, e.spec().position(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        for (Cycles.Cycle cycle : cycles) {
            state.pipelineProblem(
                    firstConnection.getOrDefault(cycle, state.blueprint.position("connections")),
                    "the connections form a cycle: " + cycle.describe(),
                    "pipelines must be acyclic, so end of stream reaches every component; remove one of these connections");
        }
    }
}
