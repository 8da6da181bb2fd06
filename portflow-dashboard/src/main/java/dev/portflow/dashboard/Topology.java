package dev.portflow.dashboard;

import dev.portflow.http.ApiEndpoint;
import dev.portflow.port.Connection;
import dev.portflow.runtime.ComponentInfo;
import dev.portflow.runtime.PipelineView;
import dev.portflow.runtime.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
record Topology(
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
    record Node(
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
        Node(String name, String kind, int column, int row, List<String> inputs, List<String> outputs) {
            this(name, kind, column, row, inputs, outputs, 1, 1, false);
        }

        /** Whether the runtime sizes it between {@code workersMin} and {@code workersMax}. */
        boolean autoscaled() {
            return workersMin < workersMax;
        }
    }

    /** A connection; {@code id} is {@code from.fromPort->to.toPort}. */
    record Edge(String id, String from, String fromPort, String to, String toPort, int capacity, String overflow) {}

    /** An HTTP ingress: its component and path. */
    record Endpoint(String component, String path) {}

    /** Reads the shape of {@code pipeline}. */
    static Topology of(PipelineView pipeline, long intervalMs, int historySize) {
        List<ComponentInfo> components = pipeline.components();
        // a connection leaving the process ends at a node standing for its remote buffer, placed after the components
        List<String> remotes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        List<String[]> links = new ArrayList<>();
        for (Connection<?> c : pipeline.connections()) {
            String from = c.from().counters().component();
            String to;
            String toPort;
            if (c.to() != null) {
                to = c.to().counters().component();
                toPort = c.to().name();
            } else {
                to = c.target();
                toPort = "";
                String target = to;
                if (components.stream().noneMatch(info -> info.name().equals(target)) && !remotes.contains(target)) {
                    remotes.add(target);
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
        List<String> names = new ArrayList<>();
        components.forEach(info -> names.add(info.name()));
        names.addAll(remotes);
        Map<String, GraphLayout.Place> places = GraphLayout.layout(names, links);
        List<Node> nodes = new ArrayList<>();
        for (ComponentInfo info : components) {
            GraphLayout.Place place = placeOf(places, info.name());
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
        for (String remote : remotes) {
            GraphLayout.Place place = placeOf(places, remote);
            // a remote buffer has no ports or workers of its own
            nodes.add(new Node(remote, REMOTE, place.column(), place.row(), List.of(), List.of(), 0, 0, false));
        }
        int columns = 0;
        int rows = 0;
        for (Node node : nodes) {
            columns = Math.max(columns, node.column() + 1);
            rows = Math.max(rows, node.row() + 1);
        }
        List<Endpoint> ingress = new ArrayList<>();
        for (ApiEndpoint<?> endpoint : pipeline.componentsOfType(ApiEndpoint.class)) {
            // found among the pipeline's components, so it has a name there
            String name = Objects.requireNonNull(pipeline.nameOf(endpoint), "endpoint without a name");
            ingress.add(new Endpoint(name, endpoint.path()));
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

    /** Where the layout put {@code node}: it places every node it is given. */
    private static GraphLayout.Place placeOf(Map<String, GraphLayout.Place> places, String node) {
        return Objects.requireNonNull(places.get(node), node);
    }

    /** The kind of a node standing for a connection's remote buffer (e.g. a Kafka topic). */
    static final String REMOTE = "remote";

    /** {@code from.port->to.port}, or {@code from.port->target} for a connection leaving the process. */
    static String edgeId(Connection<?> c) {
        return c.from().counters().component() + "." + c.from().name() + "->" + c.target();
    }
}
