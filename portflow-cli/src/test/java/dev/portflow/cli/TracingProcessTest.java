package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.tracing.OtlpTestReceiver;
import dev.portflow.tracing.OtlpTestReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portflow run} of a blueprint with {@code tracing:} as a separate process, exporting to an OTLP
 * receiver named by {@code OTEL_EXPORTER_OTLP_ENDPOINT}: one message posted, SIGTERM, and the message's
 * spans, one per stage and buffer, arrive. The batch is set to wait 10 minutes, so they can only arrive
 * through the SDK's shutdown after the drain. The spans' resource and the pushed meters' are the same:
 * {@code service.name} the pipeline's, {@code service.instance.id} {@code --instance-id}'s.
 */
@Timeout(60)
class TracingProcessTest {

    @Test
    void aPostedMessagesSpansArriveOverOtlpWhenTheProcessStops(@TempDir Path dir) throws Exception {
        int port = PortflowProcess.freePort();
        // slow_ms: 0 traces the message from its first stage even where the ingress does not start traces itself
        Path blueprint = Files.writeString(dir.resolve("traced.yaml"), """
                name: traced
                server: {host: 127.0.0.1, port: %d}
                tracing: {sample_ratio: 1.0, slow_ms: 0}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /events}}
                  - {name: slow, recipe: sleep, config: {duration_ms: 5}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl}}
                connections:
                  - {from: api.out_requests, to: slow.in_events}
                  - {from: slow.out_events, to: out.in_events}
                """.formatted(port));
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
                PortflowProcess portflow = PortflowProcess.start(
                        dir,
                        dir.resolve("portflow.log"),
                        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "600000"),
                        "run",
                        blueprint.toString(),
                        "--instance-id",
                        "traced-1")) {
            portflow.awaitReady(port);
            assertThat(portflow.output()).contains("tracing:   OpenTelemetry, sample_ratio 1.0, slow_ms 0");
            HttpResponse<String> accepted = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            // the batch span processor's own counts, on the pipeline's /metrics (docs/tracing.md, "Dropped spans")
            String metrics = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .containsPattern(
                            "(?m)^portflow_trace_spans_dropped_total\\{[^}]*reason=\"queue_full\"[^}]*} 0\\.0$")
                    .containsPattern("(?m)^portflow_trace_spans_queued(\\{[^}]*})? [0-9.]+$")
                    .containsPattern(
                            "(?m)^portflow_trace_spans_exported_total\\{[^}]*outcome=\"failure\"[^}]*} 0\\.0$");

            portflow.signal();
            assertThat(portflow.process.waitFor(30, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            assertThat(portflow.process.exitValue()).as(portflow.output()).isZero();

            List<ReceivedSpan> spans = receiver.await(
                    received -> received.stream().anyMatch(s -> s.name().equals("out")), Duration.ofSeconds(5));
            ReceivedSpan slow = span(spans, "slow");
            ReceivedSpan out = span(spans, "out");
            ReceivedSpan root = spans.stream()
                    .filter(ReceivedSpan::isRoot)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no root span in " + spans));
            // the root: the entry where the ingress traces at its entry, else the late trace's first span
            assertThat(root.name()).isIn("enter api", "before slow (slow)");
            assertThat(spans)
                    .extracting(ReceivedSpan::name)
                    .containsExactlyInAnyOrder(root.name(), "wait slow.in_events", "slow", "wait out.in_events", "out");
            assertThat(spans).extracting(ReceivedSpan::traceId).containsOnly(root.traceId());
            assertThat(span(spans, "wait slow.in_events").parentSpanId()).isEqualTo(root.spanId());
            assertThat(slow.parentSpanId()).isEqualTo(root.spanId());
            assertThat(span(spans, "wait out.in_events").parentSpanId()).isEqualTo(slow.spanId());
            assertThat(out.parentSpanId()).isEqualTo(slow.spanId());
            assertThat(slow.endNanos() - slow.startNanos()).isGreaterThanOrEqualTo(5_000_000L);
            // the resource names the pipeline and --instance-id, as the metrics' does (pushed to the same receiver)
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.attributes()).containsEntry("portflow.pipeline", "traced");
                assertThat(s.resource())
                        .containsEntry("service.name", "traced")
                        .containsEntry("service.instance.id", "traced-1");
            });
            assertThat(receiver.metrics())
                    .as("the meters, pushed after the drain")
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m.resource())
                            .containsEntry("service.name", "traced")
                            .containsEntry("service.instance.id", "traced-1"));
        }
    }

    private static ReceivedSpan span(List<ReceivedSpan> spans, String name) {
        return Objects.requireNonNull(OtlpTestReceiver.named(spans, name), () -> "no span '" + name + "' in " + spans);
    }
}
