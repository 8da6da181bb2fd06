package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Spans made through an OpenTelemetry {@link Tracer}: for an OpenTelemetry the application gave ({@link
 * OpenTelemetryTracing#create}), whose span processors (its own included) see every span. Every span is given
 * its parent explicitly (a root has none): the thread's current OpenTelemetry context, whatever the user's
 * code put there, never becomes a parent.
 */
final class TracerSpanMaker implements SpanMaker {

    private final Tracer tracer;
    private final EpochClock clock;

    TracerSpanMaker(Tracer tracer, EpochClock clock) {
        this.tracer = tracer;
        this.clock = clock;
    }

    @Override
    public @Nullable StageSpan open(
            SpanShape shape, @Nullable TraceContext parent, @Nullable SpanContext caller, long startEpochNanos) {
        SpanBuilder builder = builder(shape, startEpochNanos);
        if (parent != null) {
            builder.setParent(parentContext(parent));
        } else if (caller != null) {
            // Portflow's decision is the decision: a caller that did not sample continues as sampled, so a
            // parent-based sampler in the SDK follows it too
            SpanContext sampled = SpanContext.createFromRemoteParent(
                    caller.getTraceId(), caller.getSpanId(), TraceFlags.getSampled(), caller.getTraceState());
            builder.setParent(Context.root().with(Span.wrap(sampled)));
        } else {
            builder.setNoParent();
        }
        Span span = builder.startSpan();
        if (!span.isRecording()) { // the SDK declined (disabled, no span processor, or a sampler of its own)
            span.end();
            return null;
        }
        return new OpenTelemetryStageSpan(span, clock);
    }

    @Override
    public @Nullable TraceContext ended(
            SpanShape shape, @Nullable TraceContext parent, long startEpochNanos, long endEpochNanos) {
        SpanBuilder builder = builder(shape, startEpochNanos);
        if (parent != null) {
            builder.setParent(parentContext(parent));
        } else {
            builder.setNoParent();
        }
        Span span = builder.startSpan();
        boolean recording = span.isRecording(); // asked before end(): an ended span records no more
        span.end(endEpochNanos, TimeUnit.NANOSECONDS);
        return recording ? new OpenTelemetryTraceContext(span) : null;
    }

    private SpanBuilder builder(SpanShape shape, long startEpochNanos) {
        return tracer.spanBuilder(shape.name())
                .setSpanKind(shape.kind())
                .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
                .setAllAttributes(shape.attributes());
    }

    /**
     * The OpenTelemetry context whose span is {@code parent}: the span itself when it is one of ours, or one
     * made from its ids (a context carried over a wire).
     */
    private static Context parentContext(TraceContext parent) {
        if (parent instanceof OpenTelemetryTraceContext ours) {
            return ours.asParent();
        }
        return Context.root()
                .with(Span.wrap(SpanContext.createFromRemoteParent(
                        parent.traceId(), parent.spanId(), TraceFlags.getSampled(), TraceState.getDefault())));
    }
}
