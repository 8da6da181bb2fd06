package dev.portflow.runtime;

import java.util.List;

/** A pipeline definition has problems; every one is listed and nothing was started. */
public final class PipelineDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public PipelineDefinitionException(List<String> problems) {
        super("invalid pipeline definition:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
