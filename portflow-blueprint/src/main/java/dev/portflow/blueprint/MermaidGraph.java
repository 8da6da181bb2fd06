package dev.portflow.blueprint;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.validate.ConnectionDefaults;
import dev.portflow.blueprint.validate.IngressSends;
import dev.portflow.blueprint.validate.UserClasses;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.PortName;
import dev.portflow.runtime.ComponentKind;
import dev.portflow.runtime.Workers;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A blueprint as a Mermaid {@code graph LR}: one node per component, labelled with its name, its
 * workers when more than one ({@code enrich ×4}, {@code store ×1..16}), its recipe (or class) and
 * the key it is ordered by, if any ({@code ordered by customer_id}), shaped by kind (sources as
 * stadiums, routers as rhombi, sinks as cylinders); one edge per connection, labelled with its ports, buffer size and overflow policy. Error edges
 * are dotted; Kafka edges are thick and name their topic (the default one when none is given), its
 * partitions and record key when given, and the consumer lag they allow; disk edges are thick and say {@code disk} (and their {@code max_bytes},
 * when given) and the records their log may hold. An edge out of an {@code api_endpoint} shows what applies to requests
 * (see {@link IngressSends}): how long a request waits before its 503, or that rejected requests'
 * envelopes are never waited for. Linear in the size of the blueprint.
 */
final class MermaidGraph {

    private MermaidGraph() {}

    static String render(Blueprint blueprint, RecipeRegistry recipes, ClassLoader loader) {
        StringBuilder out = new StringBuilder("graph LR\n");
        Map<String, String> ids = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        Map<String, ComponentSpec> byName = new HashMap<>();
        for (ComponentSpec c : blueprint.components()) {
            if (c.name() == null || ids.containsKey(c.name())) {
                continue;
            }
            byName.put(c.name(), c);
            String id = id(c.name(), ids, taken);
            ComponentKind kind = kind(c, recipes, loader);
            String type = c.recipe() != null ? c.recipe() : c.className() != null ? simpleName(c.className()) : "?";
            String label = quote(c.name() + workers(c) + "<br/>" + type + ordering(c));
            out.append("  ").append(id).append(shape(kind, label)).append('\n');
        }
        for (ConnectionSpec c : blueprint.connections()) {
            Endpoint fromEnd = c.from();
            Endpoint toEnd = c.to();
            if (fromEnd == null || toEnd == null) {
                continue;
            }
            String from = ids.containsKey(fromEnd.component())
                    ? ids.get(fromEnd.component())
                    : id(fromEnd.component(), ids, taken);
            String to =
                    ids.containsKey(toEnd.component()) ? ids.get(toEnd.component()) : id(toEnd.component(), ids, taken);
            ComponentSpec fromSpec = byName.get(fromEnd.component());
            Recipe fromRecipe = fromSpec == null || fromSpec.recipe() == null
                    ? null
                    : recipes.find(fromSpec.recipe()).orElse(null);
            String buffer = buffer(c, fromEnd, fromSpec, fromRecipe);
            String ports = fromEnd.port() + " → " + toEnd.port();
            String arrow;
            String label;
            if (c.isKafka()) {
                arrow = "==>";
                String topic = blueprint.name() == null ? c.topic() : c.topicIn(blueprint.name());
                label = ports + "<br/>kafka " + (topic == null ? "?" : topic)
                        + (c.partitions() == null ? "" : ", " + c.partitions() + " partitions")
                        + (c.key() == null ? "" : ", key " + c.key()) + "<br/>" + buffer;
            } else if (c.isDisk()) {
                arrow = "==>";
                label = ports + "<br/>disk" + (c.maxBytes() == null ? "" : " max_bytes " + c.maxBytes()) + "<br/>"
                        + buffer;
            } else {
                arrow = PortName.isError(fromEnd.port()) ? "-.->" : "-->";
                label = ports + "<br/>" + buffer;
            }
            out.append("  ")
                    .append(from)
                    .append(' ')
                    .append(arrow)
                    .append('|')
                    .append(quote(label))
                    .append("| ")
                    .append(to)
                    .append('\n');
        }
        return out.toString();
    }

    /** {@code 1024 block}, {@code 1024 block_with_timeout 2000ms}; for the ingress, what requests meet. */
    private static String buffer(
            ConnectionSpec c, Endpoint fromEnd, @Nullable ComponentSpec fromSpec, @Nullable Recipe fromRecipe) {
        OverflowPolicy written = c.overflowPolicy();
        OverflowPolicy policy = written != null ? written : ConnectionDefaults.defaultPolicy(fromRecipe);
        String name = policy.name().toLowerCase(Locale.ROOT);
        long timeout = c.timeoutMs() != null ? c.timeoutMs() : ConnectionDefaults.DEFAULT_TIMEOUT.toMillis();
        String size = Integer.toString(ConnectionDefaults.bufferSize(c));
        if (fromSpec == null || !IngressSends.isIngress(fromRecipe)) {
            return size + " " + name + (policy == OverflowPolicy.BLOCK_WITH_TIMEOUT ? " " + timeout + "ms" : "");
        }
        boolean waits = policy == OverflowPolicy.BLOCK || policy == OverflowPolicy.BLOCK_WITH_TIMEOUT;
        if (!IngressSends.carriesRequests(fromEnd.port())) {
            return size + " " + name + (waits ? ", no wait: dropped when full" : "");
        }
        if (!waits) {
            return size + " " + name + (policy == OverflowPolicy.DROP_OLDEST ? "" : ": 503 when full");
        }
        return size + " " + name + " " + IngressSends.requestWaitMs(policy, timeout, IngressSends.timeoutMs(fromSpec))
                + "ms, then 503";
    }

    /** {@code " ×4"} for a fixed pool, {@code " ×1..16"} for one the runtime sizes; nothing for one worker. */
    private static String workers(ComponentSpec c) {
        Workers w = c.workers();
        if (w == null || w.max() == 1) {
            return "";
        }
        return " ×" + (w.isAutoscaled() ? w.min() + ".." + w.max() : Integer.toString(w.max()));
    }

    /** {@code "<br/>ordered by customer_id"} for {@code ordering: key}. */
    private static String ordering(ComponentSpec c) {
        String key = c.keyExpression();
        if (!c.orderedByKey() || key == null) {
            return "";
        }
        // Mermaid reads a label as HTML: the expression's < and > are written as entities
        return "<br/>ordered by " + key.replace("<", "#lt;").replace(">", "#gt;");
    }

    private static String id(String name, Map<String, String> ids, Set<String> taken) {
        String base = "c_" + name.replaceAll("[^A-Za-z0-9_]", "_");
        String id = base;
        for (int i = 2; taken.contains(id); i++) {
            id = base + "_" + i;
        }
        ids.put(name, id);
        taken.add(id);
        return id;
    }

    private static @Nullable ComponentKind kind(ComponentSpec c, RecipeRegistry recipes, ClassLoader loader) {
        if (c.recipe() != null) {
            return recipes.find(c.recipe()).map(Recipe::kind).orElse(null);
        }
        if (c.className() != null) {
            try {
                return UserClasses.kindOf(Class.forName(c.className(), false, loader));
            } catch (ClassNotFoundException | LinkageError | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static String shape(@Nullable ComponentKind kind, String label) {
        if (kind == null) {
            return "[" + label + "]";
        }
        return switch (kind) {
            case SOURCE -> "([" + label + "])";
            case SINK -> "[(" + label + ")]";
            case ROUTER -> "{" + label + "}";
            case TRANSFORMER, MERGER -> "[" + label + "]";
        };
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "#quot;") + "\"";
    }
}
