package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.runtime.ComponentState;
import dev.portflow.runtime.Workers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Worker pools on the dashboard, on a real pipeline behind a real server: {@code gen -> parse ->
 * slow -> store} with {@code slow} widened. Component clocks count worker-seconds; the shares must
 * still be of the interval's worker time (0..1), and the bottleneck must know the stage's workers.
 */
class DashboardWorkersTest {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        client.close();
    }

    /** 400 messages/s offered to {@code slow} on {@code workers}, 20 ms each (4 workers serve ~200/s). */
    private SlowStagePipeline slowStage(Workers workers, Duration interval) {
        SlowStagePipeline p = new SlowStagePipeline(400, 20, 100, interval, 0, workers);
        toClose.add(p);
        return p.start();
    }

    private JsonNode getJson(String baseUri, String path, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(baseUri + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        return JsonMapper.shared().readTree(response.body());
    }

    private static boolean slowInputFull(SlowStagePipeline p) {
        EdgeSample input = p.dashboard.latestFrame().edges().get(SlowStagePipeline.SLOW_INPUT);
        return input != null && input.fill() >= 0.8;
    }

    @Test
    void sharesOfAFourWorkerStageBusyAllTheTimeStayWithinZeroAndOne() throws Exception {
        SlowStagePipeline p = slowStage(Workers.fixed(4), Duration.ofMillis(250));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slowInputFull(p) && p.dashboard.latestFrame().seq() >= 4);

        // the clocks really are in worker-seconds: 4 sleeping workers add ~4 busy seconds per second
        double busyBefore = p.pipeline.componentSeconds("slow", ComponentState.BUSY);
        long wallBefore = System.nanoTime();
        List<NodeSample> samples = new ArrayList<>();
        long seen = p.dashboard.latestFrame().seq();
        while (samples.size() < 8) {
            Frame frame = p.dashboard.latestFrame();
            if (frame.seq() > seen) {
                seen = frame.seq();
                samples.add(frame.nodes().get("slow"));
            }
            Thread.sleep(20);
        }
        double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
        double busyWorkerSeconds = p.pipeline.componentSeconds("slow", ComponentState.BUSY) - busyBefore;
        assertThat(busyWorkerSeconds / wallSeconds)
                .as("busy worker-seconds per second")
                .isGreaterThan(3.0);

        for (NodeSample slow : samples) {
            assertThat(slow.workers()).isEqualTo(4);
            assertThat(slow.busy()).as("busy share").isBetween(0.0, 1.0);
            assertThat(slow.idle()).as("idle share").isBetween(0.0, 1.0);
            assertThat(slow.backpressured()).as("backpressured share").isBetween(0.0, 1.0);
            assertThat(slow.busy() + slow.idle() + slow.backpressured())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        }
        // ~100 % busy: every worker sleeps on a message all the time
        assertThat(samples.stream().mapToDouble(NodeSample::busy).average().orElseThrow())
                .isGreaterThan(0.9);
        Bottleneck bottleneck = Objects.requireNonNull(p.dashboard.latestFrame().bottleneck(), "no bottleneck");
        assertThat(bottleneck.component()).isEqualTo("slow");
        assertThat(bottleneck.reason()).startsWith("slow is the bottleneck at its maximum of 4 workers: busy ");
    }

    @Test
    void topologyFramesHistoryAndDecisionsTellTheWorkers() throws Exception {
        SlowStagePipeline p = slowStage(Workers.fixed(4), Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> slowInputFull(p) && p.dashboard.latestFrame().bottleneck() != null);
        String base = p.baseUri();

        JsonNode topology = getJson(base, "/dashboard/api/topology", 200);
        JsonNode gen = topology.get("nodes").get(0);
        JsonNode slow = topology.get("nodes").get(2);
        assertThat(slow.get("name").asString()).isEqualTo("slow");
        assertThat(slow.get("workers_min").asInt()).isEqualTo(4);
        assertThat(slow.get("workers_max").asInt()).isEqualTo(4);
        assertThat(slow.get("ordered_by_key").asBoolean()).isFalse();
        assertThat(gen.get("workers_min").asInt()).isEqualTo(1);
        assertThat(gen.get("workers_max").asInt()).isEqualTo(1);

        JsonNode frame = getJson(base, "/dashboard/api/frame", 200);
        assertThat(frame.get("nodes").get("slow").get("workers").asInt()).isEqualTo(4);
        assertThat(frame.get("nodes").get("slow").get("last_decision_ms").isNull())
                .isTrue();
        assertThat(frame.get("nodes").get("gen").get("workers").asInt()).isEqualTo(1);
        assertThat(frame.get("scaling").isArray()).isTrue();
        assertThat(frame.get("scaling").size()).isZero();
        assertThat(frame.get("bottleneck").get("reason").asString()).contains("at its maximum of 4 workers");

        JsonNode history = getJson(base, "/dashboard/api/history?node=slow", 200);
        JsonNode workers = history.get("series").get("workers");
        assertThat(workers.size()).isEqualTo(history.get("time").size());
        assertThat(workers.get(workers.size() - 1).asDouble()).isEqualTo(4.0);

        JsonNode decisions = getJson(base, "/dashboard/api/decisions?node=slow", 200);
        assertThat(decisions.get("element").asString()).isEqualTo("slow");
        assertThat(decisions.get("workers_max").asInt()).isEqualTo(4);
        assertThat(decisions.get("decisions").size()).isZero();
        getJson(base, "/dashboard/api/decisions?node=nope", 404);
        getJson(base, "/dashboard/api/decisions", 400);
    }

    @Test
    void anAutoscaledStageIsEitherWideningOrTheBottleneckAtItsMaximum() throws Exception {
        // Holds with and without the autoscaler: below 4 workers slow is widening, at 4 the bottleneck.
        SlowStagePipeline p = slowStage(Workers.between(1, 4), Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Frame f = p.dashboard.latestFrame();
            return !f.scaling().isEmpty() || f.bottleneck() != null;
        });
        Frame frame = p.dashboard.latestFrame();
        int workers = Objects.requireNonNull(frame.nodes().get("slow"), "slow").workers();
        assertThat(workers).isBetween(1, 4);
        if (frame.bottleneck() != null) {
            assertThat(frame.bottleneck().reason()).startsWith("slow is the bottleneck at its maximum of 4 workers");
            assertThat(workers).isEqualTo(4);
        } else {
            Scaling scaling = frame.scaling().getFirst();
            assertThat(scaling.component()).isEqualTo("slow");
            assertThat(scaling.workersMax()).isEqualTo(4);
            assertThat(scaling.reason()).startsWith("slow is widening (" + scaling.workers() + " of 4 workers): busy ");
        }
        JsonNode decisions = getJson(p.baseUri(), "/dashboard/api/decisions?node=slow", 200);
        assertThat(decisions.get("workers_min").asInt()).isEqualTo(1);
        assertThat(decisions.get("decisions").size()).isBetween(0, 20);
    }
}
