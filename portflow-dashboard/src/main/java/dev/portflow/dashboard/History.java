package dev.portflow.dashboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The last {@code size} frames of every edge's and node's series, for the page's charts. One
 * {@link SeriesRing} per series, all allocated when the history is made: memory is fixed by the
 * topology and {@code size}, never by uptime. The sampler appends; page requests read copies.
 */
final class History {

    private final int size;
    private final long intervalMs;
    private final SeriesRing times;
    private final Map<String, SeriesRing[]> edges = new HashMap<>();
    private final Map<String, SeriesRing[]> nodes = new HashMap<>();

    History(Topology topology, int size) {
        this.size = size;
        this.intervalMs = topology.intervalMs();
        this.times = new SeriesRing(size);
        topology.edges().forEach(e -> edges.put(e.id(), rings(EdgeSample.SERIES.size())));
        topology.nodes().forEach(n -> nodes.put(n.name(), rings(NodeSample.SERIES.size())));
    }

    private SeriesRing[] rings(int count) {
        SeriesRing[] rings = new SeriesRing[count];
        for (int i = 0; i < count; i++) {
            rings[i] = new SeriesRing(size);
        }
        return rings;
    }

    /** Samples kept per series. */
    int size() {
        return size;
    }

    /** Adds {@code frame}; elements the frame lacks get a gap. */
    synchronized void append(Frame frame) {
        times.append(frame.time() / 1000.0);
        edges.forEach((id, rings) -> {
            EdgeSample e = frame.edges().get(id);
            appendAll(rings, e == null ? null : e.seriesValues());
        });
        nodes.forEach((name, rings) -> {
            NodeSample n = frame.nodes().get(name);
            appendAll(rings, n == null ? null : n.seriesValues());
        });
    }

    private static void appendAll(SeriesRing[] rings, double @Nullable [] values) {
        for (int i = 0; i < rings.length; i++) {
            rings[i].append(values == null ? Double.NaN : values[i]);
        }
    }

    /** The history of the edge {@code id} as JSON-ready maps, empty if there is no such edge. */
    synchronized Optional<Map<String, Object>> edge(String id) {
        SeriesRing[] rings = edges.get(id);
        return rings == null ? Optional.empty() : Optional.of(render(id, "edge", EdgeSample.SERIES, rings));
    }

    /** The history of the node {@code name}, empty if there is no such node. */
    synchronized Optional<Map<String, Object>> node(String name) {
        SeriesRing[] rings = nodes.get(name);
        return rings == null ? Optional.empty() : Optional.of(render(name, "node", NodeSample.SERIES, rings));
    }

    private Map<String, Object> render(String element, String kind, List<String> names, SeriesRing[] rings) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("element", element);
        out.put("kind", kind);
        out.put("interval_ms", intervalMs);
        out.put("time", nullable(times.toArray()));
        Map<String, Object> series = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            series.put(names.get(i), nullable(rings[i].toArray()));
        }
        out.put("series", series);
        return out;
    }

    /** JSON has no NaN: gaps become {@code null}, which uPlot draws as a gap. */
    private static List<@Nullable Double> nullable(double[] values) {
        List<@Nullable Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(Double.isFinite(v) ? v : null);
        }
        return list;
    }
}
