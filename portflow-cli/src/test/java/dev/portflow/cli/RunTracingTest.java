package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.model.TracingSpec;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.tracing.TracingSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** When portflow run traces: the blueprint's section, else an OTLP endpoint in the environment. */
class RunTracingTest {

    private static TracingSpec spec(@Nullable Double ratio, @Nullable Long slowMs) {
        return new TracingSpec(ratio, slowMs, new YamlNode.Mapping(List.of(), Position.START));
    }

    @Test
    void noSectionAndNoEndpointMeansNoTracing() {
        assertThat(RunTracing.settings(null, Map.of())).isNull();
        assertThat(RunTracing.settings(null, Map.of("OTEL_SERVICE_NAME", "orders", "OTEL_EXPORTER_OTLP_ENDPOINT", " ")))
                .isNull();
    }

    @Test
    void anEndpointAloneTracesWithTheDefaults() {
        for (String variable : RunTracing.ENDPOINT_VARIABLES) {
            assertThat(RunTracing.settings(null, Map.of(variable, "http://collector:4318")))
                    .as(variable)
                    .isEqualTo(TracingSettings.defaults());
        }
    }

    @Test
    void theSectionSetsWhatItSaysAndTheDefaultsTheRest() {
        TracingSettings both = Objects.requireNonNull(RunTracing.settings(spec(0.5, 250L), Map.of()));
        assertThat(both.sampleRatio()).isEqualTo(0.5);
        assertThat(both.slowAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(RunTracing.settings(spec(null, null), Map.of())).isEqualTo(TracingSettings.defaults());
        assertThat(RunTracing.settings(spec(null, 0L), Map.of()))
                .isEqualTo(TracingSettings.defaults().withSlowAfter(Duration.ZERO));
    }

    @Test
    void theSdkDisabledByTheEnvironmentMeansNoTracing() {
        assertThat(RunTracing.settings(spec(1.0, null), Map.of("OTEL_SDK_DISABLED", "TRUE")))
                .isNull();
        assertThat(RunTracing.settings(null, Map.of("OTEL_SDK_DISABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "x")))
                .isNull();
        assertThat(RunTracing.settings(spec(1.0, null), Map.of("OTEL_SDK_DISABLED", "false")))
                .isNotNull();
    }
}
