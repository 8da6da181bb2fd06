package dev.portflow.blueprint.assemble;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.validate.Validated;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The OTLP side of a pipeline's meters: a Micrometer {@link OtlpMeterRegistry}, which the assembler makes a member
 * of the pipeline's {@code CompositeMeterRegistry} next to the Prometheus registry {@code /metrics} renders, so
 * every meter registered through the composite is in both. It pushes every step and once more on {@link #close()}.
 * Its {@link OtlpConfig} takes the URL and the step given (a step of {@code null}: Micrometer reads
 * {@code OTEL_METRIC_EXPORT_INTERVAL}, else one minute) and reads everything else from the {@code OTEL_*}
 * environment variables itself, as Micrometer 1.17 does: the headers ({@code OTEL_EXPORTER_OTLP_HEADERS}, {@code
 * OTEL_EXPORTER_OTLP_METRICS_HEADERS}), the resource ({@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_SERVICE_NAME};
 * {@code service.name} is the pipeline's name when neither gives one, and {@code service.instance.id} the instance
 * id when one is given and they name none), the temporality, the compression and the histogram aggregation.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint}, whose assembler runs it.
 */
public final class OtlpExport implements AutoCloseable {

    private static final String SERVICE_NAME = "service.name";
    private static final String SERVICE_INSTANCE_ID = "service.instance.id";

    private final OtlpMeterRegistry registry;
    private final OtlpConfig config;

    private OtlpExport(OtlpMeterRegistry registry, OtlpConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /**
     * The configuration of an export to {@code url}, checked: every value Micrometer reads from the environment is
     * read once here.
     *
     * @param step               the time between two pushes, or {@code null}: the environment's, else one minute
     * @param defaultServiceName {@code service.name} unless {@code OTEL_SERVICE_NAME} or {@code
     *                           OTEL_RESOURCE_ATTRIBUTES} names the service
     * @param defaultInstanceId  {@code service.instance.id} unless {@code OTEL_RESOURCE_ATTRIBUTES} names it; {@code
     *                           null}: none
     * @throws IllegalArgumentException naming the environment variable whose value Micrometer cannot use
     */
    public static OtlpConfig config(
            String url, @Nullable Duration step, String defaultServiceName, @Nullable String defaultInstanceId) {
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
                if (defaultInstanceId != null) {
                    attributes.putIfAbsent(SERVICE_INSTANCE_ID, defaultInstanceId);
                }
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

    /**
     * Starts an OTLP registry that pushes as {@code config} says (see {@link #config}): make it a member of the
     * pipeline's composite before any meter is registered, as core registers its latency histograms member by member.
     */
    public static OtlpExport start(OtlpConfig config) {
        return new OtlpExport(new OtlpMeterRegistry(config, Clock.SYSTEM), config);
    }

    /** The registry pushed over OTLP. */
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

    /**
     * Pushes the meters' values once more (waiting for the endpoint, up to Micrometer's timeouts) and stops; meters
     * registered later are not pushed.
     */
    @Override
    public void close() {
        registry.close();
    }

    /** Stops without pushing again: for an assembly that failed, whose pipeline never ran. */
    public void discard() {
        registry.clear(); // nothing left to push: closing sends no request
        registry.close();
    }
}
