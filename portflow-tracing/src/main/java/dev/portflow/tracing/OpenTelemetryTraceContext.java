package dev.portflow.tracing;

import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.SpanContext;

/**
 * A {@link TraceContext} that is an OpenTelemetry span's context: what messages sent while that span is
 * open carry, so that their next spans are its children without parsing ids back.
 */
record OpenTelemetryTraceContext(SpanContext spanContext) implements TraceContext {

    @Override
    public String traceId() {
        return spanContext.getTraceId();
    }

    @Override
    public String spanId() {
        return spanContext.getSpanId();
    }
}
