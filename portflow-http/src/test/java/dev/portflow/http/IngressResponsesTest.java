package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every row of the SPEC's ingress table, through a real server and {@code java.net.http.HttpClient}. */
@Timeout(60)
class IngressResponsesTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void queuedRequestIsAcceptedWithAnIdAndReachesTheSink() throws Exception {
        try (HttpFixture http = HttpFixture.simple(HttpFixture.ORDER_SCHEMA)) {
            HttpResponse<String> response = http.postJson("{\"id\":\"o-1\",\"amount\":12.5}");

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body())
                    .matches("\\{\"status\":\"accepted\",\"message\":\"Request queued\",\"id\":\"" + UUID + "\"}");
            String id = response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 1);
            JsonMessage message = http.received.get(0);
            assertThat(message.id()).isEqualTo(id);
            assertThat(message.fields()).containsEntry("id", "o-1").containsEntry("amount", 12.5);
        }
    }

    @Test
    void eventTimeWithoutOffsetIsUtcAndAgesTheMessage() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            String tenSecondsAgo = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                    .minusSeconds(10)
                    .toString();
            HttpResponse<String> response = http.postJson("{\"event_time\":\"" + tenSecondsAgo + "\"}");
            assertThat(response.statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 1);
            Instant eventTime = http.received.get(0).eventTime();
            assertThat(Duration.between(eventTime, Instant.now()).toMillis()).isBetween(9_000L, 15_000L);
            assertThat(http.pipeline.inputPort("sink", "in_requests").metrics().maxMessageAgeMs())
                    .isBetween(9_000.0, 15_000.0);

            HttpResponse<String> bad = http.postJson("{\"event_time\":\"yesterday\"}");
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("\"field\":\"event_time\"");
        }
    }

    @Test
    void aFullBufferIsA503WithRetryAfterEvenForAOneMillisecondTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IngressSettings settings = IngressSettings.of("/orders").timeout(Duration.ofMillis(1));
        try (HttpFixture http = new HttpFixture(
                settings,
                null,
                ConnectionOptions.defaults().capacity(1).overflow(OverflowPolicy.BLOCK),
                m -> release.await())) {
            assertThat(http.postJson("{\"n\":1}").statusCode()).isEqualTo(202); // taken by the blocked sink
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> http.pipeline
                                    .inputPort("sink", "in_requests")
                                    .metrics()
                                    .queueDepth()
                            == 0);
            assertThat(http.postJson("{\"n\":2}").statusCode()).isEqualTo(202); // fills the buffer

            HttpResponse<String> refused = http.postJson("{\"n\":3}");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body())
                    .isEqualTo("{\"error\":\"backpressure\",\"message\":\"System overloaded, please retry\"}");
            int retryAfter =
                    Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1, 60);
            assertThat(http.pipeline.outputPort("api", "out_requests").metrics().droppedByReason())
                    .containsEntry("timeout", 1L);
            release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 2);
        }
    }

    @Test
    void aMessageDroppedByADropNewestEdgeIsA503NotA202() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (HttpFixture http = new HttpFixture(
                IngressSettings.of("/orders"),
                null,
                ConnectionOptions.defaults().capacity(1).overflow(OverflowPolicy.DROP_NEWEST),
                m -> release.await())) {
            assertThat(http.postJson("{\"n\":1}").statusCode()).isEqualTo(202);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> http.pipeline
                                    .inputPort("sink", "in_requests")
                                    .metrics()
                                    .queueDepth()
                            == 0);
            assertThat(http.postJson("{\"n\":2}").statusCode()).isEqualTo(202);

            HttpResponse<String> dropped = http.postJson("{\"n\":3}");

            assertThat(dropped.statusCode()).isEqualTo(503);
            assertThat(dropped.body()).contains("\"error\":\"backpressure\"");
            assertThat(dropped.headers().firstValue("Retry-After")).isPresent();
            assertThat(http.pipeline.outputPort("api", "out_requests").metrics().droppedByReason())
                    .containsEntry("drop_newest", 1L);
            release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 2);
            assertThat(http.received).extracting(m -> m.fields().get("n")).containsExactly(1, 2);
        }
    }

    @Test
    void whileDrainingTheIngressAnswersShuttingDownAndReadinessFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpFixture http = new HttpFixture(
                IngressSettings.of("/orders"),
                null,
                ConnectionOptions.defaults().overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT),
                m -> release.await());
        try {
            assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(http.postJson("{\"n\":1}").statusCode()).isEqualTo(202);
            Thread drainer = Thread.ofVirtual().start(() -> http.pipeline.drain(Duration.ofSeconds(20)));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> http.pipeline.state() == dev.portflow.runtime.PipelineState.DRAINING);

            HttpResponse<String> refused = http.postJson("{\"n\":2}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"shutting_down\"");
            assertThat(Integer.parseInt(
                            refused.headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(1, 60);
            HttpResponse<String> ready = http.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(http.get("/health/live").statusCode()).isEqualTo(200);

            release.countDown();
            drainer.join(20_000);
            assertThat(http.received).hasSize(1);
        } finally {
            release.countDown();
            http.close();
        }
    }

    @Test
    void badInputGetsItsOwnStatusAndNeverA500() throws Exception {
        try (HttpFixture http = HttpFixture.simple(HttpFixture.ORDER_SCHEMA)) {
            HttpResponse<String> notJson = http.post("/orders", "text/plain", "{\"id\":\"x\",\"amount\":1}");
            assertThat(notJson.statusCode()).isEqualTo(415);
            assertThat(notJson.body()).contains("\"error\":\"unsupported_media_type\"");
            assertThat(http.post("/orders", null, "{}").statusCode()).isEqualTo(415);
            assertThat(http.post("/orders", "application/json; charset=iso-8859-1", "{}")
                            .statusCode())
                    .isEqualTo(415);
            // Only separators: split(";") gave no parts, and the ingress answered 503 and logged a bug.
            assertThat(http.post("/orders", ";", "{}").statusCode()).isEqualTo(415);
            assertThat(http.post("/orders", ";;", "{}").statusCode()).isEqualTo(415);

            HttpResponse<String> malformed = http.postJson("{\"id\": \"x\", \"amount\": ");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("\"error\":\"invalid_json\"", "\"message\":\"malformed JSON");
            assertThat(http.postJson("").statusCode()).isEqualTo(400);
            assertThat(http.postJson("{\"a\":1,\"a\":2}").statusCode()).isEqualTo(400);
            assertThat(http.postJson("{} {}").statusCode()).isEqualTo(400);
            assertThat(http.postJson("[".repeat(5000)).statusCode()).isEqualTo(400);

            HttpResponse<String> invalid = http.postJson("{\"id\": 7, \"amount\": -1}");
            assertThat(invalid.statusCode()).isEqualTo(422);
            assertThat(invalid.body())
                    .startsWith("{\"error\":\"validation_failed\",\"details\":[")
                    .contains("{\"field\":\"amount\",\"message\":", "{\"field\":\"id\",\"message\":");
            HttpResponse<String> missing = http.postJson("{\"id\": \"x\"}");
            assertThat(missing.statusCode()).isEqualTo(422);
            assertThat(missing.body()).contains("\"field\":\"amount\"");

            HttpResponse<String> get = http.get("/orders");
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            assertThat(http.received).isEmpty();
        }
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredOrChunked() throws Exception {
        IngressSettings settings = IngressSettings.of("/orders").maxBodyBytes(100);
        try (HttpFixture http = new HttpFixture(settings, null, ConnectionOptions.defaults(), m -> {})) {
            String big = "{\"pad\":\"" + "x".repeat(200) + "\"}";
            HttpResponse<String> declared = http.postJson(big);
            assertThat(declared.statusCode()).isEqualTo(413);
            assertThat(declared.body()).contains("\"error\":\"payload_too_large\"");

            HttpRequest chunked = HttpRequest.newBuilder(http.uri("/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build();
            assertThat(http.client
                            .send(chunked, HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(413);

            String fits = "{\"pad\":\"" + "x".repeat(80) + "\"}";
            assertThat(fits.length()).isLessThanOrEqualTo(100);
            assertThat(http.postJson(fits).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void aConfiguredTokenIsRequired() throws Exception {
        IngressSettings settings = IngressSettings.of("/orders").authToken("s3cret");
        try (HttpFixture http = new HttpFixture(settings, null, ConnectionOptions.defaults(), m -> {})) {
            HttpResponse<String> none = http.postJson("{}");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).isEqualTo("{\"error\":\"unauthorized\"}");
            assertThat(none.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

            HttpRequest wrong = HttpRequest.newBuilder(http.uri("/orders"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer s3cres")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build();
            assertThat(http.client
                            .send(wrong, HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);

            HttpRequest right = HttpRequest.newBuilder(http.uri("/orders"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer s3cret")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build();
            assertThat(http.client
                            .send(right, HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(202);
        }
    }

    @Test
    void metricsAndHealthEndpointsServeTheContract() throws Exception {
        try (HttpFixture http = HttpFixture.simple(null)) {
            assertThat(http.postJson("{\"n\":1}").statusCode()).isEqualTo(202);
            assertThat(http.post("/orders", "text/plain", "x").statusCode()).isEqualTo(415);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.received.size() == 1);

            HttpResponse<String> metrics = http.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/plain");
            assertThat(metrics.body())
                    .contains(
                            "portflow_ingress_requests_total{component=\"api\",pipeline=\"http_test\",status=\"202\"} 1.0")
                    .contains(
                            "portflow_ingress_requests_total{component=\"api\",pipeline=\"http_test\",status=\"415\"} 1.0")
                    .contains(
                            "portflow_ingress_request_duration_seconds_count{component=\"api\",pipeline=\"http_test\"} 2")
                    .contains(
                            "portflow_port_messages_in_total{component=\"sink\",pipeline=\"http_test\",port=\"in_requests\",transport=\"memory\"} 1.0")
                    .contains("portflow_port_message_age_seconds_bucket{");

            HttpResponse<String> json = http.get("/metrics.json");
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.body())
                    .startsWith("{\"pipeline\":\"http_test\",\"state\":\"RUNNING\"")
                    .contains("\"totals\":{\"messages_in_total\":1,\"messages_out_total\":1,")
                    .contains("\"name\":\"sink\",\"kind\":\"sink\"")
                    .contains("\"port_name\":\"in_requests\"", "\"queue_depth\":0", "\"p99_message_age_ms\":")
                    .contains("\"from\":\"api.out_requests\",\"to\":\"sink.in_requests\"");

            assertThat(http.get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(http.get("/health/ready").body()).isEqualTo("{\"status\":\"UP\",\"pipeline\":\"RUNNING\"}");
        }
    }
}
