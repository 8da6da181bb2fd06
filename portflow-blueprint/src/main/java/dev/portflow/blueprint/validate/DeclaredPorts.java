package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.PortSpec;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.port.PortName;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ports a component lists under {@code inputs:} and {@code outputs:}: each listed once, named as
 * an input or output port, one the component can have (a source has no inputs, a sink no {@code out_*}
 * ports, a recipe with fixed ports only those), and each schema it names declared.
 */
final class DeclaredPorts {

    private DeclaredPorts() {}

    /** The ports listed under {@code inputs:} and {@code outputs:}. */
    static void check(ValidationState state, Resolved r) {
        ComponentSpec c = r.spec();
        PortRule rule = r.rule();
        Set<String> seen = new LinkedHashSet<>();
        for (PortSpec p : c.inputs()) {
            if (!seen.add(p.name())) {
                state.problem(p.position(), "port '" + p.name() + "' is listed twice", null);
            } else if (!PortName.isInput(p.name())) {
                state.problem(
                        p.position(),
                        PortName.isOutput(p.name())
                                ? "'" + p.name() + "' is an output port name, but it is listed in inputs"
                                : "bad port name '" + p.name() + "'",
                        "input ports are named in_<name> (lower case letters, digits, '_'), e.g. in_orders");
            } else if (rule != null && rule.maxInputs() == 0) {
                state.problem(p.position(), r.who() + " is a source: it has no input ports", "remove inputs:");
            } else if (rule != null
                    && !rule.fixedInputs().isEmpty()
                    && !rule.fixedInputs().contains(p.name())) {
                state.problem(
                        p.position(),
                        r.who() + " has no input port '" + p.name() + "'",
                        Suggestions.didYouMean(p.name(), rule.fixedInputs(), "its input ports"));
            }
            Schemas.reference(state, p);
        }
        for (PortSpec p : c.outputs()) {
            if (!seen.add(p.name())) {
                state.problem(p.position(), "port '" + p.name() + "' is listed twice", null);
            } else if (!PortName.isOutput(p.name())) {
                state.problem(
                        p.position(),
                        PortName.isInput(p.name())
                                ? "'" + p.name() + "' is an input port name, but it is listed in outputs"
                                : "bad port name '" + p.name() + "'",
                        "output ports are named out_<name> or err_<name> (lower case letters, digits, '_'), e.g. out_orders");
            } else if (rule != null
                    && !rule.fixedOutputs().isEmpty()
                    && !rule.fixedOutputs().contains(p.name())) {
                state.problem(
                        p.position(),
                        r.who() + " has no output port '" + p.name() + "'",
                        Suggestions.didYouMean(p.name(), rule.fixedOutputs(), "its output ports"));
            } else if (rule != null && rule.maxOutputs() == 0 && !PortName.isError(p.name())) {
                state.problem(
                        p.position(),
                        r.who() + " is a sink: it has no out_* ports",
                        "a sink may only have an err_* port");
            }
            Schemas.reference(state, p);
        }
    }
}
