package dev.portflow.tracing;

import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/**
 * A {@link TraceContext} that is an OpenTelemetry span: what messages sent while that span is open
 * carry, so that their next spans are its children without parsing ids back. It keeps the span
 * itself, not only its context: a child whose parent is the SDK's own span shares the parent's clock
 * anchor, where a parent known only by its ids makes the SDK read the wall clock for a new one.
 */
record OpenTelemetryTraceContext(Span span) implements TraceContext {

    SpanContext spanContext() {
        return span.getSpanContext();
    }

    /** The OpenTelemetry context whose span is this one: the parent of the next spans. */
    Context asParent() {
        return Context.root().with(span);
    }

    @Override
    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    @Override
    public String spanId() {
        return span.getSpanContext().getSpanId();
    }
}
