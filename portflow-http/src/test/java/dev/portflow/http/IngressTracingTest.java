package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.time.Ticker;
import dev.portflow.trace.RecordingTracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingress in a traced pipeline (docs/http-ingress.md, "Tracing"): the request's W3C
 * {@code traceparent} reaches the tracer, the message goes into the pipeline with its entry span's
 * context, the entry span ends with the answer, and the answer names the trace.
 */
@Timeout(60)
class IngressTracingTest {

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String SAMPLED = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";

    /**
     * The system clock with every reading odd: an exact enqueue stamp keeps its lowest bit for a flag,
     * so a hand-off read without the stamp's precision would start the wait a nanosecond before the
     * entry ends.
     */
    private static final Ticker ODD_READINGS = new Ticker() {
        @Override
        public long read() {
            return System.nanoTime() | 1L;
        }

        @Override
        public long wallNanos() {
            return Ticker.system().wallNanos();
        }
    };

    /** A traced pipeline api -> store whose ingress is driven directly. */
    private static final class Traced implements AutoCloseable {
        final AtomicBoolean headSampled = new AtomicBoolean(); // the head sampler's answer, set by a test
        final RecordingTracing tracer = new RecordingTracing(component -> headSampled.get(), Long.MAX_VALUE);
        final ApiEndpoint<JsonMessage> api;
        final Pipeline pipeline;
        final List<JsonMessage> stored = new CopyOnWriteArrayList<>();

        Traced(IngressSettings settings, ConnectionOptions options, CountDownLatch storeMayGo) {
            api = ApiEndpoint.json(settings);
            pipeline = Pipeline.builder("orders")
                    .ticker(ODD_READINGS)
                    .tracing(tracer)
                    .source("api", JsonMessage.class, api)
                    .sink("store", JsonMessage.class, m -> {
                        storeMayGo.await();
                        stored.add(m);
                    })
                    .connect("api.out_requests", "store.in_orders", options)
                    .build()
                    .start();
            await().atMost(Duration.ofSeconds(10)).until(api.ingress()::isAccepting);
        }

        Traced() {
            this(IngressSettings.of("/orders"), ConnectionOptions.defaults(), new CountDownLatch(0));
        }

        IngressResponse post(String... traceparents) {
            Map<String, List<String>> headers = traceparents.length == 0
                    ? Map.of("Content-Type", List.of("application/json"))
                    : Map.of("Content-Type", List.of("application/json"), "TraceParent", Arrays.asList(traceparents));
            return api.ingress()
                    .handle(new IngressRequest("POST", headers, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), 7));
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }

    @Test
    void aRequestWithASampledTraceparentContinuesTheCallersTrace() throws Exception {
        try (Traced traced = new Traced()) {
            IngressResponse response = traced.post(SAMPLED); // the head sampler says no: the header decides
            assertThat(response.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> traced.tracer.spans().size() == 3);

            RecordingTracing.Span enter = traced.tracer.named("enter api");
            RecordingTracing.Span wait = traced.tracer.named("wait store.in_orders");
            RecordingTracing.Span store = traced.tracer.named("store");
            assertThat(traced.tracer.traceparents()).containsExactly(SAMPLED);
            assertThat(enter.traceId()).isEqualTo(CALLER_TRACE);
            assertThat(enter.parentId()).isEqualTo(CALLER_SPAN);
            assertThat(enter.error()).isNull();
            assertThat(enter.end()).isGreaterThanOrEqualTo(enter.start());
            // the message went in with the entry span's context: the stage's spans hang from it
            assertThat(wait.traceId()).isEqualTo(CALLER_TRACE);
            assertThat(wait.parentId()).isEqualTo(enter.spanId());
            assertThat(store.parentId()).isEqualTo(enter.spanId());
            // the entry ends at the hand-off, where the message's wait starts: spans tile its life
            assertThat(wait.start()).isEqualTo(enter.end());
            // the answer names the trace and the entry span, in the traceparent format
            assertThat(response.headers())
                    .containsEntry("traceresponse", "00-" + CALLER_TRACE + "-" + enter.spanId() + "-01");
        }
    }

    @Test
    void withoutTheHeaderTheHeadSamplerDecides() throws Exception {
        try (Traced traced = new Traced()) {
            IngressResponse untraced = traced.post();
            assertThat(untraced.status()).isEqualTo(202);
            assertThat(untraced.headers()).doesNotContainKey("traceresponse");

            traced.headSampled.set(true);
            IngressResponse sampled = traced.post();
            assertThat(sampled.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> traced.stored.size() == 2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> traced.tracer.spans().size() == 3);

            assertThat(traced.tracer.traceparents()).containsExactly(null, null);
            RecordingTracing.Span enter = traced.tracer.named("enter api");
            assertThat(enter.parentId()).isNull(); // a new trace
            assertThat(traced.tracer.named("store").traceId()).isEqualTo(enter.traceId());
            assertThat(sampled.headers())
                    .containsEntry("traceresponse", "00-" + enter.traceId() + "-" + enter.spanId() + "-01");
        }
    }

    @Test
    void aMalformedOrRepeatedTraceparentDoesNotFailTheRequest() throws Exception {
        try (Traced traced = new Traced()) {
            String[] malformed = {
                "garbage",
                "00-" + CALLER_TRACE.toUpperCase(java.util.Locale.ROOT) + "-" + CALLER_SPAN + "-01",
                "",
                "00-"
            };
            for (String header : malformed) {
                IngressResponse response = traced.post(header);
                assertThat(response.status()).as(header).isEqualTo(202);
                assertThat(response.headers()).as(header).doesNotContainKey("traceresponse");
            }
            // two traceparent headers: the request has none (W3C), so the head sampler decides
            IngressResponse twice = traced.post(SAMPLED, SAMPLED);
            assertThat(twice.status()).isEqualTo(202);
            assertThat(twice.headers()).doesNotContainKey("traceresponse");

            traced.headSampled.set(true);
            IngressResponse sampled = traced.post("00-not-a-trace-01");
            assertThat(sampled.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> traced.stored.size() == 6);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> traced.tracer.spans().size() == 3);
            RecordingTracing.Span enter = traced.tracer.named("enter api");
            assertThat(enter.parentId()).isNull();
            assertThat(enter.traceId()).isNotEqualTo(CALLER_TRACE);
            List<@Nullable String> given = new ArrayList<>(Arrays.asList(malformed));
            given.add(null);
            given.add("00-not-a-trace-01");
            assertThat(traced.tracer.traceparents()).containsExactlyElementsOf(given);
        }
    }

    @Test
    void aRequestAnswered503EndsItsEntrySpanWithAnError() throws Exception {
        CountDownLatch storeMayGo = new CountDownLatch(1);
        try (Traced traced = new Traced(
                IngressSettings.of("/orders").timeout(Duration.ofMillis(100)),
                ConnectionOptions.defaults().capacity(1).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT),
                storeMayGo)) {
            try {
                assertThat(traced.post(SAMPLED).status()).isEqualTo(202); // taken by the store, which waits
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> traced.pipeline
                                        .inputPort("store", "in_orders")
                                        .counters()
                                        .depth()
                                == 0);
                assertThat(traced.post(SAMPLED).status()).isEqualTo(202); // fills the buffer
                IngressResponse refused = traced.post(SAMPLED);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.headers()).containsKey("traceresponse").containsKey("Retry-After");

                String refusedSpan = java.util.Objects.requireNonNull(
                                refused.headers().get("traceresponse"))
                        .substring(36, 52); // 00-<trace id>-<span id>-01
                RecordingTracing.Span enter = traced.tracer.spans().stream()
                        .filter(s -> s.spanId().equals(refusedSpan))
                        .findFirst()
                        .orElseThrow();
                assertThat(enter.name()).isEqualTo("enter api");
                assertThat(enter.error())
                        .isInstanceOf(Ingress.RefusedRequest.class)
                        .hasMessage("answered 503, send outcome TIMED_OUT");
                assertThat(enter.end() - enter.start())
                        .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
                assertThat(traced.tracer.spans())
                        .filteredOn(
                                s -> s.name().equals("enter api") && !s.spanId().equals(refusedSpan))
                        .allSatisfy(s -> assertThat(s.error()).isNull());
            } finally {
                storeMayGo.countDown(); // a failed assertion must not leave the store waiting
            }
        }
    }

    @Test
    void theTraceresponseHeaderReachesTheHttpClient() throws Exception {
        RecordingTracing tracer = new RecordingTracing(component -> false, Long.MAX_VALUE);
        Pipeline pipeline = Pipeline.builder("orders")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .tracing(tracer)
                .source("api", JsonMessage.class, ApiEndpoint.json(IngressSettings.of("/orders")))
                .sink("store", JsonMessage.class, m -> {})
                .connect("api.out_requests", "store.in_orders")
                .build();
        PortflowServer server = PortflowServer.builder(pipeline).port(0).build().start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(server.baseUri() + "/orders"))
                            .header("Content-Type", "application/json")
                            .header("traceparent", SAMPLED)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.headers().firstValue("traceresponse"))
                    .hasValueSatisfying(v -> assertThat(v).matches("00-" + CALLER_TRACE + "-[0-9a-f]{16}-01"));
        } finally {
            server.drainAndStop(Duration.ofSeconds(10));
        }
    }
}
