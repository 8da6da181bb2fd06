package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.runtime.PipelineBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the steps of one assembly share: the blueprint, which of its components run in this process,
 * the pipeline being built, the blueprint's schemas as JSON, and what went wrong so far: problems of
 * the blueprint, and failures to start (something outside the blueprint, Kafka or the network,
 * failed) with the first failure's exception.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs
 * the steps of this package on it and turns what they report into its exceptions.
 */
public final class AssemblyState {

    private final Blueprint blueprint;
    private final String pipeline;
    private final PipelineBuilder builder;
    private final Predicate<String> runsHere;
    private final Map<String, JsonNode> schemas;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> failures = new ArrayList<>();
    private @Nullable Throwable failureCause;

    /**
     * @param pipeline the pipeline's name (the blueprint's {@code name:})
     * @param builder  the pipeline to build into
     * @param runsHere whether a component (by name) is built and run in this process
     */
    public AssemblyState(Blueprint blueprint, String pipeline, PipelineBuilder builder, Predicate<String> runsHere) {
        this.blueprint = blueprint;
        this.pipeline = pipeline;
        this.builder = builder;
        this.runsHere = runsHere;
        Map<String, JsonNode> json = new LinkedHashMap<>();
        blueprint.schemas().forEach((name, s) -> json.put(name, s.json()));
        this.schemas = Collections.unmodifiableMap(json);
    }

    public Blueprint blueprint() {
        return blueprint;
    }

    /** The pipeline's name. */
    public String pipeline() {
        return pipeline;
    }

    public PipelineBuilder builder() {
        return builder;
    }

    boolean runsHere(String component) {
        return runsHere.test(component);
    }

    /** The JSON Schemas by name, in file order. */
    Map<String, JsonNode> schemas() {
        return schemas;
    }

    /** A problem of the blueprint. */
    void problem(Position at, String message, @Nullable String hint) {
        problems.add(Problem.at(blueprint.file(), at, message, hint));
    }

    /** A failure to start, caused by {@code exception}. */
    void failure(Position at, String message, @Nullable String hint, Throwable exception) {
        failures.add(Problem.at(blueprint.file(), at, message, hint));
        if (failureCause == null) {
            failureCause = exception;
        }
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** The problems of the blueprint found so far, in file order. */
    public List<Problem> problems() {
        return problems.stream().sorted(Problem.BY_POSITION).toList();
    }

    /** The failures to start so far, in the order they happened. */
    public List<Problem> failures() {
        return List.copyOf(failures);
    }

    /** The first failure's exception, or {@code null}. */
    public @Nullable Throwable failureCause() {
        return failureCause;
    }
}
