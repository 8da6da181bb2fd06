package dev.portflow.tracing;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.Tracing;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Portflow's message traces as OpenTelemetry spans (docs/tracing.md, "OpenTelemetry and OTLP"): give it
 * to {@code PipelineBuilder.tracing(...)}; each pipeline gets a tracer that samples with the {@link
 * TracingSettings} and reports the spans of its traced messages to an OpenTelemetry {@link Tracer}.
 *
 * <ul>
 *   <li>{@link #fromEnvironment} builds and owns an OpenTelemetry SDK configured by the standard
 *       {@code OTEL_*} environment variables (and {@code otel.*} system properties): OTLP over
 *       {@code http/protobuf} unless {@code OTEL_EXPORTER_OTLP_PROTOCOL} says otherwise, to
 *       {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), as
 *       {@code OTEL_SERVICE_NAME} (default {@code portflow}, or the name given), through a batch span processor
 *       ({@code OTEL_BSP_*}), with no metrics and no logs whatever {@code OTEL_METRICS_EXPORTER} and {@code
 *       OTEL_LOGS_EXPORTER} say. {@link #close()} shuts it down, which exports the spans still in the batch.
 *   <li>{@link #exporting} hands the spans to an exporter the application made, through a batch span
 *       processor; {@link #close()} shuts both down.
 *   <li>{@link #create} uses an OpenTelemetry the application already has; closing this leaves it open.
 * </ul>
 *
 * <p>The first two record the spans themselves, a fraction of the cost of the SDK's spans, and hand them
 * straight to the batch processor; with {@link #create} the application's tracer makes them, so its span
 * processors see them (docs/tracing.md, "What it costs").
 *
 * <p>The SDK's sampler is always {@code always_on}: Portflow decides which messages are traced (the ratio at
 * the entry, slow and failed messages later) and then needs every span of a traced message, since the
 * spans of one message are made at different stages, on different threads and at different times. A
 * ratio sampler in the SDK would drop entry spans of messages Portflow traces, or keep a late trace's
 * stage spans without the root that explains them. {@code OTEL_TRACES_SAMPLER} is therefore overridden
 * (with a warning unless it says {@code always_on} or {@code parentbased_always_on}); the ratio is {@link
 * TracingSettings#sampleRatio()}, the blueprint's {@code tracing: {sample_ratio: ...}}. An SDK given to
 * {@link #create} should sample the same way ({@code parentbased_always_on}, the SDK's default, does).
 */
public final class OpenTelemetryTracing implements Tracing, MeterBinder, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.portflow.tracing");

    /** The instrumentation scope of every span. */
    static final String SCOPE = "dev.portflow";

    /**
     * How many ended spans the batch processor keeps waiting for export (more are dropped, never blocking a
     * stage) where {@code OTEL_BSP_MAX_QUEUE_SIZE} says nothing: 16 times the SDK's 2048. The processor exports
     * one batch at a time and waits for it, so its rate is a batch per round trip; with the SDK's 2048 and 512
     * a pipeline at 4 M msg/s tracing 1 % (200,000 spans a second through two stages) lost 22-60 % of its
     * spans over OTLP, with these 1-2.5 % (BENCHMARKS.md, "Exporting over OTLP"). About 100 bytes a
     * waiting span.
     */
    static final int MAX_QUEUE_SIZE = 32_768;

    /** Spans per export request where {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE} says nothing (the SDK's: 512). */
    static final int MAX_EXPORT_BATCH_SIZE = 4_096;

    /**
     * The SDK's configuration where the environment and system properties say nothing: spans over OTLP
     * (http/protobuf), an always-on sampler (see the class comment; also forced, below), and a batch
     * processor sized for a pipeline's spans ({@link #MAX_QUEUE_SIZE}, {@link #MAX_EXPORT_BATCH_SIZE}).
     */
    static final Map<String, String> SDK_DEFAULTS = Map.of(
            "otel.traces.exporter", "otlp",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.traces.sampler", "always_on",
            "otel.bsp.max.queue.size", String.valueOf(MAX_QUEUE_SIZE),
            "otel.bsp.max.export.batch.size", String.valueOf(MAX_EXPORT_BATCH_SIZE));

    /**
     * What the SDK is told whatever the environment says: no metrics and no logs. Portflow's metrics are
     * Micrometer's ({@code /metrics}, and the OTLP push of {@code portflow-blueprint}, which reads {@code
     * OTEL_METRICS_EXPORTER} itself); the SDK would start an idle metrics exporter for {@code otlp} and refuse to
     * start for {@code prometheus}, an exporter it does not have.
     */
    static final Map<String, String> SDK_FORCED = Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none");

    private static final Set<String> ALWAYS_ON = Set.of("always_on", "parentbased_always_on");
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    private static final String DEFAULT_SERVICE_NAME = "portflow";

    /** What {@code otel.traces.exporter} said, kept while autoconfiguration is told {@code none}: see fromEnvironment. */
    private static final String TRACES_EXPORTER = "portflow.traces.exporter";

    /**
     * Each pipeline's span maker, on its clock: the application's tracer ({@link #create}), or Portflow's recorded
     * spans into {@link #processor} ({@link #fromEnvironment}, {@link #exporting}).
     */
    private final Function<EpochClock, SpanMaker> spanMakers;
    /** Where recorded spans go as they end; null when a tracer makes the spans. */
    private final @Nullable SpanProcessor processor;
    /** The batch processor's own counts (dropped, queued); null when a tracer makes the spans. */
    private final @Nullable BatchProcessorCounts counts;
    /** What the exporter made of the spans (delivered, failed); null when there is none or a tracer makes the spans. */
    private final @Nullable CountedSpanExporter exports;

    private final TracingSettings settings;
    /** What {@link #close()} shuts down (and so flushes): the SDK or the processor this built; null for create's. */
    private final @Nullable Supplier<CompletableResultCode> owned;

    private final Traceparents traceparents = new Traceparents();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Spans made by {@code tracer}. */
    private OpenTelemetryTracing(
            Tracer tracer, TracingSettings settings, @Nullable Supplier<CompletableResultCode> owned) {
        this.spanMakers = clock -> new TracerSpanMaker(tracer, clock);
        this.processor = null;
        this.counts = null;
        this.exports = null;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owned = owned;
    }

    /**
     * Spans recorded by Portflow, with {@code resource}, handed to {@code processor}, which reports to {@code counts}
     * and exports through {@code exports} (null: it exports nothing).
     */
    private OpenTelemetryTracing(
            SpanProcessor processor,
            BatchProcessorCounts counts,
            @Nullable CountedSpanExporter exports,
            Resource resource,
            TracingSettings settings,
            @Nullable Supplier<CompletableResultCode> owned) {
        this.spanMakers = clock -> new SpanRecorder(processor, resource, clock);
        this.processor = processor;
        this.counts = counts;
        this.exports = exports;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owned = owned;
    }

    /** Traces with {@code openTelemetry}, which the caller keeps and closes ({@link #close()} leaves it open). */
    public static OpenTelemetryTracing create(OpenTelemetry openTelemetry, TracingSettings settings) {
        Tracer tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
        return new OpenTelemetryTracing(tracer, settings, null);
    }

    /**
     * Traces straight into {@code exporter}: Portflow records the spans itself and hands them to the SDK's
     * {@code BatchSpanProcessor} (export every 5 s or {@value #MAX_EXPORT_BATCH_SIZE} spans, at most
     * {@value #MAX_QUEUE_SIZE} waiting, more are dropped and never block a stage), as {@link #fromEnvironment}
     * does; no OpenTelemetry SDK is built and the application's span processors see nothing. The cheapest
     * way to trace (docs/tracing.md, "What it costs"). {@link #close()} exports the spans still waiting and
     * shuts the exporter down.
     *
     * @param resource the resource of every span ({@code service.name} and the like)
     */
    public static OpenTelemetryTracing exporting(SpanExporter exporter, Resource resource, TracingSettings settings) {
        BatchProcessorCounts counts = new BatchProcessorCounts();
        CountedSpanExporter exports = new CountedSpanExporter(Objects.requireNonNull(exporter, "exporter"));
        SpanProcessor processor = batch(
                BatchSpanProcessor.builder(exports)
                        .setMaxQueueSize(MAX_QUEUE_SIZE)
                        .setMaxExportBatchSize(MAX_EXPORT_BATCH_SIZE),
                counts);
        return new OpenTelemetryTracing(
                processor,
                counts,
                exports,
                Objects.requireNonNull(resource, "resource"),
                settings,
                processor::shutdown);
    }

    /**
     * The batch processor recorded spans go to. It takes every span without asking whether it is sampled (they
     * all are: Portflow sampled them), so the pipeline's threads never make a span's ids in hex: the export
     * thread does, when the exporter reads them. It reports what it drops and what waits to {@code counts}
     * (semantic-convention names, which {@link BatchProcessorCounts} reads).
     */
    private static BatchSpanProcessor batch(BatchSpanProcessorBuilder builder, BatchProcessorCounts counts) {
        return builder.setExportUnsampledSpans(true)
                .setMeterProvider(counts.meterProvider())
                .setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
                .build();
    }

    /**
     * Traces with an OpenTelemetry SDK configured by the {@code OTEL_*} environment variables and
     * {@code otel.*} system properties (see the class comment), which this owns: {@link #close()} flushes
     * and shuts it down.
     *
     * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException if a variable has a value the SDK
     *                                                                        cannot use
     */
    public static OpenTelemetryTracing fromEnvironment(TracingSettings settings) {
        return fromEnvironment(settings, DEFAULT_SERVICE_NAME, null);
    }

    /**
     * As {@link #fromEnvironment(TracingSettings)}, with the resource's {@code service.name} {@code serviceName}
     * (e.g. the pipeline's name) unless {@code OTEL_SERVICE_NAME} or {@code OTEL_RESOURCE_ATTRIBUTES} names the
     * service, and its {@code service.instance.id} {@code serviceInstanceId} unless {@code OTEL_RESOURCE_ATTRIBUTES}
     * names it ({@code null}: none of this).
     *
     * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException if a variable has a value the SDK
     *                                                                        cannot use
     */
    public static OpenTelemetryTracing fromEnvironment(
            TracingSettings settings, String serviceName, @Nullable String serviceInstanceId) {
        return fromEnvironment(settings, Map.of(), serviceName, serviceInstanceId);
    }

    /**
     * As {@link #fromEnvironment(TracingSettings)}, with {@code properties} ({@code otel.*} names) in place
     * of the defaults: what the environment and system properties leave unsaid. For tests that point the
     * exporter somewhere without changing the process's environment.
     */
    static OpenTelemetryTracing fromEnvironment(TracingSettings settings, Map<String, String> properties) {
        return fromEnvironment(settings, properties, DEFAULT_SERVICE_NAME, null);
    }

    static OpenTelemetryTracing fromEnvironment(
            TracingSettings settings,
            Map<String, String> properties,
            String serviceName,
            @Nullable String serviceInstanceId) {
        Objects.requireNonNull(serviceName, "serviceName");
        Map<String, String> defaults = new HashMap<>(SDK_DEFAULTS);
        defaults.putAll(properties);
        AtomicReference<@Nullable Resource> resource = new AtomicReference<>();
        AtomicReference<@Nullable SpanProcessor> processor = new AtomicReference<>();
        AtomicReference<@Nullable CountedSpanExporter> exports = new AtomicReference<>();
        BatchProcessorCounts counts = new BatchProcessorCounts();
        AtomicBoolean tracesConfigured = new AtomicBoolean(); // not with otel.sdk.disabled
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(OpenTelemetryTracing::forced) // over the environment and properties too
                .addSamplerCustomizer((configured, config) -> alwaysOn(config))
                .addResourceCustomizer((configured, config) -> {
                    Resource named = withDefaults(configured, config, serviceName, serviceInstanceId);
                    resource.set(named);
                    return named;
                })
                .addTracerProviderCustomizer((builder, config) -> {
                    tracesConfigured.set(true);
                    // the exporters autoconfiguration was told not to make (see forced), in a batch processor of
                    // Portflow's that the SDK owns: shutting the SDK down flushes it
                    SpanExporter exporter = ConfiguredSpanExporters.create(config.getList(TRACES_EXPORTER), config);
                    if (exporter != null) {
                        CountedSpanExporter counted = new CountedSpanExporter(exporter);
                        exports.set(counted);
                        BatchSpanProcessor batch =
                                batch(configured(BatchSpanProcessor.builder(counted), config), counts);
                        processor.set(batch);
                        builder.addSpanProcessor(batch);
                    }
                    return builder;
                })
                .disableShutdownHook() // close() is the owner's, after the pipeline drained: see docs/tracing.md
                .build()
                .getOpenTelemetrySdk();
        Resource named = resource.get();
        if (named == null || !tracesConfigured.get()) { // otel.sdk.disabled: its tracer records nothing
            return new OpenTelemetryTracing(sdk.getTracer(SCOPE), settings, sdk::shutdown);
        }
        // otel.traces.exporter=none: spans are still made (the dashboard's list fills), and go nowhere
        SpanProcessor recorded = Objects.requireNonNullElse(processor.get(), SpanProcessor.composite());
        return new OpenTelemetryTracing(recorded, counts, exports.get(), named, settings, sdk::shutdown);
    }

    /**
     * What the SDK is told whatever the environment says: {@link #SDK_FORCED}, and no trace exporter, the
     * exporters asked for being kept under {@value #TRACES_EXPORTER}: autoconfiguration would put them behind a
     * batch processor fed by the SDK's own spans, and Portflow records its spans itself (see {@link
     * SpanRecorder}) into a batch processor of its own, made from the same {@code otel.bsp.*} settings.
     */
    private static Map<String, String> forced(ConfigProperties config) {
        Map<String, String> forced = new HashMap<>(SDK_FORCED);
        forced.put(TRACES_EXPORTER, String.join(",", config.getList("otel.traces.exporter")));
        forced.put("otel.traces.exporter", "none");
        return forced;
    }

    /**
     * {@code builder} with the {@code otel.bsp.*} settings there are (Portflow's queue and batch sizes where
     * they say nothing), as autoconfiguration reads them; a batch larger than the queue is cut to the queue.
     */
    private static BatchSpanProcessorBuilder configured(BatchSpanProcessorBuilder builder, ConfigProperties config) {
        Duration scheduleDelay = config.getDuration("otel.bsp.schedule.delay");
        if (scheduleDelay != null) {
            builder.setScheduleDelay(scheduleDelay);
        }
        Integer maxQueue = config.getInt("otel.bsp.max.queue.size");
        if (maxQueue != null) {
            builder.setMaxQueueSize(maxQueue);
        }
        Integer maxExportBatch = config.getInt("otel.bsp.max.export.batch.size");
        if (maxExportBatch != null) {
            builder.setMaxExportBatchSize(maxQueue == null ? maxExportBatch : Math.min(maxExportBatch, maxQueue));
        }
        Duration timeout = config.getDuration("otel.bsp.export.timeout");
        if (timeout != null) {
            builder.setExporterTimeout(timeout);
        }
        return builder;
    }

    private static Sampler alwaysOn(ConfigProperties config) {
        String asked = config.getString("otel.traces.sampler", "always_on").toLowerCase(Locale.ROOT);
        if (!ALWAYS_ON.contains(asked)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "tracing: the OpenTelemetry sampler ''{0}'' (OTEL_TRACES_SAMPLER) is not used: Portflow samples"
                            + " messages itself (tracing: sample_ratio) and exports every span of those it traces",
                    asked);
        }
        return Sampler.alwaysOn();
    }

    /**
     * {@code service.name} {@code serviceName} unless the environment named the service, and {@code
     * service.instance.id} {@code instanceId} (if any) unless {@code OTEL_RESOURCE_ATTRIBUTES} named it: in place of
     * the random one the SDK makes up.
     */
    private static Resource withDefaults(
            Resource resource, ConfigProperties config, String serviceName, @Nullable String instanceId) {
        ResourceBuilder builder = resource.toBuilder();
        String name = resource.getAttribute(SERVICE_NAME);
        if (name == null || name.startsWith("unknown_service")) {
            builder.put(SERVICE_NAME, serviceName);
        }
        if (instanceId != null
                && !config.getMap("otel.resource.attributes").containsKey(SERVICE_INSTANCE_ID.getKey())) {
            builder.put(SERVICE_INSTANCE_ID, instanceId);
        }
        return builder.build();
    }

    /** Which messages are traced. */
    public TracingSettings settings() {
        return settings;
    }

    /** How many malformed {@code traceparent} values entries were given, and ignored, so far. */
    public long malformedTraceparents() {
        return traceparents.malformed();
    }

    /**
     * Registers the batch processor's own counts with {@code registry} (a pipeline built with this tracing does it
     * for its registry): {@code portflow.trace.spans.dropped} ({@code reason} = {@code queue_full}: more spans ended
     * than the queue holds while the exporter was busy; {@code shutdown}: spans ended after {@link #close()}) and
     * {@code portflow.trace.spans.queued}, the spans waiting for export now; and, when there is an exporter, what it
     * made of the spans: {@code portflow.trace.spans.exported} ({@code outcome} = {@code success}: the endpoint took
     * them; {@code failure}: it did not, after the exporter's retries). Nothing for {@link #create}: the
     * application's SDK owns its processors. Registering again, or with a second pipeline's registry, is harmless.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        BatchProcessorCounts c = counts;
        if (c == null) {
            return;
        }
        // one description for the name: Prometheus has one HELP line per metric, whatever the tags
        Map.of("queue_full", BatchProcessorCounts.QUEUE_FULL, "shutdown", BatchProcessorCounts.ALREADY_SHUTDOWN)
                .forEach((reason, errorType) -> FunctionCounter.builder(
                                "portflow.trace.spans.dropped", c, it -> it.dropped(errorType))
                        .description("Spans the batch span processor dropped: queue_full, its queue was full while"
                                + " the exporter was busy; shutdown, they ended after the tracing was closed")
                        .tag("reason", reason)
                        .register(registry));
        Gauge.builder("portflow.trace.spans.queued", c, BatchProcessorCounts::queued)
                .description("Spans waiting in the batch span processor's queue for export")
                .register(registry);
        CountedSpanExporter e = exports;
        if (e == null) {
            return;
        }
        Map.<String, ToDoubleFunction<CountedSpanExporter>>of(
                        "success", CountedSpanExporter::succeeded, "failure", CountedSpanExporter::failed)
                .forEach((outcome, count) -> FunctionCounter.builder("portflow.trace.spans.exported", e, count)
                        .description("Spans the exporter finished with: success, the endpoint took them; failure, it"
                                + " did not (refused, unreachable or timed out, after the exporter's retries)")
                        .tag("outcome", outcome)
                        .register(registry));
    }

    @Override
    public MessageTracer forPipeline(String pipeline, Ticker ticker) {
        EpochClock clock = new EpochClock(ticker);
        return new OpenTelemetryMessageTracer(spanMakers.apply(clock), clock, pipeline, ticker, settings, traceparents);
    }

    /** Exports the recorded spans that wait in the batch now, not at the next schedule (tests). */
    CompletableResultCode flush() {
        return processor != null ? processor.forceFlush() : CompletableResultCode.ofSuccess();
    }

    /**
     * Shuts down the SDK that {@link #fromEnvironment} built, after exporting the spans still waiting in
     * its batch (up to 10 s; a warning if the endpoint did not take them). Call it after the pipelines
     * that use this stopped, so their last spans are in it. Nothing for one made by {@link #create}. Once
     * is enough; again does nothing.
     */
    @Override
    public void close() {
        if (owned == null || !closed.compareAndSet(false, true)) {
            return;
        }
        CompletableResultCode shutdown = owned.get().join(10, TimeUnit.SECONDS);
        if (!shutdown.isSuccess()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "tracing: the last spans may not have been exported: the OTLP endpoint did not take them within"
                            + " 10 s");
        }
    }
}
