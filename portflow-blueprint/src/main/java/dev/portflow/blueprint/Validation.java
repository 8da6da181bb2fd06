package dev.portflow.blueprint;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.blueprint.model.Problem;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of validating a blueprint: every problem, causes first, and the model when the YAML
 * could be read at all.
 *
 * <p>Order: first the problems of single elements (the file's text and YAML syntax, unknown or
 * duplicate keys, names, values, references, options), in file order; then the problems of the
 * pipeline as a whole (port counts, components connected to nothing, routes without a connection,
 * cycles), in file order, since they may follow from the former. A problem that only follows from
 * another is left out: the port counts of a component a broken connection names (or was probably
 * meant for), the other problems of a value naming an unset environment variable.
 *
 * @param blueprint the model, or {@code null} when the file is not a YAML mapping (unreadable,
 *                  syntax error, empty, over a size limit): then a problem says why
 * @param problems  every problem found, in that order; empty when the blueprint is valid
 */
public record Validation(@Nullable Blueprint blueprint, List<Problem> problems) {

    public Validation {
        problems = List.copyOf(problems);
        if (blueprint == null && problems.isEmpty()) {
            throw new IllegalArgumentException("a validation without a model has a problem that says why");
        }
    }

    /** Whether there is no problem. */
    public boolean isValid() {
        return problems.isEmpty();
    }

    /** The model, when the YAML could be read. */
    public Optional<Blueprint> model() {
        return Optional.ofNullable(blueprint);
    }

    /**
     * The blueprint if valid.
     *
     * @throws BlueprintException listing every problem
     */
    public Blueprint orThrow() {
        if (problems.isEmpty() && blueprint != null) { // without problems there is a model
            return blueprint;
        }
        throw new BlueprintException(problems);
    }

    /** One formatted problem per line ({@code file:line:col: message (hint: ...)}), or "" when valid. */
    public String report() {
        return problems.stream().map(Problem::format).collect(Collectors.joining("\n"));
    }
}
