package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.port.PortName;
import java.util.List;
import java.util.Set;

/**
 * Problems of the pipeline as a whole about one component's connected ports: it is connected at
 * all, has at most one {@code err_*} port, and as many input and output ports as its
 * {@link PortRule} allows. Left out for a component whose connections have problems
 * ({@link ValidationState#incomplete}): its counts would mislead.
 */
final class PortRules {

    private PortRules() {}

    /** The port counts of {@code r}, a registered component of a known kind, whose ports follow {@code rule}. */
    static void check(ValidationState state, Resolved r, PortRule rule) {
        Set<String> ins = r.inputs();
        Set<String> outs = r.outputs();
        Position at = r.spec().position("name");
        if (state.incomplete.contains(r.spec().name())) {
            return; // a connection of it (or meant for it) has a problem already; its port counts would mislead
        }
        if (!state.mentioned.contains(r.spec().name())) {
            state.pipelineProblem(
                    at, r.who() + " is not connected to anything", "connect it under connections:, or remove it");
            return;
        }
        List<String> dataOuts = outs.stream().filter(p -> !PortName.isError(p)).toList();
        List<String> errorOuts = outs.stream().filter(PortName::isError).toList();
        if (errorOuts.size() > 1) {
            state.pipelineProblem(
                    at,
                    r.who() + " has " + errorOuts.size() + " err_* ports " + errorOuts + "; at most one is allowed",
                    "send all of its errors to one err_* port; it may feed several connections");
        }
        if (rule.maxInputs() > 0 && (ins.size() < rule.minInputs() || ins.size() > rule.maxInputs())) {
            String need = rule.minInputs() == rule.maxInputs()
                    ? "exactly " + rule.minInputs()
                    : rule.maxInputs() == PortRule.UNBOUNDED
                            ? "at least " + rule.minInputs()
                            : rule.minInputs() + " to " + rule.maxInputs();
            if (ins.isEmpty()) {
                state.pipelineProblem(
                        at,
                        r.who() + " needs an in_* port connected",
                        "add a connection - {from: <component>.out_<name>, to: "
                                + r.spec().name() + ".in_<name>}");
            } else {
                state.pipelineProblem(
                        at,
                        r.who() + " needs " + need + " in_* port" + (rule.maxInputs() == 1 ? "" : "s") + ", has " + ins,
                        "connect several upstreams to the same in_* port, or put a merge in front");
            }
        }
        if (rule.maxOutputs() > 0 && (dataOuts.size() < rule.minOutputs() || dataOuts.size() > rule.maxOutputs())) {
            if (dataOuts.isEmpty()) {
                String port = rule.fixedOutputs().isEmpty()
                        ? "out_<name>"
                        : rule.fixedOutputs().getFirst();
                state.pipelineProblem(
                        at,
                        r.who() + " needs " + (rule.fixedOutputs().isEmpty() ? "an out_* port" : port) + " connected",
                        "add a connection - {from: " + r.spec().name() + "." + port + ", to: <component>.in_<name>}");
            } else {
                state.pipelineProblem(
                        at,
                        r.who() + " needs exactly " + rule.maxOutputs() + " out_* port, has " + dataOuts,
                        "connect one out_* port to several inputs to broadcast, or use a router");
            }
        }
    }
}
