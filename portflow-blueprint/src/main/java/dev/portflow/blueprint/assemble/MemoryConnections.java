package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.blueprint.validate.ConnectionDefaults;
import java.util.ArrayList;
import java.util.List;

/**
 * The second step of assembly: connects, in memory, the connections with an end in this process (with
 * their buffer: {@link ConnectionDefaults#options}), and sets their Kafka connections aside for
 * {@link KafkaEnds} and their disk connections for {@link DiskEnds}. A connection whose two ends run
 * elsewhere is left out.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs
 * the steps.
 */
public final class MemoryConnections {

    private MemoryConnections() {}

    /**
     * The connections with an end here that do not run in memory, in file order.
     *
     * @param kafka those over Kafka
     * @param disk  those on disk
     */
    public record Elsewhere(List<Edge> kafka, List<Edge> disk) {

        public Elsewhere {
            kafka = List.copyOf(kafka);
            disk = List.copyOf(disk);
        }
    }

    /** Connects the in-memory connections among {@code edges}; returns the Kafka and disk connections with an end here. */
    public static Elsewhere connect(AssemblyState state, List<Edge> edges) {
        List<Edge> kafkaEdges = new ArrayList<>();
        List<Edge> diskEdges = new ArrayList<>();
        for (Edge e : edges) {
            ConnectionSpec c = e.spec();
            boolean sends = state.runsHere(e.fromEnd().component());
            boolean receives = state.runsHere(e.toEnd().component());
            if (!sends && !receives) {
                continue; // both ends run elsewhere
            }
            if (c.isKafka()) {
                kafkaEdges.add(e);
            } else if (c.isDisk()) {
                diskEdges.add(e);
            } else {
                state.builder()
                        .connect(
                                e.fromEnd().toString(),
                                e.toEnd().toString(),
                                ConnectionDefaults.options(c, e.from().recipe()));
            }
        }
        return new Elsewhere(kafkaEdges, diskEdges);
    }
}
