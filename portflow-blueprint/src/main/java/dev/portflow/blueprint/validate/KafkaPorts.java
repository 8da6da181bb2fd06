package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports of Kafka connections, across the whole blueprint: a port bound to Kafka carries or
 * receives that one connection only, no two Kafka connections share a topic, and no component takes
 * the name of a Kafka receiver ({@link Names#receiverName}).
 */
final class KafkaPorts {

    private KafkaPorts() {}

    /**
     * A Kafka-bound output port carries its Kafka connection only, a Kafka-bound input port receives
     * that one connection only, each Kafka connection has its own topic, and no component takes the
     * name of a Kafka receiver.
     */
    static void check(ValidationState state) {
        if (state.edges.stream().noneMatch(e -> e.spec().isKafka())) {
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
            if (!c.isKafka()) {
                continue;
            }
            // without a pipeline name (a problem of its own) a default topic is not known
            String topic = pipeline != null ? e.topicIn(pipeline) : c.topic();
            String onTopic = topic != null ? " (topic " + topic + ")" : "";
            @SuppressWarnings("ReferenceEquality") // the others than this very edge
            List<Edge> alsoFrom = byFrom.getOrDefault(e.fromEnd().toString(), List.of()).stream()
                    .filter(o -> o != e)
                    .toList();
            if (!alsoFrom.isEmpty()) {
                state.problem(
                        c.position(),
                        "output port " + e.fromEnd() + " sends over Kafka" + onTopic
                                + ", so it carries this connection only, but it also feeds "
                                + describe(alsoFrom, false),
                        "a port bound to Kafka cannot broadcast: send the other connection from another out_* port,"
                                + " or pass it on from the receiving side of the topic");
            }
            @SuppressWarnings("ReferenceEquality") // the others than this very edge
            List<Edge> alsoTo = byTo.getOrDefault(e.toEnd().toString(), List.of()).stream()
                    .filter(o -> o != e)
                    .toList();
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
            String receiver = Names.receiverName(e.toEnd());
            ComponentSpec taken = state.declared.get(receiver);
            if (taken != null) {
                state.problem(
                        taken.position("name"),
                        "component name '" + receiver + "' is taken by the receiver of kafka" + " connection "
                                + c.describe(),
                        "rename the component");
            }
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
