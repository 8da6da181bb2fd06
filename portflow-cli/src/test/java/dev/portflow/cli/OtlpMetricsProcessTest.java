package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.tracing.OtlpTestReceiver;
import dev.portflow.tracing.OtlpTestReceiver.ReceivedMetric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portflow run} as a separate process whose only OTLP setting is the standard environment: it prints where
 * its meters are pushed, and on SIGTERM, after the drain, pushes them once more, so the final counts arrive at the
 * {@link OtlpTestReceiver} (the push step is set to 10 minutes: only that push can carry them). The metrics endpoint
 * wins over the one for every signal; a value that cannot be used is refused with exit 2, naming it.
 */
@Timeout(90)
class OtlpMetricsProcessTest {

    private static final String PIPELINE = "otlp-metrics";

    private static Path blueprint(Path dir, int port, String extra) throws Exception {
        return Files.writeString(dir.resolve("otlp.yaml"), """
                name: %s
                server: {host: 127.0.0.1, port: %d}
                %s
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /events}}
                  - {name: stage, recipe: sleep, config: {duration_ms: 1}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl}}
                connections:
                  - {from: api.out_requests, to: stage.in_events}
                  - {from: stage.out_events, to: out.in_events}
                """.formatted(PIPELINE, port, extra));
    }

    private static void post(HttpClient client, int port, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> accepted = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
    }

    /** SIGTERM, then exit 0 within 30 s. */
    private static void stop(PortflowProcess portflow) throws Exception {
        portflow.signal();
        assertThat(portflow.process.waitFor(30, TimeUnit.SECONDS))
                .as("exited after SIGTERM")
                .isTrue();
        assertThat(portflow.process.exitValue()).as(portflow.output()).isZero();
    }

    private static ReceivedMetric point(List<ReceivedMetric> metrics, String name, String component, String port) {
        Map<String, String> attributes = Map.of("pipeline", PIPELINE, "component", component, "port", port);
        return Objects.requireNonNull(
                OtlpTestReceiver.latest(metrics, name, attributes),
                () -> "no " + name + attributes + " in "
                        + metrics.stream()
                                .map(ReceivedMetric::name)
                                .distinct()
                                .sorted()
                                .toList());
    }

    @Test
    void theFinalCountsArriveWithThePushAfterTheDrain(@TempDir Path dir) throws Exception {
        int port = PortflowProcess.freePort();
        Path file = blueprint(dir, port, "");
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newHttpClient();
                PortflowProcess portflow = PortflowProcess.start(
                        dir,
                        dir.resolve("portflow.log"),
                        Map.of(
                                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                                receiver.metricsEndpoint(),
                                "OTEL_METRIC_EXPORT_INTERVAL",
                                "600000"),
                        "run",
                        file.toString())) {
            portflow.awaitReady(port);
            assertThat(portflow.output())
                    .contains("  metrics:   http://127.0.0.1:" + port + "/metrics")
                    .contains("             pushed over OTLP to " + receiver.metricsEndpoint()
                            + " every 600 s as service.name '" + PIPELINE + "' (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT)")
                    .as("the traces' endpoints are not set: no tracing")
                    .doesNotContain("tracing:");
            post(client, port, 5);
            int before = receiver.metricRequests();

            stop(portflow);

            // the process pushed before it exited: nothing to wait for
            List<ReceivedMetric> last = receiver.metrics().stream()
                    .filter(m -> m.request() > before)
                    .toList();
            assertThat(last).as("a push after SIGTERM").isNotEmpty();
            ReceivedMetric sent = point(last, "portflow.port.messages.out", "api", "out_requests");
            assertThat(sent.value()).isEqualTo(5);
            assertThat(sent.resource()).containsEntry("service.name", PIPELINE);
            assertThat(point(last, "portflow.port.messages.in", "out", "in_events")
                            .value())
                    .isEqualTo(5);
            assertThat(point(last, "portflow.port.process.duration", "stage", "in_events")
                            .count())
                    .isEqualTo(5);
        }
    }

    @Test
    void theMetricsEndpointWinsOverTheOneForEverySignal(@TempDir Path dir) throws Exception {
        int port = PortflowProcess.freePort();
        Path file = blueprint(dir, port, "");
        try (OtlpTestReceiver everything = OtlpTestReceiver.start();
                OtlpTestReceiver metrics = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newHttpClient();
                PortflowProcess portflow = PortflowProcess.start(
                        dir,
                        dir.resolve("portflow.log"),
                        Map.of(
                                "OTEL_EXPORTER_OTLP_ENDPOINT",
                                everything.endpoint(),
                                // a base address: /v1/metrics is added, as Micrometer does
                                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                                metrics.endpoint()),
                        "run",
                        file.toString())) {
            portflow.awaitReady(port);
            assertThat(portflow.output())
                    .contains("pushed over OTLP to " + metrics.metricsEndpoint() + " every 60 s")
                    .contains("tracing:   OpenTelemetry"); // the endpoint for every signal still turns tracing on
            post(client, port, 2);
            stop(portflow);

            assertThat(point(metrics.metrics(), "portflow.port.messages.in", "out", "in_events")
                            .value())
                    .isEqualTo(2);
            assertThat(everything.metricRequests())
                    .as("no metrics where the spans go")
                    .isZero();
        }
    }

    @Test
    void aValueThatCannotBeUsedIsRefusedWithExit2(@TempDir Path dir) throws Exception {
        int port = PortflowProcess.freePort();
        assertThat(refused(dir, blueprint(dir, port, ""), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
                .contains("portflow: metrics: OTEL_EXPORTER_OTLP_ENDPOINT='collector:4318' is not an http or https"
                        + " URL; e.g. http://collector:4318 (/v1/metrics is added)");
        assertThat(refused(
                        dir,
                        blueprint(dir, port, ""),
                        Map.of(
                                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                                "http://127.0.0.1:1",
                                "OTEL_METRIC_EXPORT_INTERVAL",
                                "often")))
                .contains("portflow: metrics: the OTLP metrics export cannot use OTEL_METRIC_EXPORT_INTERVAL:"
                        + " For input string: \"often\"");
        Path file = blueprint(dir, port, "metrics: {otlp_endpoint: \"http://collector:4318\", step_s: 0}");
        assertThat(refused(dir, file, Map.of()))
                .contains(file + ":3:59: metrics step_s must be between 1 and 86400, was 0");
    }

    /** Runs {@code portflow run file} with {@code environment}, which must exit 2 at once; its output. */
    private static String refused(Path dir, Path file, Map<String, String> environment) throws Exception {
        try (PortflowProcess portflow =
                PortflowProcess.start(dir, dir.resolve("refused.log"), environment, "run", file.toString())) {
            assertThat(portflow.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = portflow.output();
            assertThat(portflow.process.exitValue()).as(output).isEqualTo(2);
            return output;
        }
    }
}
