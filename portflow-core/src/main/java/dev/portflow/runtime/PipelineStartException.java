package dev.portflow.runtime;

/** A component's setup failed, so the pipeline did not start. */
public final class PipelineStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PipelineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
