package dev.portflow.tracing;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *       {@code OTEL_SERVICE_NAME} (default {@code portflow}), through a batch span processor
 *       ({@code OTEL_BSP_*}). {@link #close()} shuts it down, which exports the spans still in the batch.
 *   <li>{@link #create} uses an OpenTelemetry the application already has; closing this leaves it open.
 * </ul>
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
public final class OpenTelemetryTracing implements Tracing, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.portflow.tracing");

    /** The instrumentation scope of every span. */
    static final String SCOPE = "dev.portflow";

    /**
     * The SDK's configuration where the environment and system properties say nothing: spans over OTLP
     * (http/protobuf), no metrics and no logs (Portflow's metrics are Micrometer's, scraped by
     * Prometheus), an always-on sampler (see the class comment; also forced, below).
     */
    static final Map<String, String> SDK_DEFAULTS = Map.of(
            "otel.traces.exporter", "otlp",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.traces.sampler", "always_on");

    private static final Set<String> ALWAYS_ON = Set.of("always_on", "parentbased_always_on");
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final String DEFAULT_SERVICE_NAME = "portflow";

    private final Tracer tracer;
    private final TracingSettings settings;
    private final @Nullable OpenTelemetrySdk owned;
    private final Traceparents traceparents = new Traceparents();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OpenTelemetryTracing(
            OpenTelemetry openTelemetry, TracingSettings settings, @Nullable OpenTelemetrySdk owned) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.owned = owned;
    }

    /** Traces with {@code openTelemetry}, which the caller keeps and closes ({@link #close()} leaves it open). */
    public static OpenTelemetryTracing create(OpenTelemetry openTelemetry, TracingSettings settings) {
        return new OpenTelemetryTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"), settings, null);
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
        return fromEnvironment(settings, Map.of());
    }

    /**
     * As {@link #fromEnvironment(TracingSettings)}, with {@code properties} ({@code otel.*} names) in place
     * of the defaults: what the environment and system properties leave unsaid. For tests that point the
     * exporter somewhere without changing the process's environment.
     */
    static OpenTelemetryTracing fromEnvironment(TracingSettings settings, Map<String, String> properties) {
        Map<String, String> defaults = new HashMap<>(SDK_DEFAULTS);
        defaults.putAll(properties);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addSamplerCustomizer((configured, config) -> alwaysOn(config))
                .addResourceCustomizer((resource, config) -> withServiceName(resource))
                .disableShutdownHook() // close() is the owner's, after the pipeline drained: see docs/tracing.md
                .build()
                .getOpenTelemetrySdk();
        return new OpenTelemetryTracing(sdk, settings, sdk);
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

    /** {@code service.name} {@code portflow} unless the environment named the service. */
    private static Resource withServiceName(Resource resource) {
        String name = resource.getAttribute(SERVICE_NAME);
        if (name == null || name.startsWith("unknown_service")) {
            return resource.toBuilder().put(SERVICE_NAME, DEFAULT_SERVICE_NAME).build();
        }
        return resource;
    }

    /** Which messages are traced. */
    public TracingSettings settings() {
        return settings;
    }

    /** How many malformed {@code traceparent} values entries were given, and ignored, so far. */
    public long malformedTraceparents() {
        return traceparents.malformed();
    }

    @Override
    public MessageTracer forPipeline(String pipeline, Ticker ticker) {
        return new OpenTelemetryMessageTracer(tracer, pipeline, ticker, settings, traceparents);
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
        CompletableResultCode shutdown = owned.shutdown().join(10, TimeUnit.SECONDS);
        if (!shutdown.isSuccess()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "tracing: the last spans may not have been exported: the OTLP endpoint did not take them within"
                            + " 10 s");
        }
    }
}
