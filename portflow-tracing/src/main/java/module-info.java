/**
 * Message traces with OpenTelemetry: {@link dev.portflow.tracing.OpenTelemetryTracing} is core's
 * {@link dev.portflow.trace.Tracing} as OpenTelemetry spans, exported over OTLP by the SDK that the standard
 * {@code OTEL_*} environment variables configure ({@code docs/tracing.md}). It exports its one package,
 * {@code dev.portflow.tracing}; its public types are {@code OpenTelemetryTracing} and {@code TracingSettings},
 * everything else in it (the per-pipeline tracer, its spans and contexts, the clock mapping, the late-trace
 * limit, the {@code traceparent} parser) is package-private.
 *
 * <p>The OTLP exporter and its JDK HttpClient sender are not required here: the SDK's autoconfiguration finds
 * them through {@link java.util.ServiceLoader} on the class path, where the launcher puts every jar.
 */
module dev.portflow.tracing {
    // OpenTelemetryTracing is a Tracing (MessageTracer, StageSpan, TraceContext, Ticker); @Nullable in the API
    requires transitive dev.portflow.core;
    requires transitive org.jspecify;
    // OpenTelemetryTracing.create takes an OpenTelemetry
    requires transitive io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk; // OpenTelemetrySdk, shut down by close()
    // OpenTelemetryTracing.exporting takes a SpanExporter and a Resource
    requires transitive io.opentelemetry.sdk.common; // Resource, CompletableResultCode
    requires transitive io.opentelemetry.sdk.trace; // SpanExporter; BatchSpanProcessor, ReadableSpan, SpanData
    requires io.opentelemetry.sdk.metrics; // BatchProcessorCounts: the batch processor's own counts
    requires io.opentelemetry.sdk.autoconfigure; // fromEnvironment: the OTEL_* variables
    requires io.opentelemetry.sdk.autoconfigure.spi; // ConfigProperties, in its customizers

    // fromEnvironment makes the exporters OTEL_TRACES_EXPORTER names itself (ConfiguredSpanExporters)
    uses io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;

    exports dev.portflow.tracing;
}
