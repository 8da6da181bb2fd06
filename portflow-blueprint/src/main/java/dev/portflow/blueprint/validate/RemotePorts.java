package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports of Kafka and disk connections, across the whole blueprint: a port bound to a Kafka topic
 * or a disk log carries or receives that one connection only (the runtime binds the port to it, and
 * the receiver's position follows what that port finished), no two Kafka connections share a topic,
 * and no component takes the name of a receiver ({@link Names#receiverName},
 * {@link Names#diskReceiverName}).
 */
final class RemotePorts {

    private RemotePorts() {}

    /**
     * A Kafka- or disk-bound output port carries its connection only, a Kafka- or disk-bound input
     * port receives that one connection only, each Kafka connection has its own topic, and no
     * component takes the name of a receiver.
     */
    static void check(ValidationState state) {
        if (state.edges.stream().noneMatch(e -> e.spec().isKafka() || e.spec().isDisk())) {
            return;
        }
        Map<String, List<Edge>> byFrom = new HashMap<>();
        Map<String, List<Edge>> byTo = new HashMap<>();
        for (Edge e : state.edges) {
            byFrom.computeIfAbsent(e.fromEnd().toString(), k -> new ArrayList<>())
                    .add(e);
            byTo.computeIfAbsent(e.toEnd().toString(), k -> new ArrayList<>()).add(e);
        }
        String pipeline = state.blueprint.name();
        Map<String, Edge> topics = new HashMap<>();
        for (Edge e : state.edges) {
            ConnectionSpec c = e.spec();
            if (c.isDisk()) {
                diskPorts(state, e, byFrom, byTo);
            }
            if (!c.isKafka()) {
                continue;
            }
            // without a pipeline name (a problem of its own) a default topic is not known
            String topic = pipeline != null ? e.topicIn(pipeline) : c.topic();
            String onTopic = topic != null ? " (topic " + topic + ")" : "";
            List<Edge> alsoFrom = others(byFrom, e.fromEnd().toString(), e);
            if (!alsoFrom.isEmpty()) {
                state.problem(
                        c.position(),
                        "output port " + e.fromEnd() + " sends over Kafka" + onTopic
                                + ", so it carries this connection only, but it also feeds "
                                + describe(alsoFrom, false),
                        "a port bound to Kafka cannot broadcast: send the other connection from another out_* port,"
                                + " or pass it on from the receiving side of the topic");
            }
            List<Edge> alsoTo = others(byTo, e.toEnd().toString(), e);
            if (!alsoTo.isEmpty()) {
                state.problem(
                        c.position(),
                        "input port " + e.toEnd() + " receives over Kafka" + onTopic
                                + ", so no other connection may feed it, but " + describe(alsoTo, true)
                                + (alsoTo.size() == 1 ? " does" : " do") + " too",
                        "put a merge in front of " + e.toEnd().component() + " and send the merge's output over Kafka");
            }
            Edge first = topic == null ? null : topics.putIfAbsent(topic, e);
            if (first != null
                    && !first.fromEnd().toString().equals(e.fromEnd().toString())
                    && !first.toEnd().toString().equals(e.toEnd().toString())) { // those are reported above
                state.problem(
                        c.position(c.topic() != null ? "topic" : "transport"),
                        "topic " + topic
                                + " is already used by connection "
                                + first.spec().describe() + " (line "
                                + first.spec().position().line() + ")",
                        "each kafka connection needs a topic of its own: its receiver reads everything in it");
            }
            receiverNameTaken(state, Names.receiverName(e.toEnd()), "kafka", c);
        }
    }

    /** A disk-bound port carries (or receives) its disk connection only, and the receiver's name is free. */
    private static void diskPorts(
            ValidationState state, Edge e, Map<String, List<Edge>> byFrom, Map<String, List<Edge>> byTo) {
        ConnectionSpec c = e.spec();
        List<Edge> alsoFrom = others(byFrom, e.fromEnd().toString(), e);
        if (!alsoFrom.isEmpty()) {
            state.problem(
                    c.position(),
                    "output port " + e.fromEnd() + " sends to a disk log, so it carries this connection only, but it"
                            + " also feeds " + describe(alsoFrom, false),
                    "a port bound to a disk log cannot broadcast: send the other connection from another out_* port,"
                            + " or pass it on from " + e.toEnd().component());
        }
        List<Edge> alsoTo = others(byTo, e.toEnd().toString(), e);
        if (!alsoTo.isEmpty()) {
            state.problem(
                    c.position(),
                    "input port " + e.toEnd() + " receives from a disk log, so no other connection may feed it, but "
                            + describe(alsoTo, true) + (alsoTo.size() == 1 ? " does" : " do") + " too",
                    "put a merge in front of " + e.toEnd().component() + " and send the merge's output over disk");
        }
        receiverNameTaken(state, Names.diskReceiverName(e.toEnd()), "disk", c);
    }

    /** The connections of {@code port} in {@code byPort} other than {@code e} itself. */
    @SuppressWarnings("ReferenceEquality") // the others than this very edge
    private static List<Edge> others(Map<String, List<Edge>> byPort, String port, Edge e) {
        return byPort.getOrDefault(port, List.of()).stream().filter(o -> o != e).toList();
    }

    /** A problem at the component named {@code receiver}, if one is: the receiver of {@code c} needs the name. */
    private static void receiverNameTaken(ValidationState state, String receiver, String transport, ConnectionSpec c) {
        ComponentSpec taken = state.declared.get(receiver);
        if (taken != null) {
            state.problem(
                    taken.position("name"),
                    "component name '" + receiver + "' is taken by the receiver of " + transport + " connection "
                            + c.describe(),
                    "rename the component");
        }
    }

    /** {@code b.in_x (line 9), c.in_x (line 10)}: the other ends of {@code others}. */
    private static String describe(List<Edge> others, boolean from) {
        List<String> parts = new ArrayList<>();
        for (Edge o : others) {
            parts.add((from ? o.fromEnd() : o.toEnd()) + " (line "
                    + o.spec().position().line() + ")");
        }
        return String.join(", ", parts);
    }
}
