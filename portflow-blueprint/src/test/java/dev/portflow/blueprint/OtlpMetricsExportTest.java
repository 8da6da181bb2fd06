package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.assemble.MeterMirror;
import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.runtime.PipelineState;
import dev.portflow.tracing.OtlpTestReceiver;
import dev.portflow.tracing.OtlpTestReceiver.ReceivedMetric;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blueprint assembled with {@link AssemblyOptions#otlpMetrics(OtlpMetricsSettings)} pushes its meters over real
 * OTLP/HTTP to {@link OtlpTestReceiver}: the SPEC's meters under their Micrometer names with the pipeline, component
 * and port attributes, counts equal to the messages sent, the latency histograms as count and sum (milliseconds)
 * with their maximum, {@code service.name} the pipeline's name; the last push after the drain (the stage takes 100 ms
 * a message, so the drain still has messages to finish); every
 * meter {@code /metrics} has; a push every step while it runs. {@code /metrics} is served as before.
 */
@Timeout(60)
class OtlpMetricsExportTest {

    private static final int MESSAGES = 7;

    private static Blueprint blueprint(Path dir) {
        return Blueprints.loader()
                .validate("pushed.yaml", """
                name: pushed
                server: {host: 127.0.0.1, port: 0}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /events}}
                  - {name: stage, recipe: sleep, workers: 2, config: {duration_ms: 100}}
                  - {name: out, recipe: jsonl_sink, config: {path: "%s"}}
                connections:
                  - {from: api.out_requests, to: stage.in_events}
                  - {from: stage.out_events, to: out.in_events}
                """.formatted(dir.resolve("out.jsonl")))
                .orThrow();
    }

    private static Map<String, String> port(String component, String port) {
        return Map.of("pipeline", "pushed", "component", component, "port", port);
    }

    @Test
    void theMetersArriveOverOtlpAndTheLastPushHasTheDrainsCounts(@TempDir Path dir) throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newHttpClient()) {
            // a push every 10 minutes: what arrives comes from the push that closing the assembly makes
            Assembly assembly = Blueprints.loader()
                    .assemble(
                            blueprint(dir),
                            AssemblyOptions.defaults()
                                    .port(0)
                                    .otlpMetrics(OtlpMetricsSettings.to(receiver.endpoint())
                                            .withStep(Duration.ofMinutes(10))))
                    .start();
            int before;
            PrometheusMeterRegistry prometheus = assembly.meterRegistry();
            String base = assembly.server().orElseThrow().baseUri();
            try {
                assertThat(assembly.otlpMetrics())
                        .contains(new OtlpMetricsSettings(receiver.metricsEndpoint(), Duration.ofMinutes(10)));
                assertThat(assembly.otlpServiceName()).contains("pushed");
                for (int i = 0; i < MESSAGES; i++) {
                    HttpResponse<String> answer = client.send(
                            HttpRequest.newBuilder(URI.create(base + "/events"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                }
                String scraped = client.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(scraped)
                        .as("/metrics as before")
                        .contains("portflow_port_messages_out_total{component=\"api\"")
                        .contains("portflow_port_queue_wait_seconds_bucket{");
                before = receiver.metricRequests();
                // 7 messages of 100 ms on 2 workers: most are still in the pipeline when the drain starts
                assertThat(assembly.pipeline().state()).isEqualTo(PipelineState.RUNNING);
            } finally {
                assertThat(assembly.drainAndStop(Duration.ofSeconds(20)).completed())
                        .isTrue();
            }
            assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(MESSAGES);

            // drainAndStop returned: the final push was taken
            assertThat(receiver.metricRequests()).as("the push on close").isGreaterThan(before);
            List<ReceivedMetric> all = receiver.metrics();
            List<ReceivedMetric> last =
                    all.stream().filter(m -> m.request() > before).toList();
            assertThat(value(last, "portflow.port.messages.out", port("api", "out_requests")))
                    .isEqualTo(MESSAGES);
            assertThat(value(last, "portflow.port.messages.in", port("stage", "in_events")))
                    .isEqualTo(MESSAGES);
            assertThat(value(last, "portflow.port.messages.out", port("stage", "out_events")))
                    .isEqualTo(MESSAGES);
            assertThat(value(last, "portflow.port.messages.in", port("out", "in_events")))
                    .isEqualTo(MESSAGES);
            ReceivedMetric out = point(last, "portflow.port.messages.in", port("out", "in_events"));
            assertThat(out.kind()).isEqualTo("SUM");
            assertThat(out.monotonic()).isTrue();
            assertThat(out.attributes()).containsEntry("transport", "memory");
            assertThat(out.resource()).containsEntry("service.name", "pushed");
            assertThat(value(last, "portflow.port.queue.depth", port("stage", "in_events")))
                    .isZero();
            assertThat(value(last, "portflow.ingress.requests", Map.of("component", "api", "status", "202")))
                    .isEqualTo(MESSAGES);

            ReceivedMetric processing = point(last, "portflow.port.process.duration", port("stage", "in_events"));
            assertThat(processing.kind()).isEqualTo("HISTOGRAM");
            assertThat(processing.count()).isEqualTo(MESSAGES);
            assertThat(processing.unit()).isEqualTo("milliseconds");
            // each message slept 100 ms: at least 700 ms of processing, in milliseconds (not seconds or nanoseconds)
            assertThat(processing.value()).isBetween(MESSAGES * 100.0, 60_000.0);
            assertThat(value(last, "portflow.port.process.duration.max", port("stage", "in_events")))
                    .isBetween(100.0, 60_000.0);
            assertThat(point(last, "portflow.port.queue.wait", port("out", "in_events"))
                            .count())
                    .isEqualTo(MESSAGES);
            assertThat(point(last, "portflow.port.message.age", port("out", "in_events"))
                            .count())
                    .isEqualTo(MESSAGES);
            assertThat(point(last, "portflow.port.blocked.duration", port("api", "out_requests"))
                            .kind())
                    .isEqualTo("HISTOGRAM");
            assertThat(point(last, "portflow.ingress.request.duration", Map.of("component", "api"))
                            .count())
                    .isEqualTo(MESSAGES);

            // every meter /metrics has is in the push, under the same name and tags
            Set<String> pushed = last.stream()
                    .map(m -> m.name() + new TreeMap<>(m.attributes()))
                    .collect(Collectors.toSet());
            Set<String> expected = new HashSet<>();
            for (Meter meter : prometheus.getMeters()) {
                String tags = new TreeMap<>(
                                meter.getId().getTags().stream().collect(Collectors.toMap(Tag::getKey, Tag::getValue)))
                        .toString();
                expected.add(meter.getId().getName() + tags);
                if (meter.getId().getType() == Meter.Type.TIMER) {
                    expected.add(meter.getId().getName() + ".max" + tags);
                }
            }
            NamingConvention convention = prometheus.config().namingConvention();
            Set<String> micrometerHistograms = new HashSet<>();
            for (Meter meter : prometheus.getMeters()) {
                micrometerHistograms.add(convention.name(
                        meter.getId().getName(),
                        meter.getId().getType(),
                        meter.getId().getBaseUnit()));
            }
            for (MetricSnapshot snapshot : prometheus.getPrometheusRegistry().scrape()) {
                String family = snapshot.getMetadata().getPrometheusName();
                if (!(snapshot instanceof HistogramSnapshot histogram) || micrometerHistograms.contains(family)) {
                    continue;
                }
                String name = MeterMirror.NATIVE_HISTOGRAMS.stream()
                        .filter(n ->
                                convention.name(n, Meter.Type.TIMER, "seconds").equals(family))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(
                                "the native histogram " + family + " is missing from MeterMirror.NATIVE_HISTOGRAMS"));
                for (HistogramSnapshot.HistogramDataPointSnapshot data : histogram.getDataPoints()) {
                    Map<String, String> labels = new TreeMap<>();
                    for (Label label : data.getLabels()) {
                        labels.put(label.getName(), label.getValue());
                    }
                    expected.add(name + labels);
                    expected.add(name + ".max" + labels);
                }
            }
            assertThat(expected)
                    .as("jvm meters too")
                    .anyMatch(e -> e.startsWith("jvm.memory.used"))
                    .anyMatch(e -> e.startsWith("portflow.component.time"));
            assertThat(pushed).containsAll(expected);
        }
    }

    @Test
    void theMetersArePushedEveryStepWhileThePipelineRuns(@TempDir Path dir) throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
                Assembly assembly = Blueprints.loader()
                        .assemble(
                                blueprint(dir),
                                AssemblyOptions.defaults()
                                        .port(0)
                                        .otlpMetrics(OtlpMetricsSettings.to(receiver.metricsEndpoint())
                                                .withStep(Duration.ofSeconds(1))))
                        .start()) {
            List<ReceivedMetric> received = receiver.awaitMetrics(
                    metrics -> metrics.stream()
                                    .map(ReceivedMetric::request)
                                    .distinct()
                                    .count()
                            >= 2,
                    Duration.ofSeconds(10));
            assertThat(OtlpTestReceiver.latest(received, "portflow.port.buffer.capacity", port("stage", "in_events")))
                    .as("pushed before the pipeline stops")
                    .isNotNull();
            assertThat(assembly.pipeline().state()).isEqualTo(PipelineState.RUNNING);
        }
    }

    @Test
    void withoutTheSettingNothingIsExported(@TempDir Path dir) {
        try (Assembly assembly = Blueprints.loader()
                .assemble(blueprint(dir), AssemblyOptions.defaults().withoutServer())) {
            assertThat(assembly.otlpMetrics()).isEmpty();
            assertThat(assembly.otlpExport()).isNull();
        }
    }

    private static ReceivedMetric point(List<ReceivedMetric> metrics, String name, Map<String, String> attributes) {
        return Objects.requireNonNull(
                OtlpTestReceiver.latest(metrics, name, attributes),
                () -> "no " + name + attributes + " in "
                        + metrics.stream()
                                .map(ReceivedMetric::name)
                                .distinct()
                                .sorted()
                                .toList());
    }

    private static double value(List<ReceivedMetric> metrics, String name, Map<String, String> attributes) {
        return point(metrics, name, attributes).value();
    }
}
