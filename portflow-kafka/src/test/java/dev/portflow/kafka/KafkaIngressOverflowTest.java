package dev.portflow.kafka;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP ingress whose edge is a Kafka topic with capacity 100 and no running consumer: 202 for
 * the first 100 requests, then 503 with Retry-After, because the consumer group's lag is at the
 * edge's capacity; once a consumer catches up, 202 again. {@code /metrics} shows the edge with the
 * names of an in-process one and {@code transport="kafka"}.
 */
class KafkaIngressOverflowTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void theIngressAnswers503OnceTheLagReachesTheEdgesCapacity() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "orders",
                "api",
                "out_requests",
                "store",
                "in_requests",
                EmbeddedKafkaBroker.uniqueTopic("ingress"),
                100);
        KAFKA.broker().createTopic(edge.topic(), 2);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KafkaTransport kafka = KafkaTransport.create(
                        KafkaSettings.of(KAFKA.broker().bootstrapServers()).withLagRefresh(Duration.ofMillis(50)));
                HttpClient client = HttpClient.newHttpClient()) {
            Pipeline sender = Pipeline.builder("orders")
                    .meterRegistry(registry)
                    .source(
                            "api",
                            JsonMessage.class,
                            ApiEndpoint.json(new IngressSettings("/orders", Duration.ofMillis(200), 65536, null)))
                    .connect(
                            "api.out_requests",
                            kafka.sendingLink(edge, MessageCodec.jsonMessages()),
                            ConnectionOptions.defaults().capacity(100).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT))
                    .build();
            PortflowServer server =
                    PortflowServer.builder(sender).port(0).build().start();
            try {
                URI orders = URI.create(server.baseUri() + "/orders");
                for (int i = 0; i < 100; i++) {
                    assertThat(post(client, orders, i).statusCode())
                            .as("request " + i)
                            .isEqualTo(202);
                }
                HttpResponse<String> refused = post(client, orders, 100);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("\"error\":\"backpressure\"");
                assertThat(Integer.parseInt(
                                refused.headers().firstValue("Retry-After").orElseThrow()))
                        .isBetween(1, 60);
                assertThat(sender.outputPort("api", "out_requests").counters().depth())
                        .isEqualTo(100);

                String metrics = client.send(
                                HttpRequest.newBuilder(URI.create(server.baseUri() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                        .contains("portflow_port_queue_depth{component=\"api\",pipeline=\"orders\","
                                + "port=\"out_requests\",transport=\"kafka\"} 100.0");
                assertThat(metrics)
                        .contains("portflow_port_messages_out_total{component=\"api\",pipeline=\"orders\","
                                + "port=\"out_requests\",transport=\"kafka\"} 100.0");
                assertThat(metrics)
                        .contains("portflow_port_messages_dropped_total{component=\"api\",pipeline=\"orders\","
                                + "port=\"out_requests\",reason=\"timeout\",transport=\"kafka\"} 1.0");

                long lastAccepted = System.nanoTime();
                // a consumer catches up: the lag falls and the ingress takes requests again
                List<String> stored = new CopyOnWriteArrayList<>();
                KafkaReceiver<JsonMessage> in = kafka.receiver(edge, MessageCodec.jsonMessages(), 50);
                try (Pipeline receiver = Pipeline.builder("orders")
                        .source("kafka_in", JsonMessage.class, in)
                        .sink("store", JsonMessage.class, m -> stored.add(m.id()))
                        .connect(
                                "kafka_in.out_records",
                                "store.in_requests",
                                ConnectionOptions.defaults().capacity(50))
                        .bindRemote("store.in_requests", in.backlog())
                        .build()) {
                    in.watch(receiver);
                    long waited = System.nanoTime() - lastAccepted; // every record sat in the topic at least this long
                    receiver.start();
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> stored.size() == 100
                                    && sender.outputPort("api", "out_requests")
                                                    .counters()
                                                    .depth()
                                            == 0);
                    // queue wait on the receiving port counts from when each record was produced
                    assertThat(
                                    receiver // the maximum is not API: read the port's internal measurements
                                            .inputPort("store", "in_requests")
                                            .measurements()
                                            .queueWait
                                            .maxNanos())
                            .isGreaterThanOrEqualTo(waited);
                    assertThat(post(client, orders, 101).statusCode()).isEqualTo(202);
                    await().atMost(Duration.ofSeconds(30)).until(() -> stored.size() == 101);
                    receiver.drain(Duration.ofSeconds(10));
                }
            } finally {
                server.drainAndStop(Duration.ofSeconds(10));
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, int n) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
