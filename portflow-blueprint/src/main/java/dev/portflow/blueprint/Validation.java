package dev.portflow.blueprint;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of validating a blueprint: every problem, in file order, and the model when the
 * YAML could be read at all.
 *
 * @param blueprint the model, or {@code null} when the file is not a YAML mapping (syntax error, empty)
 * @param problems  every problem found; empty when the blueprint is valid
 */
public record Validation(Blueprint blueprint, List<Problem> problems) {

    public Validation {
        problems = problems.stream().sorted(Problem.BY_POSITION).toList();
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
        if (!problems.isEmpty()) {
            throw new BlueprintException(problems);
        }
        return blueprint;
    }

    /** One formatted problem per line ({@code file:line:col: message (hint: ...)}), or "" when valid. */
    public String report() {
        return problems.stream().map(Problem::format).collect(Collectors.joining("\n"));
    }
}
