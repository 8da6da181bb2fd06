package dev.portflow.runtime;

/** The life of a pipeline. */
public enum PipelineState {
    /** Built, not started. */
    NEW,
    /** Components are being set up. */
    STARTING,
    /** Components run; ready for traffic. */
    RUNNING,
    /** Sources stopped; buffered messages are flowing to the sinks. */
    DRAINING,
    /** Every component has finished. */
    STOPPED,
    /** Start failed; nothing runs. */
    FAILED
}
