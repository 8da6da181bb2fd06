package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.port.PortName;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entries of {@code connections:}, one at a time: each end names a declared component and a port
 * it can have (an output port to an input port), no connection is declared twice, its options fit
 * ({@link ConnectionSettings}) and so do the schemas at its ends ({@link Schemas}). A connection whose
 * ends check out becomes an {@link Edge} (a Kafka connection's key is checked against its schemas,
 * {@link KafkaKeys}), and adds its ports to its components; the components a
 * connection with a problem names (or was probably meant for) are marked incomplete.
 */
final class Connections {

    private final ValidationState state;

    private final Map<String, ConnectionSpec> seenConnections = new HashMap<>();

    Connections(ValidationState state) {
        this.state = state;
    }

    /** Checks connection {@code c}; records the components it names, and its edge when both ends check out. */
    void check(ConnectionSpec c) {
        int before = state.problemCount();
        connectionChecks(c);
        for (Endpoint e : new Endpoint[] {c.from(), c.to()}) {
            if (e != null) {
                state.mentioned.add(e.component());
                if (state.problemCount() > before) {
                    state.incomplete.add(e.component());
                }
            }
        }
    }

    private void connectionChecks(ConnectionSpec c) {
        Endpoint fromEnd = c.from();
        Endpoint toEnd = c.to();
        Resolved from = fromEnd == null ? null : endpoint(fromEnd, true);
        Resolved to = toEnd == null ? null : endpoint(toEnd, false);
        boolean duplicate = false;
        if (fromEnd != null && toEnd != null) {
            ConnectionSpec first = seenConnections.putIfAbsent(fromEnd + ">" + toEnd, c);
            if (first != null) {
                state.problem(
                        c.position(),
                        "duplicate connection " + c.describe(),
                        "first declared at line " + first.position().line()
                                + "; remove one (to broadcast, connect one out_* port to several inputs)");
                duplicate = true;
            }
        }
        ConnectionSettings.check(state, c, from);
        if (fromEnd != null && toEnd != null && from != null && to != null && !duplicate) {
            Edge edge = new Edge(c, fromEnd, toEnd, from, to);
            Schemas.across(state, edge);
            KafkaKeys.check(state, edge);
            from.outputs().add(fromEnd.port());
            to.inputs().add(toEnd.port());
            state.edges.add(edge);
        }
    }

    /** The component of one end of a connection if the end checks out, else {@code null}. */
    private @Nullable Resolved endpoint(Endpoint e, boolean sending) {
        Resolved r = state.components.get(e.component());
        if (r == null) {
            state.problem(
                    e.position(),
                    "unknown component '" + e.component() + "'",
                    state.declared.isEmpty()
                            ? "declare it under components:"
                            : Suggestions.didYouMean(e.component(), state.declared.keySet(), "components"));
            String meant = Suggestions.nearest(e.component(), state.declared.keySet());
            if (meant != null) {
                state.incomplete.add(meant); // this connection was probably meant for it: its count would mislead
            }
        }
        String port = e.port();
        if (sending && !PortName.isOutput(port)) {
            state.problem(
                    e.portPosition(),
                    PortName.isInput(port)
                            ? "'" + port + "' is an input port: a connection goes from an output port to an input port"
                            : "bad port name '" + port + "'",
                    PortName.isInput(port)
                            ? "from: takes an out_* or err_* port; are from and to swapped?"
                            : "output ports are named out_<name> or err_<name> (lower case letters, digits, '_'), e.g. out_"
                                    + suggestSuffix(port));
            return null;
        }
        if (!sending && !PortName.isInput(port)) {
            state.problem(
                    e.portPosition(),
                    PortName.isOutput(port)
                            ? "'" + port + "' is an output port: a connection goes from an output port to an input port"
                            : "bad port name '" + port + "'",
                    PortName.isOutput(port)
                            ? "to: takes an in_* port; are from and to swapped?"
                            : "input ports are named in_<name> (lower case letters, digits, '_'), e.g. in_"
                                    + suggestSuffix(port));
            return null;
        }
        if (r == null) {
            return null;
        }
        PortRule rule = r.rule();
        if (rule == null) {
            return r; // its kind is not known (a problem of its recipe or class): its ports cannot be checked
        }
        List<String> fixed = sending ? rule.fixedOutputs() : rule.fixedInputs();
        boolean declares = sending ? r.spec().declaresOutputs() : r.spec().declaresInputs();
        List<String> declaredNames = (sending ? r.spec().outputs() : r.spec().inputs())
                .stream()
                        .map(PortSpec::name)
                        .filter(sending ? PortName::isOutput : PortName::isInput)
                        .toList();
        String direction = sending ? "output" : "input";
        if (!sending && rule.maxInputs() == 0) {
            state.problem(
                    e.portPosition(), r.who() + " is a source: it has no input ports", "connect to another component");
            return null;
        }
        if (sending && rule.maxOutputs() == 0 && !PortName.isError(port)) {
            state.problem(
                    e.portPosition(),
                    r.who() + " is a sink: it has no out_* ports",
                    "a sink may only have an err_* port; connect from another component");
            return null;
        }
        if (!fixed.isEmpty() && !fixed.contains(port)) {
            state.problem(
                    e.portPosition(),
                    r.who() + " has no " + direction + " port '" + port + "'",
                    Suggestions.didYouMean(port, fixed, "its " + direction + " ports"));
            return null;
        }
        if (fixed.isEmpty() && declares && !declaredNames.contains(port) && !PortName.isError(port)) {
            String list = sending ? "outputs" : "inputs";
            state.problem(
                    e.portPosition(),
                    "component '" + e.component() + "' has no " + direction + " port '" + port + "'",
                    declaredNames.isEmpty()
                            ? "add it to the component's " + list + ": list"
                            : Suggestions.didYouMean(port, declaredNames, "its " + list + " list")
                                    + "; or add it there");
            return null;
        }
        return r;
    }

    private static String suggestSuffix(String port) {
        String s = port.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_").replaceAll("^(in|out|err)_?", "");
        return s.isEmpty() ? "orders" : s;
    }
}
