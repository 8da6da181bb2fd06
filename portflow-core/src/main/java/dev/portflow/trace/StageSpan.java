package dev.portflow.trace;

import org.jspecify.annotations.Nullable;

/** One stage's handling of one traced message: started when the stage took it, ended once. */
public interface StageSpan {

    /** The context of the messages the stage sends while handling this one. */
    TraceContext context();

    /**
     * Ends the span.
     *
     * @param endNanos     when the stage finished the message, on the pipeline's ticker
     * @param blockedNanos how long of it the stage waited on full outputs
     * @param error        the failure, or null when the stage handled the message
     */
    void end(long endNanos, long blockedNanos, @Nullable Throwable error);
}
