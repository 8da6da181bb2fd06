package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Transformer;
import dev.portflow.json.StrictJson;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.ScalingDecision;
import dev.portflow.runtime.Workers;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /metrics.json} tells each component's workers, on a real pipeline behind a real server. */
@Timeout(60)
class MetricsJsonWorkersTest {

    @Test
    void everyComponentTellsItsWorkersAndAutoscaledOnesTheirDecisions() throws Exception {
        // gen -> work (4 workers, ordered by key) -> store (1..3 workers, sized by the runtime)
        Pipeline pipeline = Pipeline.builder("workers_json")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("gen", Long.class, context -> {
                    long seq = 0;
                    while (context.isRunning()) {
                        context.emit(seq++);
                        if (!context.pause(Duration.ofMillis(5))) {
                            return;
                        }
                    }
                })
                .transformer("work", Long.class, Long.class, Transformer.map(x -> x + 1))
                .sink("store", Long.class, x -> {})
                .connect("gen.out_events", "work.in_events")
                .connect("work.out_events", "store.in_events")
                .workers("work", 4)
                .orderedByKey("work", x -> (Long) x % 8)
                .workers("store", Workers.between(1, 3))
                .build();
        try (PortflowServer server =
                        PortflowServer.builder(pipeline).port(0).build().start();
                HttpClient client = HttpClient.newHttpClient()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.workers("work") == 4);
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(server.baseUri() + "/metrics.json"))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode components = JsonMapper.shared().readTree(response.body()).get("components");

            JsonNode gen = components.get(0);
            assertThat(gen.get("name").asString()).isEqualTo("gen");
            assertThat(gen.get("workers").asInt()).isEqualTo(1);
            assertThat(gen.get("workers_min").asInt()).isEqualTo(1);
            assertThat(gen.get("workers_max").asInt()).isEqualTo(1);
            assertThat(gen.get("ordered_by_key").asBoolean()).isFalse();
            assertThat(gen.has("scaling_decisions"))
                    .as("only autoscaled components have decisions")
                    .isFalse();

            JsonNode work = components.get(1);
            assertThat(work.get("name").asString()).isEqualTo("work");
            assertThat(work.get("workers").asInt()).isEqualTo(4);
            assertThat(work.get("workers_min").asInt()).isEqualTo(4);
            assertThat(work.get("workers_max").asInt()).isEqualTo(4);
            assertThat(work.get("ordered_by_key").asBoolean()).isTrue();
            assertThat(work.has("scaling_decisions")).isFalse();
            // the existing fields are still there, named as before
            assertThat(work.get("kind").asString()).isEqualTo("transformer");
            assertThat(work.get("time_seconds").get("busy").isNumber()).isTrue();
            assertThat(work.get("ports").isArray()).isTrue();

            JsonNode store = components.get(2);
            assertThat(store.get("name").asString()).isEqualTo("store");
            assertThat(store.get("workers").asInt()).isBetween(1, 3);
            assertThat(store.get("workers_min").asInt()).isEqualTo(1);
            assertThat(store.get("workers_max").asInt()).isEqualTo(3);
            assertThat(store.get("ordered_by_key").asBoolean()).isFalse();
            assertThat(store.get("scaling_decisions").isArray()).isTrue();
            assertThat(store.get("scaling_decisions").size()).isBetween(0, 20);
        }
    }

    @Test
    void decisionsAreRenderedOldestFirstWithTheirTime() {
        List<ScalingDecision> decisions = List.of(
                new ScalingDecision("store", 1, 2, "busy 98 % of worker time: widening", 1_764_201_600_000L),
                new ScalingDecision("store", 2, 1, "idle 80 % of worker time: narrowing", 1_764_201_660_500L));
        assertThat(StrictJson.mapper().writeValueAsString(MetricsJson.scalingDecisions(decisions)))
                .isEqualTo(
                        "[{\"time\":\"2025-11-27T00:00:00Z\",\"from\":1,\"to\":2,\"reason\":\"busy 98 % of worker time: widening\"},"
                                + "{\"time\":\"2025-11-27T00:01:00.500Z\",\"from\":2,\"to\":1,\"reason\":\"idle 80 % of worker time: narrowing\"}]");
    }
}
