package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Emitter;
import dev.portflow.runtime.Pipeline;
import dev.portflow.time.Ticker;
import dev.portflow.tracing.OtlpTestReceiver.ReceivedSpan;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Through the real SDK as {@link OpenTelemetryTracing#fromEnvironment} configures it (pointed at an {@link
 * OtlpTestReceiver} by properties, not the environment): OTLP over http/protobuf through the JDK's HTTP
 * client, the last spans exported by {@link OpenTelemetryTracing#close()}, the SDK's sampler kept always on.
 */
@Timeout(60)
class OtlpExportTest {

    /** A pipeline of a source of {@code count} messages, a stage and a sink, run to its end. */
    private static void run(OpenTelemetryTracing tracing, int count) throws InterruptedException {
        Pipeline pipeline = Pipeline.builder("export")
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < count; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer(
                        "double", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> out.emit(2 * i))
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "double.in_n")
                .connect("double.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void theTracesArriveOverOtlpWhenTheTracingIsClosed() throws Exception {
        long before = System.currentTimeMillis() * 1_000_000L - 1_000_000L;
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            OpenTelemetryTracing tracing = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of(
                            "otel.exporter.otlp.endpoint",
                            receiver.endpoint(),
                            // nothing is exported on a schedule during the test: only close() exports
                            "otel.bsp.schedule.delay",
                            "600000"));
            try {
                run(tracing, 2);
                Thread.sleep(200);
                assertThat(receiver.spans()).as("exported before close()").isEmpty();
            } finally {
                tracing.close();
            }
            long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
            List<ReceivedSpan> spans = receiver.spans(); // close() returned: everything was exported
            Map<String, List<ReceivedSpan>> traces =
                    spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
            assertThat(traces).as("%s", spans).hasSize(2);
            for (List<ReceivedSpan> trace : traces.values()) {
                assertThat(trace)
                        .extracting(ReceivedSpan::name)
                        .containsExactlyInAnyOrder("enter gen", "wait double.in_n", "double", "wait sink.in_n", "sink");
                ReceivedSpan enter = Objects.requireNonNull(OtlpTestReceiver.named(trace, "enter gen"));
                ReceivedSpan stage = Objects.requireNonNull(OtlpTestReceiver.named(trace, "double"));
                ReceivedSpan sink = Objects.requireNonNull(OtlpTestReceiver.named(trace, "sink"));
                assertThat(enter.isRoot()).isTrue();
                assertThat(enter.kind()).isEqualTo("PRODUCER");
                assertThat(stage.kind()).isEqualTo("CONSUMER");
                assertThat(stage.parentSpanId()).isEqualTo(enter.spanId());
                assertThat(sink.parentSpanId()).isEqualTo(stage.spanId());
                assertThat(stage.attributes())
                        .containsEntry("portflow.pipeline", "export")
                        .containsEntry("portflow.component", "double")
                        .containsEntry("portflow.port", "in_n");
                assertThat(trace).allSatisfy(s -> {
                    assertThat(s.traceId()).hasSize(32);
                    assertThat(s.spanId()).hasSize(16);
                    assertThat(s.status()).isEqualTo("UNSET");
                    assertThat(s.startNanos()).isBetween(before, after);
                    assertThat(s.endNanos()).isBetween(s.startNanos(), after);
                    assertThat(s.resource()).containsEntry("service.name", "portflow");
                });
            }
        }
    }

    @Test
    void anSdkSamplerOfItsOwnDoesNotDropPortflowsSpans() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            OpenTelemetryTracing tracing = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of(
                            "otel.exporter.otlp.endpoint", receiver.endpoint(),
                            "otel.exporter.otlp.compression", "gzip",
                            "otel.service.name", "orders-eu",
                            "otel.traces.sampler", "traceidratio",
                            "otel.traces.sampler.arg", "0.0"));
            try {
                run(tracing, 3);
            } finally {
                tracing.close();
            }
            assertThat(receiver.spans())
                    .hasSize(3 * 5)
                    .allSatisfy(s -> assertThat(s.resource()).containsEntry("service.name", "orders-eu"));
        }
    }

    @Test
    void theResourceNamesTheServiceAndInstanceGivenUnlessTheEnvironmentDoes() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            OpenTelemetryTracing given = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()),
                    "orders",
                    "orders-1");
            try {
                run(given, 1);
            } finally {
                given.close();
            }
            assertThat(receiver.spans())
                    .hasSize(5)
                    .allSatisfy(s -> assertThat(s.resource())
                            .containsEntry("service.name", "orders")
                            .containsEntry("service.instance.id", "orders-1"));
        }
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            // what OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES would say
            OpenTelemetryTracing named = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of(
                            "otel.exporter.otlp.endpoint", receiver.endpoint(),
                            "otel.service.name", "orders-eu",
                            "otel.resource.attributes", "service.instance.id=pod-7"),
                    "orders",
                    "orders-1");
            try {
                run(named, 1);
            } finally {
                named.close();
            }
            assertThat(receiver.spans())
                    .hasSize(5)
                    .allSatisfy(s -> assertThat(s.resource())
                            .containsEntry("service.name", "orders-eu")
                            .containsEntry("service.instance.id", "pod-7"));
        }
    }

    /**
     * {@code OTEL_METRICS_EXPORTER} is read by the OTLP push of the pipeline's meters too, so a user may well set it:
     * the tracing SDK exports no metrics and no logs whatever it (or {@code OTEL_LOGS_EXPORTER}) says. System
     * properties stand in for the variables here: they rank alike, above the defaults.
     */
    @Test
    void theSdkExportsNoMetricsOrLogsWhateverTheEnvironmentSays() throws Exception {
        for (String exporter : List.of("otlp", "prometheus")) {
            System.setProperty("otel.metrics.exporter", exporter);
            System.setProperty("otel.logs.exporter", exporter);
            System.setProperty("otel.metric.export.interval", "50");
            try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
                // prometheus: the SDK has no such exporter and would refuse to start
                OpenTelemetryTracing tracing = OpenTelemetryTracing.fromEnvironment(
                        TracingSettings.defaults().withSampleRatio(1.0),
                        Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()));
                try {
                    run(tracing, 2);
                    Thread.sleep(300); // six metric intervals
                } finally {
                    tracing.close(); // exports the spans, and would flush a metric reader
                }
                assertThat(receiver.spans()).as(exporter).hasSize(2 * 5);
                assertThat(receiver.metricRequests())
                        .as("metrics pushed by the tracing SDK with %s", exporter)
                        .isZero();
            } finally {
                System.clearProperty("otel.metrics.exporter");
                System.clearProperty("otel.logs.exporter");
                System.clearProperty("otel.metric.export.interval");
            }
        }
    }

    @Test
    void theExportersOtelTracesExporterNamesAreFoundOrRefusedWithTheOnesThereAre() throws Exception {
        TracingSettings all = TracingSettings.defaults().withSampleRatio(1.0);
        assertThatThrownBy(() -> OpenTelemetryTracing.fromEnvironment(all, Map.of("otel.traces.exporter", "zipkin")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unrecognized value for otel.traces.exporter: zipkin (the exporters here: [otlp])");
        assertThatThrownBy(() -> OpenTelemetryTracing.fromEnvironment(all, Map.of("otel.traces.exporter", "otlp,none")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("none along with other exporters");
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            // none: traced (the dashboard's list still fills) but nothing exported, even to an endpoint given
            try (OpenTelemetryTracing none = OpenTelemetryTracing.fromEnvironment(
                    all, Map.of("otel.traces.exporter", "none", "otel.exporter.otlp.endpoint", receiver.endpoint()))) {
                run(none, 2);
            }
            assertThat(receiver.spans()).isEmpty();
            try (OpenTelemetryTracing otlp = OpenTelemetryTracing.fromEnvironment(
                    all,
                    Map.of("otel.traces.exporter", " otlp ", "otel.exporter.otlp.endpoint", receiver.endpoint()))) {
                run(otlp, 1);
            }
            assertThat(receiver.spans()).hasSize(5);
        }
    }

    @Test
    void aDisabledSdkTracesNothingAndDoesNotFail() {
        try (OpenTelemetryTracing disabled = OpenTelemetryTracing.fromEnvironment(
                TracingSettings.defaults().withSampleRatio(1.0), Map.of("otel.sdk.disabled", "true"))) {
            assertThat(disabled.forPipeline("p", Ticker.system()).enter("api", null, System.nanoTime()))
                    .isNull();
        }
    }
}
