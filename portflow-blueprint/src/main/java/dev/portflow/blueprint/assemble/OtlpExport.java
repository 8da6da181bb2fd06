package dev.portflow.blueprint.assemble;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.validate.Validated;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP side of a pipeline's meters: a Micrometer {@link OtlpMeterRegistry} that the {@link MeterMirror} fills
 * from the pipeline's Prometheus registry, pushing every step and once more on {@link #close()}. Its
 * {@link OtlpConfig} takes the URL and the step given (a step of {@code null}: Micrometer reads
 * {@code OTEL_METRIC_EXPORT_INTERVAL}, else one minute) and reads everything else from the {@code OTEL_*}
 * environment variables itself, as Micrometer 1.17 does: the headers ({@code OTEL_EXPORTER_OTLP_HEADERS}, {@code
 * OTEL_EXPORTER_OTLP_METRICS_HEADERS}), the resource ({@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_SERVICE_NAME};
 * {@code service.name} is the pipeline's name when neither gives one), the temporality, the compression and the
 * histogram aggregation.
 */
public final class OtlpExport implements AutoCloseable {

    private static final String SERVICE_NAME = "service.name";

    private final PortflowOtlpRegistry registry;
    private final MeterMirror mirror;
    private final OtlpConfig config;

    private OtlpExport(PortflowOtlpRegistry registry, MeterMirror mirror, OtlpConfig config) {
        this.registry = registry;
        this.mirror = mirror;
        this.config = config;
    }

    /**
     * The configuration of an export to {@code url}, checked: every value Micrometer reads from the environment is
     * read once here.
     *
     * @param step               the time between two pushes, or {@code null}: the environment's, else one minute
     * @param defaultServiceName {@code service.name} unless {@code OTEL_SERVICE_NAME} or {@code
     *                           OTEL_RESOURCE_ATTRIBUTES} names the service
     * @throws IllegalArgumentException naming the environment variable whose value Micrometer cannot use
     */
    public static OtlpConfig config(String url, @Nullable Duration step, String defaultServiceName) {
        OtlpConfig config = new OtlpConfig() {
            @Override
            public @Nullable String get(String key) {
                return null; // nothing but what is overridden here and the OTEL_* variables
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public Duration step() {
                return step != null ? step : OtlpConfig.super.step();
            }

            @Override
            public Map<String, String> resourceAttributes() {
                Map<String, String> attributes = new HashMap<>(OtlpConfig.super.resourceAttributes());
                attributes.putIfAbsent(SERVICE_NAME, defaultServiceName);
                return attributes;
            }
        };
        read(config, "OTEL_METRIC_EXPORT_INTERVAL", c -> {
            Duration s = c.step();
            if (s.isNegative() || s.isZero()) {
                throw new IllegalArgumentException("the step must be positive, was " + s.toMillis() + " ms");
            }
            return s;
        });
        read(config, "OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME", OtlpConfig::resourceAttributes);
        read(config, "OTEL_EXPORTER_OTLP_HEADERS / OTEL_EXPORTER_OTLP_METRICS_HEADERS", OtlpConfig::headers);
        read(
                config,
                "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE (cumulative or delta)",
                OtlpConfig::aggregationTemporality);
        read(
                config,
                "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION / OTEL_EXPORTER_OTLP_COMPRESSION (gzip or none)",
                OtlpConfig::compressionMode);
        read(config, "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION", OtlpConfig::histogramFlavor);
        Validated<?> validated = read(config, "the OTLP registry's configuration", OtlpConfig::validate);
        if (validated.isInvalid()) {
            throw new IllegalArgumentException("the OTLP metrics export cannot be configured: "
                    + validated.failures().stream()
                            .map(f -> f.getProperty() + ": " + f.getMessage())
                            .collect(Collectors.joining("; ")));
        }
        return config;
    }

    private static <T> T read(OtlpConfig config, String variables, Function<OtlpConfig, T> value) {
        try {
            return value.apply(config);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "the OTLP metrics export cannot use " + variables + ": " + e.getMessage(), e);
        }
    }

    /** Starts pushing {@code source}'s meters as {@code config} says (see {@link #config}). */
    public static OtlpExport start(PrometheusMeterRegistry source, OtlpConfig config) {
        PortflowOtlpRegistry registry = new PortflowOtlpRegistry(config);
        MeterMirror mirror = MeterMirror.start(source, registry);
        registry.beforePublish = mirror::discover;
        return new OtlpExport(registry, mirror, config);
    }

    /** The registry pushed over OTLP (for tests). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Where the meters go. */
    public String url() {
        return config.url();
    }

    /** The time between two pushes. */
    public Duration step() {
        return config.step();
    }

    /** The resource's {@code service.name}. */
    public String serviceName() {
        return config.resourceAttributes().getOrDefault(SERVICE_NAME, "");
    }

    /** Pushes the meters' values once more (waiting for the endpoint, up to Micrometer's timeouts) and stops. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            mirror.close();
        }
    }

    /** An OTLP registry that adds the histogram series that appeared since the last push before each push. */
    private static final class PortflowOtlpRegistry extends OtlpMeterRegistry {
        volatile @Nullable Runnable beforePublish;

        PortflowOtlpRegistry(OtlpConfig config) {
            super(config, Clock.SYSTEM);
        }

        @Override
        protected void publish() {
            Runnable before = beforePublish;
            if (before != null) {
                try {
                    before.run();
                } catch (RuntimeException e) { // the meters known so far are pushed all the same
                    System.getLogger("dev.portflow.blueprint")
                            .log(System.Logger.Level.WARNING, "metrics: cannot read the latency histograms", e);
                }
            }
            super.publish();
        }
    }
}
