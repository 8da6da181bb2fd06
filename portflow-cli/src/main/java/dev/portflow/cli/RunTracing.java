package dev.portflow.cli;

import dev.portflow.blueprint.model.TracingSpec;
import dev.portflow.tracing.TracingSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether {@code portflow run} traces messages, and how (docs/tracing.md, "OpenTelemetry and OTLP"):
 *
 * <ul>
 *   <li>the blueprint has a {@code tracing:} section: with its {@code sample_ratio} and {@code slow_ms},
 *       the defaults for what it leaves out;
 *   <li>no section, but the environment names an OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 *       {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}): with the defaults (1 % of the messages, and those
 *       slower than 1 s). Setting the endpoint is how a deployment asks for traces without editing the
 *       blueprint; the defaults keep that cheap;
 *   <li>otherwise, or with {@code OTEL_SDK_DISABLED=true}: no tracing, and nothing of it on the hot path.
 * </ul>
 */
final class RunTracing {

    /** The variables whose presence turns tracing on without a {@code tracing:} section. */
    static final List<String> ENDPOINT_VARIABLES =
            List.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    private RunTracing() {}

    /** The settings to trace with, or {@code null} for none. */
    static @Nullable TracingSettings settings(@Nullable TracingSpec spec, Map<String, String> environment) {
        if (environment.getOrDefault("OTEL_SDK_DISABLED", "").trim().equalsIgnoreCase("true")) {
            return null;
        }
        if (spec == null) {
            boolean endpoint = ENDPOINT_VARIABLES.stream()
                    .anyMatch(name -> !environment.getOrDefault(name, "").isBlank());
            return endpoint ? TracingSettings.defaults() : null;
        }
        TracingSettings settings = TracingSettings.defaults();
        Double ratio = spec.sampleRatio();
        if (ratio != null) {
            settings = settings.withSampleRatio(ratio);
        }
        Long slowMs = spec.slowMs();
        if (slowMs != null) {
            settings = settings.withSlowAfter(Duration.ofMillis(slowMs));
        }
        return settings;
    }

    /** One line for the start-up summary: what is traced. */
    static String describe(TracingSettings settings) {
        Duration slow = settings.slowAfter();
        return "OpenTelemetry, sample_ratio " + settings.sampleRatio()
                + (slow == null ? "" : ", slow_ms " + slow.toMillis())
                + " (exported over OTLP as the OTEL_* variables say)";
    }
}
