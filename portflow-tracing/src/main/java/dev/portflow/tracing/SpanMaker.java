package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.SpanContext;
import org.jspecify.annotations.Nullable;

/**
 * How a pipeline's {@link OpenTelemetryMessageTracer} makes its spans, once it decided to: through an
 * OpenTelemetry {@code Tracer} ({@link TracerSpanMaker}, for an OpenTelemetry the application gives), or
 * recorded by Portflow and handed straight to a span processor ({@link SpanRecorder}, when Portflow builds the
 * SDK: a fraction of the cost, see docs/tracing.md, "What it costs"). Both make the same spans. Times are
 * epoch nanoseconds.
 */
interface SpanMaker {

    /**
     * Starts a span that the runtime ends ({@link StageSpan#end}); null if the backend declined to record it.
     * Its parent: {@code parent} (a span of this pipeline, or ids carried over a wire), else {@code caller} (a
     * caller's {@code traceparent}, continued as sampled), else none (a root).
     */
    @Nullable
    StageSpan open(SpanShape shape, @Nullable TraceContext parent, @Nullable SpanContext caller, long startEpochNanos);

    /**
     * A span that already ended, child of {@code parent} (a root when null); the context of its children, or
     * null if the backend declined to record it.
     */
    @Nullable
    TraceContext ended(SpanShape shape, @Nullable TraceContext parent, long startEpochNanos, long endEpochNanos);
}
