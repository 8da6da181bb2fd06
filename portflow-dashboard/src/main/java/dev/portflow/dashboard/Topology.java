package dev.portflow.dashboard;

import dev.portflow.http.ApiEndpoint;
import dev.portflow.port.Connection;
import dev.portflow.runtime.ComponentInfo;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's shape as the page draws it: components placed in columns and rows, connections,
 * HTTP ingress endpoints. Fixed once the pipeline is built.
 *
 * @param pipeline    the pipeline's name
 * @param columns     columns of the layout
 * @param rows        rows of the tallest column
 * @param intervalMs  the sampling interval
 * @param historySize samples kept per series
 * @param nodes       components in topological order
 * @param edges       connections
 * @param ingress     HTTP ingress endpoints
 */
public record Topology(
        String pipeline,
        int columns,
        int rows,
        long intervalMs,
        int historySize,
        List<Node> nodes,
        List<Edge> edges,
        List<Endpoint> ingress) {

    /**
     * A component and where it is drawn.
     *
     * @param workersMin   the fewest workers it runs on (its configured {@link Workers}); 0 for a remote node
     * @param workersMax   the most; equal to {@code workersMin} unless the runtime sizes the stage
     * @param orderedByKey whether messages with the same key are handled in order
     */
    public record Node(
            String name,
            String kind,
            int column,
            int row,
            List<String> inputs,
            List<String> outputs,
            int workersMin,
            int workersMax,
            boolean orderedByKey) {

        /** A component on one worker. */
        public Node(String name, String kind, int column, int row, List<String> inputs, List<String> outputs) {
            this(name, kind, column, row, inputs, outputs, 1, 1, false);
        }

        /** Whether the runtime sizes it between {@code workersMin} and {@code workersMax}. */
        boolean autoscaled() {
            return workersMin < workersMax;
        }
    }

    /** A connection; {@code id} is {@code from.fromPort->to.toPort}. */
    public record Edge(
            String id, String from, String fromPort, String to, String toPort, int capacity, String overflow) {}

    /** An HTTP ingress: its component and path. */
    public record Endpoint(String component, String path) {}

    /** Reads the shape of {@code pipeline}. */
    static Topology of(Pipeline pipeline, long intervalMs, int historySize) {
        List<ComponentInfo> components = new ArrayList<>(pipeline.components());
        List<Edge> edges = new ArrayList<>();
        List<String[]> links = new ArrayList<>();
        for (Connection<?> c : pipeline.connections()) {
            String from = c.from().measurements().component();
            String to;
            String toPort;
            if (c.to() != null) {
                to = c.to().measurements().component();
                toPort = c.to().name();
            } else {
                // a connection leaving the process ends at a node standing for its remote buffer
                to = c.target();
                toPort = "";
                String target = to;
                if (components.stream().noneMatch(info -> info.name().equals(target))) {
                    components.add(new ComponentInfo(to, null, List.of(), List.of()));
                }
            }
            edges.add(new Edge(
                    edgeId(c),
                    from,
                    c.from().name(),
                    to,
                    toPort,
                    c.capacity(),
                    c.options().overflow().name()));
            links.add(new String[] {from, to});
        }
        Map<String, GraphLayout.Place> places =
                GraphLayout.layout(components.stream().map(ComponentInfo::name).toList(), links);
        List<Node> nodes = new ArrayList<>();
        int columns = 0;
        int rows = 0;
        for (ComponentInfo info : components) {
            GraphLayout.Place place = places.get(info.name());
            if (info.kind() == null) {
                // a remote buffer has no workers of its own
                nodes.add(new Node(
                        info.name(), REMOTE, place.column(), place.row(), info.inputs(), info.outputs(), 0, 0, false));
            } else {
                Workers workers = info.workers();
                nodes.add(new Node(
                        info.name(),
                        info.kind().name().toLowerCase(Locale.ROOT),
                        place.column(),
                        place.row(),
                        info.inputs(),
                        info.outputs(),
                        workers.min(),
                        workers.max(),
                        info.orderedByKey()));
            }
            columns = Math.max(columns, place.column() + 1);
            rows = Math.max(rows, place.row() + 1);
        }
        List<Endpoint> ingress = new ArrayList<>();
        for (ApiEndpoint<?> endpoint : pipeline.componentsOfType(ApiEndpoint.class)) {
            ingress.add(new Endpoint(pipeline.nameOf(endpoint), endpoint.path()));
        }
        return new Topology(
                pipeline.name(),
                columns,
                rows,
                intervalMs,
                historySize,
                List.copyOf(nodes),
                List.copyOf(edges),
                List.copyOf(ingress));
    }

    /** The kind of a node standing for a connection's remote buffer (e.g. a Kafka topic). */
    static final String REMOTE = "remote";

    /** {@code from.port->to.port}, or {@code from.port->target} for a connection leaving the process. */
    static String edgeId(Connection<?> c) {
        return c.from().measurements().component() + "." + c.from().name() + "->" + c.target();
    }
}
