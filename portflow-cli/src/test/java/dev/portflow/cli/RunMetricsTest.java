package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.OtlpMetricsSettings;
import dev.portflow.blueprint.model.MetricsSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Whether and where portflow run pushes its meters over OTLP: the blueprint's {@code metrics:} section, else the
 * standard OpenTelemetry environment; {@code OTEL_METRICS_EXPORTER=none} and {@code OTEL_SDK_DISABLED} switch it
 * off; a value that cannot be used is refused, naming its variable.
 */
class RunMetricsTest {

    private static final String COLLECTOR = "http://collector:4318";

    private static MetricsSpec spec(@Nullable String endpoint, @Nullable Long stepS) {
        return new MetricsSpec(endpoint, stepS, new YamlNode.Mapping(List.of(), Position.START));
    }

    private static RunMetrics.Export export(@Nullable MetricsSpec spec, Map<String, String> environment) {
        return Objects.requireNonNull(RunMetrics.settings(spec, environment), "an export");
    }

    @Test
    void noSectionAndNoEndpointMeansNoExport() {
        assertThat(RunMetrics.settings(null, Map.of())).isNull();
        assertThat(RunMetrics.settings(
                        null,
                        Map.of(
                                "OTEL_SERVICE_NAME", "orders",
                                "OTEL_EXPORTER_OTLP_ENDPOINT", " ",
                                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", COLLECTOR)))
                .as("a blank endpoint, and the traces' own one, are no metrics endpoint")
                .isNull();
    }

    @Test
    void theOneEndpointForEverySignalGetsTheMetricsPath() {
        RunMetrics.Export export = export(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR + "/"));
        assertThat(export.settings()).isEqualTo(new OtlpMetricsSettings(COLLECTOR + "/v1/metrics", null));
        assertThat(export.source()).isEqualTo("OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    @Test
    void theMetricsEndpointWinsOverTheOneForEverySignal() {
        RunMetrics.Export export = export(
                null,
                Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://everything:4318",
                        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:4318/v1/metrics"));
        assertThat(export.settings().url()).isEqualTo("http://metrics:4318/v1/metrics");
        assertThat(export.source()).isEqualTo("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        assertThat(export(null, Map.of("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:4318"))
                        .settings()
                        .url())
                .as("as Micrometer does: /v1/metrics added to this one too")
                .isEqualTo("http://metrics:4318/v1/metrics");
    }

    @Test
    void theSectionWinsOverTheEnvironmentAndAloneUsesALocalCollector() {
        Map<String, String> environment = Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://everything:4318",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:4318");
        RunMetrics.Export fromSection = export(spec("https://section:4318/v1/metrics", 10L), environment);
        assertThat(fromSection.settings())
                .isEqualTo(new OtlpMetricsSettings("https://section:4318/v1/metrics", Duration.ofSeconds(10)));
        assertThat(fromSection.source()).isEqualTo("metrics.otlp_endpoint");
        RunMetrics.Export stepOnly = export(spec(null, 5L), environment);
        assertThat(stepOnly.settings())
                .as("the environment's endpoint, the section's step")
                .isEqualTo(new OtlpMetricsSettings("http://metrics:4318/v1/metrics", Duration.ofSeconds(5)));
        RunMetrics.Export alone = export(spec(null, null), Map.of());
        assertThat(alone.settings()).isEqualTo(new OtlpMetricsSettings("http://localhost:4318/v1/metrics", null));
        assertThat(alone.source()).isEqualTo("default");
    }

    @Test
    void noneOrADisabledSdkSwitchesItOffWhateverTheBlueprintSays() {
        Map<String, String> endpoint = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR);
        for (String off : List.of("none", " NONE ", "prometheus")) {
            assertThat(RunMetrics.settings(null, with(endpoint, "OTEL_METRICS_EXPORTER", off)))
                    .as(off)
                    .isNull();
            assertThat(RunMetrics.settings(spec(COLLECTOR, 10L), with(endpoint, "OTEL_METRICS_EXPORTER", off)))
                    .as(off + ", with a section")
                    .isNull();
        }
        assertThat(RunMetrics.settings(spec(COLLECTOR, null), with(endpoint, "OTEL_SDK_DISABLED", "true")))
                .isNull();
        for (String on : List.of("otlp", "otlp,prometheus", "", "false")) {
            String variable = on.equals("false") ? "OTEL_SDK_DISABLED" : "OTEL_METRICS_EXPORTER";
            assertThat(RunMetrics.settings(null, with(endpoint, variable, on)))
                    .as(variable + "=" + on)
                    .isNotNull();
        }
    }

    @Test
    void aValueThatCannotBeUsedIsRefusedNamingItsVariable() {
        assertThatThrownBy(() -> RunMetrics.settings(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318' is not an http or https URL;"
                        + " e.g. http://collector:4318 (/v1/metrics is added)");
        assertThatThrownBy(() -> RunMetrics.settings(null, Map.of("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT='http://' ");
        assertThatThrownBy(() -> RunMetrics.settings(
                        null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR, "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "OTEL_EXPORTER_OTLP_PROTOCOL='grpc': the OTLP metrics export sends" + " http/protobuf only");
        assertThat(RunMetrics.settings(
                        null,
                        Map.of(
                                "OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR,
                                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                                "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf")))
                .as("the metrics' own protocol wins")
                .isNotNull();
        assertThatThrownBy(() -> RunMetrics.settings(
                        null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR, "OTEL_METRICS_EXPORTER", "console")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "OTEL_METRICS_EXPORTER='console': 'console' is not an exporter portflow has; it has otlp");
        assertThatThrownBy(() -> RunMetrics.settings(
                        null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR, "OTEL_METRICS_EXPORTER", "otlp,none")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none cannot be combined");
    }

    @Test
    void theStartUpLineSaysWhereHowOftenAndAsWhat() {
        assertThat(RunMetrics.describe(
                        new OtlpMetricsSettings(COLLECTOR, Duration.ofSeconds(60)),
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "orders"))
                .isEqualTo("pushed over OTLP to http://collector:4318/v1/metrics every 60 s as service.name 'orders'"
                        + " (OTEL_EXPORTER_OTLP_ENDPOINT)");
        assertThat(RunMetrics.describe(new OtlpMetricsSettings(COLLECTOR, Duration.ofMillis(1500)), "default", null))
                .isEqualTo("pushed over OTLP to http://collector:4318/v1/metrics every 1500 ms (default)");
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> copy = new HashMap<>(environment);
        copy.put(name, value);
        return copy;
    }
}
