package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registries a server takes: a {@code PrometheusMeterRegistry}, or a {@code CompositeMeterRegistry} with exactly
 * one among its members, whose meters {@code /metrics} renders while every member gets the pipeline's meters and
 * the JVM's; anything else is refused, saying what it needs.
 */
@Timeout(60)
class PortflowServerRegistryTest {

    private static Pipeline pipeline(MeterRegistry registry, ApiEndpoint<JsonMessage> api) {
        return Pipeline.builder("registries")
                .meterRegistry(registry)
                .source("api", JsonMessage.class, api)
                .sink("sink", JsonMessage.class, m -> {})
                .connect("api.out_requests", "sink.in_requests")
                .build();
    }

    @Test
    void aCompositeWithOnePrometheusMemberIsServedAndEveryMemberGetsTheMeters() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry(Clock.SYSTEM, List.of(prometheus, other));
        ApiEndpoint<JsonMessage> api = ApiEndpoint.json(IngressSettings.of("/orders"));
        PortflowServer server =
                PortflowServer.builder(pipeline(composite, api)).port(0).build().start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(api.ingress()::isAccepting);
            HttpResponse<String> accepted = client.send(
                    HttpRequest.newBuilder(URI.create(server.baseUri() + "/orders"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            other.find("portflow.port.messages.in").tag("component", "sink").functionCounters().stream()
                                            .mapToDouble(FunctionCounter::count)
                                            .sum()
                                    == 1);

            String metrics = client.send(
                            HttpRequest.newBuilder(URI.create(server.baseUri() + "/metrics"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .as("the Prometheus member's meters, its native histograms and the JVM's")
                    .contains("portflow_port_messages_in_total{component=\"sink\"")
                    .contains("portflow_port_queue_wait_seconds_bucket{")
                    .contains("portflow_ingress_requests_total{")
                    .contains("jvm_memory_used_bytes{");

            // the other member: the same meters, the histograms as a function timer and a .max time gauge
            assertThat(other.find("jvm.memory.used").meters()).as("JVM meters").isNotEmpty();
            assertThat(other.find("process.cpu.time").meters())
                    .as("dropped from every member")
                    .isEmpty();
            assertThat(other.find("portflow.ingress.requests")
                            .tag("status", "202")
                            .meters())
                    .isNotEmpty();
            FunctionTimer wait = Objects.requireNonNull(other.find("portflow.port.queue.wait")
                    .tag("component", "sink")
                    .functionTimer());
            assertThat(wait.count()).isEqualTo(1);
            TimeGauge max = Objects.requireNonNull(other.find("portflow.port.queue.wait.max")
                    .tag("component", "sink")
                    .timeGauge());
            assertThat(max.value()).isGreaterThanOrEqualTo(0);
        } finally {
            server.drainAndStop(Duration.ofSeconds(10));
        }
    }

    @Test
    void anyOtherRegistryIsRefusedSayingWhatItNeeds() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        assertThatThrownBy(
                        () -> PortflowServer.builder(pipeline(simple, ApiEndpoint.json(IngressSettings.of("/orders"))))
                                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline 'registries' is built with a SimpleMeterRegistry; it needs a"
                        + " PrometheusMeterRegistry, or a CompositeMeterRegistry with exactly one among its members"
                        + " (Pipeline.builder(..).meterRegistry(..)), to serve /metrics");
        CompositeMeterRegistry none = new CompositeMeterRegistry(Clock.SYSTEM, List.of(new SimpleMeterRegistry()));
        assertThatThrownBy(() -> PortflowServer.builder(pipeline(none, ApiEndpoint.json(IngressSettings.of("/orders"))))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pipeline 'registries' is built with a CompositeMeterRegistry with 0"
                        + " PrometheusMeterRegistry members; it needs a PrometheusMeterRegistry, or");
        CompositeMeterRegistry two = new CompositeMeterRegistry(
                Clock.SYSTEM,
                List.of(
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        assertThatThrownBy(() -> PortflowServer.builder(pipeline(two, ApiEndpoint.json(IngressSettings.of("/orders"))))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CompositeMeterRegistry with 2 PrometheusMeterRegistry members");
    }
}
