package dev.portflow.trace;

import dev.portflow.time.Ticker;

/**
 * A tracing backend: gives each pipeline its {@link MessageTracer}. Set one with {@code
 * PipelineBuilder.tracing(...)}; the OpenTelemetry one is {@code dev.portflow.tracing.OpenTelemetryTracing}
 * ({@code portflow-tracing}). A pipeline built without one traces nothing and pays nothing for it. A backend
 * that is also a Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder} is bound to the registry of
 * each pipeline built with it, so its own meters (spans it dropped, say) are where the pipeline's are.
 */
@FunctionalInterface
public interface Tracing {

    /** The tracer of the pipeline {@code pipeline}, whose times are readings of {@code ticker}. */
    MessageTracer forPipeline(String pipeline, Ticker ticker);
}
