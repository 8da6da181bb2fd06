package dev.portflow.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.model.Blueprint;
import dev.portflow.kafka.EmbeddedKafkaBroker;
import dev.portflow.kafka.KafkaReceiver;
import dev.portflow.runtime.PipelineState;
import dev.portflow.tracing.OtlpTestReceiver;
import dev.portflow.tracing.OtlpTestReceiver.ReceivedMetric;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
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
import org.awaitility.Awaitility;
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
                assertThat(assembly.pipeline().meterRegistry())
                        .as("the pipeline's meters go to /metrics' registry and the OTLP one")
                        .isInstanceOfSatisfying(
                                CompositeMeterRegistry.class,
                                composite -> assertThat(composite.getRegistries())
                                        .hasSize(2)
                                        .contains(prometheus)
                                        .anyMatch(OtlpMeterRegistry.class::isInstance));
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

            assertThat(prometheus.getMeters())
                    .as("jvm meters too")
                    .anyMatch(m -> m.getId().getName().equals("jvm.memory.used"))
                    .anyMatch(m -> m.getId().getName().equals("portflow.component.time"));
            assertEveryMeterOfMetricsIsPushed(prometheus, last);
        }
    }

    /**
     * Kafka and disk connections register their meters (the ports' with {@code transport} kafka or disk, the
     * partitions a receiver owns, the disk log's) through the pipeline's registry too: the push on close has them,
     * and every other meter {@code /metrics} has.
     */
    @Test
    void theMetersOfKafkaAndDiskConnectionsArePushedToo(@TempDir Path dir) throws Exception {
        int count = 20;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
                OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            String topic = EmbeddedKafkaBroker.uniqueTopic("otlp");
            kafka.createTopic(topic, 1);
            Path file = Files.writeString(dir.resolve("hops.yaml"), """
                    name: hops
                    kafka: {bootstrap_servers: "%s", lag_refresh_ms: 50, prefetch: 64}
                    data_dir: "%s"
                    components:
                      - {name: gen, recipe: generator, config: {rate: 100000, count: %d, template: {n: "${seq}"}}}
                      - {name: gen2, recipe: generator, config: {rate: 100000, count: %3$d, template: {n: "${seq}"}}}
                      - {name: viakafka, recipe: jsonl_sink, config: {path: kafka.jsonl, flush_ms: 20}}
                      - {name: viadisk, recipe: jsonl_sink, config: {path: disk.jsonl, flush_ms: 20}}
                    connections:
                      - {from: gen.out_x, to: viakafka.in_x, transport: kafka, topic: %s}
                      - {from: gen2.out_x, to: viadisk.in_x, transport: disk}
                    """.formatted(
                            kafka.bootstrapServers(), dir.resolve("data").toAbsolutePath(), count, topic));
            Assembly assembly = Blueprints.assemble(
                            Blueprints.load(file),
                            AssemblyOptions.defaults()
                                    .withoutServer()
                                    .otlpMetrics(OtlpMetricsSettings.to(receiver.endpoint())
                                            .withStep(Duration.ofMinutes(10))))
                    .start();
            int before;
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> lines(dir.resolve("kafka.jsonl")) >= count
                                && lines(dir.resolve("disk.jsonl")) >= count);
                before = receiver.metricRequests();
            } finally {
                assertThat(assembly.drainAndStop(Duration.ofSeconds(20)).completed())
                        .isTrue();
            }
            List<ReceivedMetric> last = receiver.metrics().stream()
                    .filter(m -> m.request() > before)
                    .toList();
            Map<String, String> kafkaPort = Map.of("pipeline", "hops", "component", "viakafka", "port", "in_x");
            Map<String, String> diskPort = Map.of("pipeline", "hops", "component", "viadisk", "port", "in_x");
            assertThat(point(last, "portflow.port.messages.in", kafkaPort).attributes())
                    .containsEntry("transport", "kafka");
            assertThat(value(last, "portflow.port.messages.in", kafkaPort)).isEqualTo(count);
            assertThat(point(last, KafkaReceiver.PARTITIONS_ASSIGNED, kafkaPort).kind())
                    .as("the receiver's gauge, registered when it watches the pipeline (0 by the last push: the"
                            + " consumer left its group when the Kafka client closed)")
                    .isEqualTo("GAUGE");
            assertThat(point(last, "portflow.port.messages.in", diskPort).attributes())
                    .containsEntry("transport", "disk");
            assertThat(value(last, "portflow.port.messages.in", diskPort)).isEqualTo(count);
            ReceivedMetric fsync = point(last, "portflow.disk.fsync.duration", diskPort);
            assertThat(fsync.kind()).isEqualTo("HISTOGRAM");
            assertThat(fsync.count()).isPositive();
            assertThat(point(last, "portflow.disk.bytes", diskPort).kind()).isEqualTo("GAUGE");
            assertEveryMeterOfMetricsIsPushed(assembly.meterRegistry(), last);
        }
    }

    /**
     * Every meter {@code prometheus} (what {@code /metrics} renders) has is in {@code pushed}, under the same name
     * and tags: its Micrometer meters (a timer with a {@code .max} gauge too, as Micrometer's OTLP registry pushes a
     * timer with cumulative temporality), and each series of the latency histograms core registers in it natively
     * (not Micrometer meters there), as a meter whose name the Prometheus naming turns into the family's, with its
     * {@code .max}.
     */
    private static void assertEveryMeterOfMetricsIsPushed(
            PrometheusMeterRegistry prometheus, List<ReceivedMetric> pushed) {
        Set<String> pushedSeries = pushed.stream()
                .map(m -> m.name() + new TreeMap<>(m.attributes()))
                .collect(Collectors.toSet());
        Set<String> pushedNames = pushed.stream().map(ReceivedMetric::name).collect(Collectors.toSet());
        NamingConvention convention = prometheus.config().namingConvention();
        Set<String> expected = new HashSet<>();
        Set<String> micrometerFamilies = new HashSet<>();
        for (Meter meter : prometheus.getMeters()) {
            Meter.Id id = meter.getId();
            String tags = new TreeMap<>(id.getTags().stream().collect(Collectors.toMap(Tag::getKey, Tag::getValue)))
                    .toString();
            expected.add(id.getName() + tags);
            if (id.getType() == Meter.Type.TIMER) {
                expected.add(id.getName() + ".max" + tags);
            }
            micrometerFamilies.add(convention.name(id.getName(), id.getType(), id.getBaseUnit()));
        }
        int nativeHistograms = 0;
        for (MetricSnapshot snapshot : prometheus.getPrometheusRegistry().scrape()) {
            String family = snapshot.getMetadata().getPrometheusName();
            if (!(snapshot instanceof HistogramSnapshot histogram) || micrometerFamilies.contains(family)) {
                continue;
            }
            nativeHistograms++;
            String name = pushedNames.stream()
                    .filter(n -> convention.name(n, Meter.Type.TIMER, "seconds").equals(family))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the histogram " + family + " of /metrics is not pushed"));
            for (HistogramSnapshot.HistogramDataPointSnapshot data : histogram.getDataPoints()) {
                Map<String, String> labels = new TreeMap<>();
                for (Label label : data.getLabels()) {
                    labels.put(label.getName(), label.getValue());
                }
                expected.add(name + labels);
                expected.add(name + ".max" + labels);
            }
        }
        assertThat(nativeHistograms).as("the ports' latency histograms").isPositive();
        assertThat(pushedSeries).containsAll(expected);
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
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
            assertThat(assembly.pipeline().meterRegistry()).isSameAs(assembly.meterRegistry());
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
