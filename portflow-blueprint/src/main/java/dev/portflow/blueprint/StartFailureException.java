package dev.portflow.blueprint;

import dev.portflow.blueprint.model.Problem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A valid blueprint could not be started because of something outside it: Kafka cannot be reached,
 * the server's host does not resolve or cannot be bound. Not a mistake in the file (that is a
 * {@link BlueprintException}); the CLI exits 1 for it, not 2. Each failure is a {@link Problem} at
 * the part of the blueprint it concerns; nothing was started.
 */
public final class StartFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /**
     * @param pipeline the pipeline's name
     * @param problems what failed, at least one
     * @param cause    the first failure's exception, or {@code null}
     */
    public StartFailureException(String pipeline, List<Problem> problems, @Nullable Throwable cause) {
        super(describe(pipeline, problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a StartFailureException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    private static String describe(String pipeline, List<Problem> problems) {
        StringBuilder text =
                new StringBuilder("cannot start pipeline '").append(pipeline).append("'");
        for (Problem p : problems) {
            text.append('\n').append(p.format());
        }
        return text.toString();
    }

    /** What failed, where in the blueprint. */
    public List<Problem> problems() {
        return problems;
    }
}
