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
import io.opentelemetry.sdk.resources.ResourceBuilder;
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
 *       {@code OTEL_SERVICE_NAME} (default {@code portflow}, or the name given), through a batch span processor
 *       ({@code OTEL_BSP_*}), with no metrics and no logs whatever {@code OTEL_METRICS_EXPORTER} and {@code
 *       OTEL_LOGS_EXPORTER} say. {@link #close()} shuts it down, which exports the spans still in the batch.
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
     * (http/protobuf), an always-on sampler (see the class comment; also forced, below).
     */
    static final Map<String, String> SDK_DEFAULTS = Map.of(
            "otel.traces.exporter", "otlp",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.traces.sampler", "always_on");

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
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(config -> SDK_FORCED) // over the environment and system properties too
                .addSamplerCustomizer((configured, config) -> alwaysOn(config))
                .addResourceCustomizer(
                        (resource, config) -> withDefaults(resource, config, serviceName, serviceInstanceId))
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
