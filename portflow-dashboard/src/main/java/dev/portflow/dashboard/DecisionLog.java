package dev.portflow.dashboard;

import dev.portflow.runtime.ScalingDecision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard serves of a component's scaling decisions. They change rarely, so frames carry
 * only the time of the latest ({@link NodeSample#lastDecisionMs()}) and the page asks
 * {@code /dashboard/api/decisions?node=NAME} for the list when that time changes.
 */
final class DecisionLog {

    /** One decision as the page shows it. {@code time} is epoch milliseconds, like a frame's. */
    record Entry(long time, int from, int to, String reason) {

        static Entry of(ScalingDecision decision) {
            return new Entry(decision.epochMillis(), decision.from(), decision.to(), decision.reason());
        }
    }

    private DecisionLog() {}

    /** When the latest of {@code decisions} (oldest first) was taken, {@code null} when there is none. */
    static @Nullable Long latestTime(List<ScalingDecision> decisions) {
        return decisions.isEmpty() ? null : decisions.getLast().epochMillis();
    }

    /** The body of {@code /dashboard/api/decisions?node=NAME}: the node's bounds and its decisions, oldest first. */
    static Map<String, Object> json(Topology.Node node, List<ScalingDecision> decisions) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("element", node.name());
        out.put("workers_min", node.workersMin());
        out.put("workers_max", node.workersMax());
        out.put("decisions", decisions.stream().map(Entry::of).toList());
        return out;
    }
}
