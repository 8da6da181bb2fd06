package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.validate.BlueprintValidator.Edge;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the checks of one validation share: the blueprint, the problems found so far in their two
 * tiers (see {@link BlueprintValidator}), and what the earlier checks understood of the components
 * and connections, which the later ones build on.
 */
final class ValidationState {

    final Blueprint blueprint;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> pipelineProblems = new ArrayList<>();
    /** The components by name, each the first declared with its (valid) name. */
    final Map<String, Resolved> components = new LinkedHashMap<>();
    /** The component entries by name, each the first declared with its (valid) name. */
    final Map<String, ComponentSpec> declared = new LinkedHashMap<>();
    /** The connections whose two ends check out, in file order. */
    final List<Edge> edges = new ArrayList<>();
    /** Components named by some connection, valid or not. */
    final Set<String> mentioned = new HashSet<>();
    /**
     * Components named by a connection that has a problem, or the likely target of a misspelt name in
     * one: their port counts are not known.
     */
    final Set<String> incomplete = new HashSet<>();

    ValidationState(Blueprint blueprint) {
        this.blueprint = blueprint;
    }

    /** A problem of a single element. */
    void problem(Position at, String message, @Nullable String hint) {
        problems.add(Problem.at(blueprint.file(), at, message, hint));
    }

    /** A problem of the pipeline as a whole, listed after those of single elements. */
    void pipelineProblem(Position at, String message, @Nullable String hint) {
        pipelineProblems.add(Problem.at(blueprint.file(), at, message, hint));
    }

    /** How many problems of single elements were found so far. */
    int problemCount() {
        return problems.size();
    }

    /** Whether {@code r} is the component its name stands for (not a second one declared with that name). */
    @SuppressWarnings("ReferenceEquality") // this very Resolved: a record with mutable port sets
    boolean registered(Resolved r) {
        return r.spec().name() != null && components.get(r.spec().name()) == r;
    }

    /** The problems, each tier in file order, and what was understood. */
    BlueprintValidator.Result result() {
        return new BlueprintValidator.Result(
                problems.stream().sorted(Problem.BY_POSITION).toList(),
                pipelineProblems.stream().sorted(Problem.BY_POSITION).toList(),
                components,
                List.copyOf(edges));
    }
}
