package dev.portflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.http.ApiEndpoint;
import dev.portflow.http.IngressSettings;
import dev.portflow.http.PortflowServer;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard's endpoints on a real server over a real pipeline with a slow stage, with a real client. */
class DashboardServerTest {

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

    private SlowStagePipeline slowStage(Duration interval) {
        // 400 messages/s offered, 50/s served by slow: its 100-slot input fills in a fraction of a second
        SlowStagePipeline p = new SlowStagePipeline(400, 20, 100, interval);
        toClose.add(p);
        return p.start();
    }

    private HttpResponse<String> get(String baseUri, String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(baseUri + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String baseUri, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(baseUri, path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body());
    }

    private EventStreamClient stream(String baseUri) throws IOException, InterruptedException {
        EventStreamClient stream = new EventStreamClient(client, baseUri);
        toClose.add(stream);
        return stream;
    }

    @Test
    void servesThePageItsFilesAndUplotFromTheJar() throws Exception {
        String base = slowStage(Duration.ofMillis(250)).baseUri();

        HttpResponse<String> page = get(base, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'self'");
        assertThat(page.body()).contains("/dashboard/static/");

        HttpResponse<String> uplot = get(base, "/dashboard/vendor/uPlot.esm.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(uplot.body()).contains("export { uPlot as default }");
        assertThat(get(base, "/dashboard/vendor/uPlot.min.css").body()).contains(".uplot");

        for (String missing : List.of(
                "/dashboard/static/nope.js",
                "/dashboard/static/..%2F..%2Fpom.xml",
                "/dashboard/static/App.JS",
                "/dashboard/vendor/README.md",
                "/dashboard/vendor/uPlot.cjs.js")) {
            HttpResponse<String> response = get(base, missing);
            assertThat(response.statusCode()).as(missing).isEqualTo(404);
        }
    }

    @Test
    void topologyListsEveryComponentAndConnectionLeftToRight() throws Exception {
        String base = slowStage(Duration.ofMillis(250)).baseUri();
        JsonNode topology = getJson(base, "/dashboard/api/topology");

        assertThat(topology.get("pipeline").asString()).isEqualTo("slow_stage");
        List<String> names = new ArrayList<>();
        topology.get("nodes")
                .forEach(n -> names.add(
                        n.get("name").asString() + "@" + n.get("column").asInt()));
        assertThat(names).containsExactly("gen@0", "parse@1", "slow@2", "store@3");
        List<String> edges = new ArrayList<>();
        topology.get("edges").forEach(e -> edges.add(e.get("id").asString()));
        assertThat(edges)
                .containsExactly(
                        "gen.out_events->parse.in_events",
                        SlowStagePipeline.SLOW_INPUT,
                        "slow.out_events->store.in_events");
        assertThat(topology.get("edges").get(1).get("capacity").asInt()).isEqualTo(100);
        assertThat(topology.get("history_size").asInt()).isEqualTo(300);
    }

    @Test
    void theStreamSendsAFrameEachIntervalAndNamesTheSlowStageAsTheBottleneck() throws Exception {
        String base = slowStage(Dashboard.DEFAULT_INTERVAL).baseUri();
        EventStreamClient stream = stream(base);
        assertThat(stream.response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/event-stream");

        // the latest frame at once, then one per second
        List<JsonNode> frames = new ArrayList<>();
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMillis(4500).toNanos()) {
            JsonNode frame = stream.next(Duration.ofMillis(500));
            if (frame != null) {
                frames.add(frame);
            }
        }
        assertThat(frames).hasSizeBetween(4, 7);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).get("seq").asLong())
                    .isGreaterThan(frames.get(i - 1).get("seq").asLong());
        }
        JsonNode last = frames.getLast();
        assertThat(last.get("state").asString()).isEqualTo("RUNNING");
        JsonNode slowInput = last.get("edges").get(SlowStagePipeline.SLOW_INPUT);
        assertThat(slowInput.get("fill").asDouble()).isGreaterThanOrEqualTo(0.8);
        assertThat(slowInput.get("capacity").asInt()).isEqualTo(100);
        assertThat(slowInput.get("out_per_s").asDouble()).isBetween(20.0, 60.0); // ~50/s through a 20 ms stage
        assertThat(slowInput.get("age_p99_ms").asDouble()).isGreaterThan(100.0); // waited behind ~100 others
        assertThat(last.get("nodes").get("slow").get("busy").asDouble()).isGreaterThan(0.8);
        assertThat(last.get("nodes").get("parse").get("backpressured").asDouble())
                .isGreaterThan(0.5);
        JsonNode bottleneck = last.get("bottleneck");
        assertThat(bottleneck.get("component").asString()).isEqualTo("slow");
        assertThat(bottleneck.get("edge").asString()).isEqualTo(SlowStagePipeline.SLOW_INPUT);
        assertThat(bottleneck.get("reason").asString()).startsWith("slow is the bottleneck: busy ");
    }

    @Test
    void historyHoldsTheLastSamplesOfAnEdgeAndANode() throws Exception {
        SlowStagePipeline p = slowStage(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> p.dashboard.latestFrame().seq() >= 5);

        JsonNode edge =
                getJson(p.baseUri(), "/dashboard/api/history?edge=" + SlowStagePipeline.SLOW_INPUT.replace(">", "%3E"));
        assertThat(edge.get("kind").asString()).isEqualTo("edge");
        int points = edge.get("time").size();
        assertThat(points).isBetween(5, 300);
        for (String series : EdgeSample.SERIES) {
            assertThat(edge.get("series").get(series).size()).as(series).isEqualTo(points);
        }
        JsonNode node = getJson(p.baseUri(), "/dashboard/api/history?node=slow");
        assertThat(node.get("series").get("busy").size())
                .isEqualTo(node.get("time").size());

        assertThat(get(p.baseUri(), "/dashboard/api/history?edge=nope").statusCode())
                .isEqualTo(404);
        assertThat(get(p.baseUri(), "/dashboard/api/history?node=nope").statusCode())
                .isEqualTo(404);
        assertThat(get(p.baseUri(), "/dashboard/api/history").statusCode()).isEqualTo(400);
    }

    @Test
    void historyStaysBoundedHoweverLongItRuns() throws Exception {
        SlowStagePipeline p = slowStage(Duration.ofMillis(10));
        // 10 ms interval: 300 samples are full after 3 s; run past that
        await().atMost(Duration.ofSeconds(30))
                .until(() -> p.dashboard.latestFrame().seq() >= 400);
        JsonNode node = getJson(p.baseUri(), "/dashboard/api/history?node=gen");
        assertThat(node.get("time").size()).isEqualTo(300);
        assertThat(node.get("series").get("out_per_s").size()).isEqualTo(300);
    }

    @Test
    @SuppressWarnings("ReferenceEquality") // END is a sentinel object: identity is intended
    void theStreamShowsDrainingThenTheStoppedPipelineAndEnds() throws Exception {
        SlowStagePipeline p = slowStage(Duration.ofMillis(100));
        EventStreamClient stream = stream(p.baseUri());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Objects.requireNonNull( // every frame has every edge
                                        p.dashboard.latestFrame().edges().get(SlowStagePipeline.SLOW_INPUT))
                                .fill()
                        >= 0.8);

        // ~100 buffered messages at 20 ms each: the drain takes about 2 s, seen by ~20 frames
        CompletableFuture<?> drain = CompletableFuture.runAsync(() -> p.server.drainAndStop(Duration.ofSeconds(30)));
        List<String> states = new ArrayList<>();
        JsonNode frame;
        while ((frame = stream.next(Duration.ofSeconds(10))) != EventStreamClient.END) {
            assertThat(frame).as("a frame or the end within 10 s").isNotNull();
            states.add(frame.get("state").asString());
        }
        drain.get();
        assertThat(states).contains("DRAINING");
        assertThat(states.getLast()).isEqualTo("STOPPED");
        assertThat(states.indexOf("DRAINING")).isLessThan(states.lastIndexOf("STOPPED"));
    }

    @Test
    void theIngressPanelCountsAnswersByKind() throws Exception {
        Pipeline pipeline = Pipeline.builder("ingress_panel")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("api", JsonMessage.class, ApiEndpoint.json(IngressSettings.of("/orders")))
                .sink("sink", JsonMessage.class, m -> {})
                .connect("api.out_requests", "sink.in_requests")
                .build();
        Dashboard dashboard = new Dashboard(Duration.ofMillis(100), 50);
        PortflowServer server = PortflowServer.builder(pipeline)
                .port(0)
                .extension(dashboard)
                .build()
                .start();
        toClose.add(server);

        for (String body : List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}", "{not json")) {
            client.send(
                    HttpRequest.newBuilder(URI.create(server.baseUri() + "/orders"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        IngressSample ingress = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> dashboard.latestFrame().ingress().getFirst(),
                        sample -> sample.acceptedTotal() == 3 && sample.clientErrorsTotal() == 1);
        assertThat(ingress.component()).isEqualTo("api");
        assertThat(ingress.path()).isEqualTo("/orders");
        assertThat(ingress.backpressuredTotal()).isZero();
        assertThat(ingress.retryAfterS()).isBetween(1, 60);

        JsonNode topology = getJson(server.baseUri(), "/dashboard/api/topology");
        assertThat(topology.get("ingress").get(0).get("path").asString()).isEqualTo("/orders");
    }

    @Test
    void dropsAreRatedByReasonWhileTheyHappen() throws Exception {
        Pipeline pipeline = Pipeline.builder("dropping")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("gen", Long.class, context -> {
                    long seq = 0;
                    while (context.isRunning()) {
                        context.emit(seq++);
                        if (!context.pause(Duration.ofMillis(1))) {
                            return;
                        }
                    }
                })
                .sink("slow", Long.class, x -> Thread.sleep(10))
                .connect(
                        "gen.out_events",
                        "slow.in_events",
                        ConnectionOptions.defaults().capacity(4).overflow(OverflowPolicy.DROP_NEWEST))
                .build();
        Dashboard dashboard = new Dashboard(Duration.ofMillis(200), 50);
        toClose.add(PortflowServer.builder(pipeline)
                .port(0)
                .extension(dashboard)
                .build()
                .start());

        EdgeSample edge = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> dashboard.latestFrame().edges().get("gen.out_events->slow.in_events"),
                        sample -> sample.dropRates().containsKey("drop_newest"));
        assertThat(edge.dropRates().get("drop_newest")).isPositive();
        assertThat(edge.dropRates()).containsOnlyKeys("drop_newest");
        assertThat(edge.dropsPerS()).isPositive();
        assertThat(edge.dropsTotal().get("drop_newest")).isPositive();
        assertThat(edge.dropsTotal().get("timeout")).isZero();
    }

    @Test
    void tracesListsTheSlowestTracedMessagesFirstWithEachStagesWaitAndHandling() throws Exception {
        TracedPipeline p = new TracedPipeline(true);
        toClose.add(p);
        String base = p.start().baseUri();
        // every message traced; done once each has both its stages (work, then store or dead)
        JsonNode answer = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> getJson(base, "/dashboard/api/traces"),
                        a -> a.get("traces").size() == TracedPipeline.MESSAGES
                                && a.get("traces")
                                        .valueStream()
                                        .allMatch(t -> t.get("stages").size() == 2));
        assertThat(answer.get("tracing").asBoolean()).isTrue();
        assertThat(answer.get("window_s").asInt()).isEqualTo(300);
        assertThat(answer.get("limit").asInt()).isEqualTo(TraceList.DEFAULT_LIMIT);
        List<JsonNode> traces = answer.get("traces").valueStream().toList();
        assertThat(traces).extracting(t -> t.get("total_ms").asDouble()).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(traces).extracting(t -> t.get("trace_id").asString()).doesNotHaveDuplicates();

        JsonNode slowest = traces.getFirst(); // the last message: it waited behind all the others
        assertThat(slowest.get("trace_id").asString()).matches("[0-9a-f]{32}");
        assertThat(slowest.get("why").asString()).isEqualTo("sampled");
        assertThat(Instant.parse(slowest.get("ended_at").asString()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(slowest.get("entry_ms").asDouble()).isNotNegative();
        assertThat(slowest.get("before_ms").asDouble()).isZero();
        JsonNode work = slowest.get("stages").get(0);
        assertThat(work.get("component").asString()).isEqualTo("work");
        assertThat(work.get("port").asString()).isEqualTo("in_n");
        assertThat(work.get("handling_ms").asDouble()).isGreaterThanOrEqualTo(TracedPipeline.SLOWEST_HANDLING_MS);
        assertThat(work.get("wait_ms").asDouble()).isGreaterThan(50.0); // behind messages 1 to 6
        assertThat(work.get("failed").asBoolean()).isFalse();
        assertThat(slowest.get("stages").get(1).get("component").asString()).isEqualTo("store");
        // each figure is rounded to the microsecond on its own: the sum of two may pass the total by 1 us
        assertThat(slowest.get("total_ms").asDouble())
                .isGreaterThanOrEqualTo(
                        work.get("wait_ms").asDouble() + work.get("handling_ms").asDouble() - 0.0015);

        // the failed message: marked at work, then its envelope at dead
        List<JsonNode> failed = traces.stream()
                .filter(t -> t.get("stages")
                        .valueStream()
                        .anyMatch(s -> s.get("failed").asBoolean()))
                .toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst()
                        .get("stages")
                        .valueStream()
                        .map(s -> s.get("component").asString() + ":"
                                + s.get("failed").asBoolean()))
                .containsExactly("work:true", "dead:false");

        JsonNode three = getJson(base, "/dashboard/api/traces?limit=3");
        assertThat(three.get("traces").valueStream().map(t -> t.get("trace_id").asString()))
                .containsExactlyElementsOf(traces.subList(0, 3).stream()
                        .map(t -> t.get("trace_id").asString())
                        .toList());
        JsonNode capped = getJson(base, "/dashboard/api/traces?limit=100000");
        assertThat(capped.get("limit").asInt()).isEqualTo(TraceList.MAX_LIMIT);
        assertThat(capped.get("traces").size()).isEqualTo(TracedPipeline.MESSAGES);
    }

    @Test
    void tracesSaysWhenThePipelineDoesNotTraceAndRefusesABadLimit() throws Exception {
        TracedPipeline p = new TracedPipeline(false);
        toClose.add(p);
        String base = p.start().baseUri();
        JsonNode answer = getJson(base, "/dashboard/api/traces");
        assertThat(answer.get("tracing").asBoolean()).isFalse();
        assertThat(answer.get("traces").size()).isZero();

        for (String bad : List.of("0", "-1", "ten", "2.5", "", "%20")) {
            HttpResponse<String> refused = get(base, "/dashboard/api/traces?limit=" + bad);
            assertThat(refused.statusCode()).as("limit=%s", bad).isEqualTo(400);
            JsonNode error = JsonMapper.shared().readTree(refused.body());
            assertThat(error.get("error").asString()).isEqualTo("bad_request");
            assertThat(error.get("message").asString()).startsWith("limit must be a whole number from 1");
        }
    }

    @Test
    void anIngressMayNotTakeTheDashboardsPaths() {
        Pipeline pipeline = Pipeline.builder("clash")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source("api", JsonMessage.class, ApiEndpoint.json(IngressSettings.of("/dashboard/events")))
                .sink("sink", JsonMessage.class, m -> {})
                .connect("api.out_requests", "sink.in_requests")
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PortflowServer.builder(pipeline)
                        .port(0)
                        .extension(new Dashboard())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/dashboard/events is reserved");
    }

    @Test
    void streamsBeyondTheLimitAreRefused() throws Exception {
        String base = slowStage(Duration.ofMillis(250)).baseUri();
        for (int i = 0; i < Dashboard.MAX_STREAMS; i++) {
            EventStreamClient s = stream(base);
            assertThat(s.response.statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = get(base, "/dashboard/events");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("too_many_streams");
    }
}
