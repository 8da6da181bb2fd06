package dev.portflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.PipelinedTestLink;
import dev.portflow.runtime.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An ingress whose edge is a pipelined link (the link answers a send before the remote buffer
 * acknowledges it) still answers 202 only once the message is acknowledged, within its
 * {@code timeout_ms}; without an acknowledgement in time, 503.
 */
@Timeout(60)
class PipelinedLinkIngressTest {

    @Test
    void theIngressAnswers202OnlyOnceThePipelinedLinkAcknowledgedTheMessageAnd503WithoutIt() throws Exception {
        PipelinedTestLink<JsonMessage> link = new PipelinedTestLink<>();
        Pipeline pipeline = Pipeline.builder("orders")
                .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .source(
                        "api",
                        JsonMessage.class,
                        ApiEndpoint.json(new IngressSettings("/orders", Duration.ofSeconds(1), 65536, null)))
                .connect(
                        "api.out_requests",
                        link,
                        ConnectionOptions.defaults().capacity(1_000).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT))
                .build();
        PortflowServer server = PortflowServer.builder(pipeline).port(0).build().start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI orders = URI.create(server.baseUri() + "/orders");
            CompletableFuture<HttpResponse<String>> first =
                    client.sendAsync(post(orders), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (link.handedOver.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(link.handedOver).as("the message was handed over").containsExactly(0L);
            Thread.sleep(200);
            assertThat(first).as("no answer before the acknowledgement").isNotDone();
            link.acks.acknowledge(0);
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);

            // never acknowledged: the endpoint's timeout_ms (1 s) passes, and the answer is a 503
            HttpResponse<String> second = client.send(post(orders), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(second.body()).contains("\"error\":\"backpressure\"");
            assertThat(second.headers().firstValue("Retry-After")).isPresent();
        } finally {
            server.drainAndStop(Duration.ofSeconds(10));
        }
    }

    private static HttpRequest post(URI uri) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                .build();
    }
}
