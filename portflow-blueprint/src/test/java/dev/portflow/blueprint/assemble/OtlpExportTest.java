package dev.portflow.blueprint.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.tracing.OtlpTestReceiver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.registry.otlp.OtlpConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OTLP registry of an assembly: its resource names the pipeline and the instance, closing it pushes once more,
 * discarding it (a failed assembly) pushes nothing.
 */
@Timeout(30)
class OtlpExportTest {

    @Test
    void theResourceNamesThePipelineAndTheInstanceGiven() {
        OtlpConfig config = OtlpExport.config("http://collector:4318/v1/metrics", null, "orders", "orders-1");
        assertThat(config.resourceAttributes())
                .containsEntry("service.name", "orders")
                .containsEntry("service.instance.id", "orders-1");
        assertThat(config.step())
                .as("OTEL_METRIC_EXPORT_INTERVAL is not set here")
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(OtlpExport.config("http://collector:4318/v1/metrics", Duration.ofSeconds(5), "orders", null)
                        .resourceAttributes())
                .doesNotContainKey("service.instance.id");
    }

    @Test
    void closingPushesOnceMoreAndDiscardingDoesNot() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            OtlpConfig config = OtlpExport.config(receiver.metricsEndpoint(), Duration.ofMinutes(10), "orders", null);

            OtlpExport discarded = OtlpExport.start(config);
            Counter.builder("portflow.test.count")
                    .register(discarded.registry())
                    .increment();
            discarded.discard();
            assertThat(receiver.metricRequests())
                    .as("a failed assembly's registry pushes nothing")
                    .isZero();

            OtlpExport closed = OtlpExport.start(config);
            Counter.builder("portflow.test.count").register(closed.registry()).increment(3);
            closed.close(); // waits for the push
            assertThat(receiver.metricRequests()).isEqualTo(1);
            assertThat(Objects.requireNonNull(
                                    OtlpTestReceiver.latest(receiver.metrics(), "portflow.test.count", Map.of()))
                            .value())
                    .isEqualTo(3);
        }
    }
}
