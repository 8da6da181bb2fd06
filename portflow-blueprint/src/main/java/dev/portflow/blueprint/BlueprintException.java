package dev.portflow.blueprint;

import dev.portflow.blueprint.model.Problem;
import java.util.List;

/**
 * A blueprint has problems: every one is listed, and nothing was started. A failure outside the
 * blueprint (Kafka unreachable, a host that cannot be bound) is a {@link StartFailureException}.
 */
public final class BlueprintException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public BlueprintException(List<Problem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a BlueprintException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    private static String describe(List<Problem> problems) {
        StringBuilder text = new StringBuilder("invalid blueprint (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        for (Problem p : problems) {
            text.append('\n').append(p.format());
        }
        return text.toString();
    }

    /** Every problem, causes first (see {@link Validation}). */
    public List<Problem> problems() {
        return problems;
    }
}
