package dev.portflow.dashboard;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard shows at one instant: rates and shares over the last sampling interval. Sent
 * to the page as JSON with snake_case names (see {@code docs/dashboard.md}).
 *
 * @param seq        sample number, 0 before the first interval completed
 * @param time       when it was taken, epoch milliseconds
 * @param intervalMs the sampling interval
 * @param state      the pipeline's state
 * @param nodes      per component, in topological order
 * @param edges      per connection ({@code from.port->to.port})
 * @param bottleneck the component holding the pipeline back, {@code null} when none does
 * @param scaling    autoscaled components that would be the bottleneck but are still below their
 *                   most workers (empty when none)
 * @param ingress    per HTTP ingress
 */
record Frame(
        long seq,
        long time,
        long intervalMs,
        String state,
        Map<String, NodeSample> nodes,
        Map<String, EdgeSample> edges,
        @Nullable Bottleneck bottleneck,
        List<Scaling> scaling,
        List<IngressSample> ingress) {}
