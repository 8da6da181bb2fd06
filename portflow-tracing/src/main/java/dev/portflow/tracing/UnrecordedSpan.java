package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * A stage span the OpenTelemetry SDK declined to record (a sampler of its own, no span processor): ending it
 * does nothing, and the messages the stage sends keep {@code parent}'s context, so a later span still finds
 * the trace.
 */
record UnrecordedSpan(TraceContext context) implements StageSpan {

    @Override
    public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {}
}
