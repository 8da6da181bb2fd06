package dev.portflow.http;

import dev.portflow.json.StrictJson;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.port.Connection;
import dev.portflow.runtime.ComponentInfo;
import dev.portflow.runtime.ComponentState;
import dev.portflow.runtime.PipelineView;
import dev.portflow.runtime.ScalingDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /metrics.json}: every port's snapshot grouped by component, the
 * connections, and pipeline totals.
 *
 * <pre>{@code
 * {"pipeline": "orders", "state": "RUNNING", "time": "...",
 *  "totals": {"messages_in_total": ..., "messages_out_total": ..., "messages_dropped_total": ...,
 *             "errors_total": ..., "queue_depth": ..., "capacity": ...},
 *  "components": [{"name": "api", "kind": "source",
 *                  "workers": 1, "workers_min": 1, "workers_max": 1, "ordered_by_key": false,
 *                  "time_seconds": {"busy": ..., "idle": ..., "backpressured": ...},
 *                  "ports": [ {<PortMetrics#toMap()>}, ... ]},
 *                 {"name": "archive", "kind": "transformer",
 *                  "workers": 3, "workers_min": 1, "workers_max": 16, "ordered_by_key": false,
 *                  "scaling_decisions": [{"time": "2026-...Z", "from": 2, "to": 3, "reason": "..."}],
 *                  ...}, ...],
 *  "connections": [{"from": "api.out_requests", "to": "big.in_orders", "overflow": "BLOCK_WITH_TIMEOUT",
 *                   "capacity": 1024, "depth": 0, "accepted_total": ..., "received_total": ...}]}
 * }</pre>
 *
 * <p>{@code workers} is how many run now (0 before start and once the component has ended);
 * {@code time_seconds} are worker-seconds (with N workers they add up to N times the wall time).
 * {@code scaling_decisions} (the runtime's latest, at most 20, oldest first) is there only for
 * components with a range of workers.
 */
final class MetricsJson {

    private MetricsJson() {}

    static String render(PipelineView pipeline) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("pipeline", pipeline.name());
        root.put("state", pipeline.state().name());
        root.put("time", Instant.now().toString());

        long in = 0;
        long out = 0;
        long dropped = 0;
        long errors = 0;
        long depth = 0;
        long capacity = 0;
        Map<String, List<Map<String, Object>>> portsByComponent = new LinkedHashMap<>();
        for (PortMetrics m : pipeline.portMetrics()) {
            portsByComponent
                    .computeIfAbsent(m.component(), c -> new ArrayList<>())
                    .add(m.toMap());
            in += m.messagesIn();
            out += m.messagesOut();
            dropped += m.messagesDropped();
            errors += m.errorsTotal();
            if (m.direction() == dev.portflow.metrics.PortCounters.Direction.INPUT) {
                depth += m.queueDepth(); // each buffer once, from its receiving end
                capacity += m.capacity();
            }
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put(PortMetrics.MESSAGES_IN_TOTAL, in);
        totals.put(PortMetrics.MESSAGES_OUT_TOTAL, out);
        totals.put(PortMetrics.MESSAGES_DROPPED_TOTAL, dropped);
        totals.put(PortMetrics.ERRORS_TOTAL, errors);
        totals.put(PortMetrics.QUEUE_DEPTH, depth);
        totals.put(PortMetrics.CAPACITY, capacity);
        root.put("totals", totals);

        List<Map<String, Object>> components = new ArrayList<>();
        for (ComponentInfo c : pipeline.components()) {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("name", c.name());
            component.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
            component.put("workers", pipeline.workers(c.name()));
            component.put("workers_min", c.workers().min());
            component.put("workers_max", c.workers().max());
            component.put("ordered_by_key", c.orderedByKey());
            if (c.workers().isAutoscaled()) {
                component.put("scaling_decisions", scalingDecisions(pipeline.scalingDecisions(c.name())));
            }
            Map<String, Object> time = new LinkedHashMap<>();
            for (ComponentState state : ComponentState.values()) {
                time.put(state.tag(), pipeline.componentSeconds(c.name(), state));
            }
            component.put("time_seconds", time);
            component.put("ports", portsByComponent.getOrDefault(c.name(), List.of()));
            components.add(component);
        }
        root.put("components", components);

        List<Map<String, Object>> connections = new ArrayList<>();
        for (Connection<?> c : pipeline.connections()) {
            var stats = c.statistics();
            Map<String, Object> edge = new LinkedHashMap<>();
            edge.put("from", c.from().counters().component() + "." + c.from().name());
            edge.put("to", c.target());
            edge.put("transport", c.transport());
            edge.put("overflow", c.options().overflow().name());
            edge.put("capacity", stats.maxBufferSize());
            edge.put("depth", stats.currentBufferUsed());
            edge.put("utilization", stats.utilization());
            edge.put("accepted_total", stats.acceptedTotal());
            edge.put("received_total", stats.receivedTotal());
            edge.put("evicted_total", stats.evictedTotal());
            connections.add(edge);
        }
        root.put("connections", connections);
        return StrictJson.mapper().writeValueAsString(root);
    }

    /** {@code decisions} as {@code [{"time": ISO-8601, "from", "to", "reason"}]}, in their order. */
    static List<Map<String, Object>> scalingDecisions(List<ScalingDecision> decisions) {
        List<Map<String, Object>> out = new ArrayList<>(decisions.size());
        for (ScalingDecision d : decisions) {
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("time", Instant.ofEpochMilli(d.epochMillis()).toString()); // as the document's own "time"
            decision.put("from", d.from());
            decision.put("to", d.to());
            decision.put("reason", d.reason());
            out.add(decision);
        }
        return out;
    }
}
