package dev.portflow.cli;

import dev.portflow.blueprint.OtlpMetricsSettings;
import dev.portflow.blueprint.model.MetricsSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether {@code portflow run} pushes the pipeline's meters over OTLP as well, and where (docs/metrics-export.md).
 * {@code GET /metrics} serves them in every case. The one setting is the standard OpenTelemetry environment:
 *
 * <ul>
 *   <li>the endpoint: the blueprint's {@code metrics: {otlp_endpoint}}, else {@code
 *       OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}, else {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the one endpoint for every
 *       signal, which also turns tracing on), else, with a {@code metrics:} section, {@code http://localhost:4318};
 *       {@code /v1/metrics} is added unless the URL ends with it. Neither a section nor a variable: no OTLP export;
 *   <li>the step: the section's {@code step_s}, else Micrometer's own reading of {@code OTEL_METRIC_EXPORT_INTERVAL},
 *       else one minute;
 *   <li>off, whatever the blueprint says: {@code OTEL_METRICS_EXPORTER=none} (or a list without {@code otlp}, such
 *       as {@code prometheus}), or {@code OTEL_SDK_DISABLED=true};
 *   <li>refused (exit 2), naming the variable: an endpoint that is not an http or https URL, an {@code
 *       OTEL_EXPORTER_OTLP_[METRICS_]PROTOCOL} other than {@code http/protobuf} (Micrometer's OTLP registry sends
 *       nothing else), an exporter this cannot be.
 * </ul>
 *
 * The blueprint wins over the environment because it is the more specific of the two, as Micrometer's own
 * configuration wins over the {@code OTEL_*} variables; {@code otlp_endpoint: "${OTEL_EXPORTER_OTLP_ENDPOINT}"}
 * hands the choice back to the environment.
 */
final class RunMetrics {

    static final String METRICS_ENDPOINT = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String EXPORTER = "OTEL_METRICS_EXPORTER";
    private static final List<String> PROTOCOL_VARIABLES =
            List.of("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL");
    private static final List<String> EXPORTERS = List.of("otlp", "prometheus", "none");

    private RunMetrics() {}

    /**
     * Where the meters are pushed over OTLP, and where that came from.
     *
     * @param settings the endpoint and the step ({@code null}: the environment's, else one minute)
     * @param source   what named the endpoint: {@code metrics.otlp_endpoint}, a variable's name, or {@code default}
     */
    record Export(OtlpMetricsSettings settings, String source) {}

    /**
     * The OTLP export {@code spec} and {@code environment} ask for, or {@code null} for none.
     *
     * @throws IllegalArgumentException naming the variable whose value cannot be used
     */
    static @Nullable Export settings(@Nullable MetricsSpec spec, Map<String, String> environment) {
        if (value(environment, "OTEL_SDK_DISABLED").equalsIgnoreCase("true") || !otlpExporter(environment)) {
            return null;
        }
        String endpoint;
        String source;
        if (spec != null && spec.otlpEndpoint() != null) {
            endpoint = spec.otlpEndpoint();
            source = "metrics.otlp_endpoint";
        } else if (!value(environment, METRICS_ENDPOINT).isEmpty()) {
            endpoint = value(environment, METRICS_ENDPOINT);
            source = METRICS_ENDPOINT;
        } else if (!value(environment, ENDPOINT).isEmpty()) {
            endpoint = value(environment, ENDPOINT);
            source = ENDPOINT;
        } else if (spec != null) {
            endpoint = OtlpMetricsSettings.DEFAULT_ENDPOINT;
            source = "default";
        } else {
            return null;
        }
        String wrong = MetricsSpec.endpointProblem(endpoint);
        if (wrong != null) {
            throw new IllegalArgumentException(
                    source + "='" + endpoint + "' " + wrong + "; e.g. http://collector:4318 (/v1/metrics is added)");
        }
        for (String variable : PROTOCOL_VARIABLES) {
            String protocol = value(environment, variable);
            if (!protocol.isEmpty()) {
                if (!protocol.equalsIgnoreCase("http/protobuf")) {
                    throw new IllegalArgumentException(variable + "='" + protocol + "': the OTLP metrics export sends"
                            + " http/protobuf only (Micrometer's OTLP registry); unset it or set http/protobuf");
                }
                break; // the metrics' own variable wins
            }
        }
        Long stepS = spec == null ? null : spec.stepS();
        return new Export(new OtlpMetricsSettings(endpoint, stepS == null ? null : Duration.ofSeconds(stepS)), source);
    }

    /**
     * Whether {@code OTEL_METRICS_EXPORTER} asks for OTLP: unset or blank (OpenTelemetry's default, {@code otlp}),
     * or a list that names it; {@code none} and {@code prometheus} (which {@code GET /metrics} is anyway) do not.
     */
    private static boolean otlpExporter(Map<String, String> environment) {
        String value = value(environment, EXPORTER).toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return true;
        }
        List<String> exporters = new ArrayList<>();
        for (String exporter : value.split(",", -1)) {
            String name = exporter.strip();
            if (!EXPORTERS.contains(name)) {
                throw new IllegalArgumentException(EXPORTER + "='" + environment.get(EXPORTER) + "': '" + name
                        + "' is not an exporter portflow has; it has otlp (push to the OTLP endpoint), prometheus"
                        + " (GET /metrics, always served) and none");
            }
            exporters.add(name);
        }
        if (exporters.contains("none") && exporters.size() > 1) {
            throw new IllegalArgumentException(
                    EXPORTER + "='" + environment.get(EXPORTER) + "': none cannot be combined with other exporters");
        }
        return exporters.contains("otlp");
    }

    private static String value(Map<String, String> environment, String name) {
        return environment.getOrDefault(name, "").strip();
    }

    /** One line for the start-up summary: where the meters are pushed. */
    static String describe(OtlpMetricsSettings resolved, String source, @Nullable String serviceName) {
        Duration step = resolved.step();
        return "pushed over OTLP to " + resolved.url()
                + (step == null ? "" : " every " + seconds(step))
                + (serviceName == null ? "" : " as service.name '" + serviceName + "'")
                + " (" + source + ")";
    }

    private static String seconds(Duration step) {
        long millis = step.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
