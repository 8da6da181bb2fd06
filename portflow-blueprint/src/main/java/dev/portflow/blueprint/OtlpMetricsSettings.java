package dev.portflow.blueprint;

import dev.portflow.blueprint.assemble.OtlpExport;
import dev.portflow.blueprint.model.MetricsSpec;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Pushes the pipeline's meters over OTLP/HTTP as well, besides {@code GET /metrics} (docs/metrics-export.md):
 * {@code AssemblyOptions.defaults().otlpMetrics(OtlpMetricsSettings.to("http://collector:4318"))}. The pipeline's
 * meters are registered in a {@code CompositeMeterRegistry} of the {@code PrometheusMeterRegistry} and a Micrometer
 * {@code OtlpMeterRegistry}, which pushes them every {@code step} and once more when the assembly has drained. What
 * is not set here (the headers, the resource attributes, the temporality, the compression) Micrometer's {@code
 * OtlpConfig} reads from the standard {@code OTEL_*} environment variables; {@code service.name} defaults to the
 * pipeline's name, and {@code service.instance.id} to {@link AssemblyOptions#instanceId()} when it is set.
 *
 * @param url  the OTLP/HTTP metrics endpoint: an absolute http or https URL, with {@code /v1/metrics} added unless
 *             it ends with it (so a collector's base address, {@code http://collector:4318}, works too), as
 *             Micrometer 1.17 does with {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}
 * @param step the time between two pushes, or {@code null}: {@code OTEL_METRIC_EXPORT_INTERVAL} (milliseconds),
 *             else one minute
 */
public record OtlpMetricsSettings(String url, @Nullable Duration step) {

    /** Where OTLP/HTTP takes metrics, under a collector's base address. */
    public static final String METRICS_PATH = "/v1/metrics";

    /** The endpoint when neither the blueprint nor the environment names one: a local collector. */
    public static final String DEFAULT_ENDPOINT = "http://localhost:4318" + METRICS_PATH;

    /**
     * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL with a host, or
     *                                  {@code step} is not positive
     */
    public OtlpMetricsSettings {
        Objects.requireNonNull(url, "url");
        String wrong = MetricsSpec.endpointProblem(url);
        if (wrong != null) {
            throw new IllegalArgumentException("the OTLP endpoint '" + url + "' " + wrong);
        }
        url = withMetricsPath(url.strip());
        if (step != null && (step.isNegative() || step.isZero())) {
            throw new IllegalArgumentException("the OTLP push step must be positive, was " + step);
        }
    }

    /** Pushes to {@code endpoint} (a base address gets {@code /v1/metrics}), at the environment's or default step. */
    public static OtlpMetricsSettings to(String endpoint) {
        return new OtlpMetricsSettings(endpoint, null);
    }

    /** Pushes every {@code newStep}; {@code null}: {@code OTEL_METRIC_EXPORT_INTERVAL}, else one minute. */
    public OtlpMetricsSettings withStep(@Nullable Duration newStep) {
        return new OtlpMetricsSettings(url, newStep);
    }

    /**
     * Checks the {@code OTEL_*} variables Micrometer's OTLP registry reads itself ({@code OTEL_METRIC_EXPORT_INTERVAL}
     * when no step is set, {@code OTEL_EXPORTER_OTLP_HEADERS} and {@code ..._METRICS_HEADERS},
     * {@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE}, the compression
     * and the histogram aggregation), as assembling does before it builds anything.
     *
     * @return this
     * @throws IllegalArgumentException naming the variable whose value cannot be used
     */
    public OtlpMetricsSettings checkEnvironment() {
        OtlpExport.config(url, step, "portflow", null);
        return this;
    }

    /** {@code endpoint} without trailing slashes, with {@code /v1/metrics} added unless it ends with it. */
    static String withMetricsPath(String endpoint) {
        String base = endpoint;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base.endsWith(METRICS_PATH) ? base : base + METRICS_PATH;
    }
}
