package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.tracing.OtlpTestReceiver.ReceivedMetric;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OtlpTestReceiver}'s metrics side, over real HTTP: an {@code ExportMetricsServiceRequest} posted to {@code
 * /v1/metrics} (plain or gzip) comes back as one {@link ReceivedMetric} per data point with its kind, unit,
 * attributes, resource and request number; what is not OTLP protobuf is refused as on {@code /v1/traces}.
 */
@Timeout(30)
class OtlpTestReceiverTest {

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static ExportMetricsServiceRequest request(double sent) {
        KeyValue port = attribute("port", "out_requests");
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "orders")))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder()
                                        .setName("portflow.port.messages.out")
                                        .setSum(Sum.newBuilder()
                                                .setIsMonotonic(true)
                                                .addDataPoints(NumberDataPoint.newBuilder()
                                                        .addAttributes(port)
                                                        .setAsDouble(sent)
                                                        .setTimeUnixNano(42))))
                                .addMetrics(Metric.newBuilder()
                                        .setName("portflow.port.queue.depth")
                                        .setGauge(Gauge.newBuilder()
                                                .addDataPoints(NumberDataPoint.newBuilder()
                                                        .addAttributes(port)
                                                        .setAsInt(3))))
                                .addMetrics(Metric.newBuilder()
                                        .setName("portflow.port.queue.wait")
                                        .setUnit("milliseconds")
                                        .setHistogram(Histogram.newBuilder()
                                                .addDataPoints(HistogramDataPoint.newBuilder()
                                                        .addAttributes(port)
                                                        .setCount(4)
                                                        .setSum(2.5))))))
                .build();
    }

    private static HttpResponse<Void> post(HttpClient client, String url, byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void everyDataPointOfAMetricsRequestIsKept() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()) {
            assertThat(receiver.metricsEndpoint()).isEqualTo(receiver.endpoint() + "/v1/metrics");
            assertThat(post(client, receiver.metricsEndpoint(), request(5).toByteArray(), false)
                            .statusCode())
                    .isEqualTo(200);
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(request(9).toByteArray());
            }
            assertThat(post(client, receiver.metricsEndpoint(), zipped.toByteArray(), true)
                            .statusCode())
                    .isEqualTo(200);

            List<ReceivedMetric> metrics =
                    receiver.awaitMetrics(received -> received.size() == 6, Duration.ofSeconds(5));
            assertThat(receiver.metricRequests()).isEqualTo(2);
            assertThat(receiver.requests()).as("trace requests").isZero();
            assertThat(receiver.spans()).isEmpty();
            Map<String, String> port = Map.of("port", "out_requests");
            ReceivedMetric sent =
                    Objects.requireNonNull(OtlpTestReceiver.latest(metrics, "portflow.port.messages.out", port));
            assertThat(sent)
                    .isEqualTo(new ReceivedMetric(
                            "portflow.port.messages.out",
                            "SUM",
                            "",
                            true,
                            9,
                            0,
                            Map.of("port", "out_requests"),
                            42,
                            Map.of("service.name", "orders"),
                            2));
            ReceivedMetric depth =
                    Objects.requireNonNull(OtlpTestReceiver.latest(metrics, "portflow.port.queue.depth", port));
            assertThat(depth.kind()).isEqualTo("GAUGE");
            assertThat(depth.value()).as("an integer point").isEqualTo(3);
            ReceivedMetric wait =
                    Objects.requireNonNull(OtlpTestReceiver.latest(metrics, "portflow.port.queue.wait", port));
            assertThat(wait.kind()).isEqualTo("HISTOGRAM");
            assertThat(wait.count()).isEqualTo(4);
            assertThat(wait.value()).isEqualTo(2.5);
            assertThat(wait.unit()).isEqualTo("milliseconds");
            assertThat(OtlpTestReceiver.latest(metrics, "portflow.port.messages.out", Map.of("port", "in_x")))
                    .isNull();
        }
    }

    @Test
    void whatIsNotOtlpProtobufIsRefused() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> json = client.send(
                    HttpRequest.newBuilder(URI.create(receiver.metricsEndpoint()))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(json.statusCode()).isEqualTo(415);
            assertThat(post(client, receiver.endpoint() + "/v1/logs", request(1).toByteArray(), false)
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<Void> get = client.send(
                    HttpRequest.newBuilder(URI.create(receiver.metricsEndpoint()))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(receiver.metrics()).isEmpty();
            assertThat(receiver.metricRequests()).isZero();
        }
    }
}
