package dev.portflow.runtime;

import java.util.List;

/**
 * What {@link Pipeline#health()} finds: {@code UP}, or {@code DEGRADED} with one line per component
 * that fails every message, hangs on one, or stopped with an error.
 *
 * @param status   {@code UP} or {@code DEGRADED}
 * @param problems the degraded components, in topological order; empty when {@code UP}
 */
public record PipelineHealth(Status status, List<ComponentProblem> problems) {

    /** Overall health. */
    public enum Status {
        UP,
        DEGRADED
    }

    /**
     * One degraded component.
     *
     * @param component the component's name
     * @param reason    what is wrong, in one sentence (e.g. "the last 10 messages failed (IOException: No space left on device)")
     */
    public record ComponentProblem(String component, String reason) {}

    public PipelineHealth {
        problems = List.copyOf(problems);
    }

    static PipelineHealth of(List<ComponentProblem> problems) {
        return new PipelineHealth(problems.isEmpty() ? Status.UP : Status.DEGRADED, problems);
    }

    public boolean isDegraded() {
        return status == Status.DEGRADED;
    }
}
