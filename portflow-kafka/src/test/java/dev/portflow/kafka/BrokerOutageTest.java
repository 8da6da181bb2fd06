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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker stops for {@code portflow.outage.seconds} (10 s in {@code verify}, 30 s in {@code bench/run-outages}) in the middle of a steady HTTP stream into an
 * ingress whose edge is a Kafka topic, then comes back on the same port and log directory. While it
 * is down the ingress answers only 503 with {@code Retry-After}, each within its {@code timeout_ms}
 * (plus scheduling slack), and health names the edge; once it is back, 202s resume by themselves
 * and every id answered 202 (before, during or after) reaches the receiving pipeline.
 */
class BrokerOutageTest {

    /** {@code ./mvnw verify} runs a 10 s outage; {@code bench/run-outages} the 30 s one ({@code -Dportflow.outage.seconds=30}). */
    private static final long OUTAGE_SECONDS = Long.getLong("portflow.outage.seconds", 10);

    private static final Duration INGRESS_TIMEOUT = Duration.ofSeconds(1);
    private static final int CLIENTS = 4;
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void whileTheBrokerIsDownTheIngressAnswers503AndNothingAcceptedIsLost() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "outage",
                "api",
                "out_requests",
                "store",
                "in_requests",
                EmbeddedKafkaBroker.uniqueTopic("outage"),
                100_000);
        KAFKA.broker().createTopic(edge.topic(), 2);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Set<String> stored = ConcurrentHashMap.newKeySet();
        // requests that hang past the client timeout are counted, not waited for forever
        try (KafkaTransport kafka = KafkaTransport.create(
                        KafkaSettings.of(KAFKA.broker().bootstrapServers()).withLagRefresh(Duration.ofMillis(100)));
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()) {
            Pipeline sender = Pipeline.builder("outage")
                    .meterRegistry(registry)
                    .source(
                            "api",
                            JsonMessage.class,
                            ApiEndpoint.json(new IngressSettings("/orders", INGRESS_TIMEOUT, 65536, null)))
                    .connect(
                            "api.out_requests",
                            kafka.sendingLink(edge, MessageCodec.jsonMessages()),
                            ConnectionOptions.defaults()
                                    .capacity(100_000)
                                    .overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                                    .timeout(INGRESS_TIMEOUT))
                    .build();
            KafkaReceiver<JsonMessage> in = kafka.receiver(edge, MessageCodec.jsonMessages(), 50);
            Pipeline receiver = Pipeline.builder("outage_in")
                    .source("kafka_in", JsonMessage.class, in)
                    .sink("store", JsonMessage.class, m -> stored.add(m.id()))
                    .connect(
                            "kafka_in.out_records",
                            "store.in_requests",
                            ConnectionOptions.defaults().capacity(50))
                    .bindRemote("store.in_requests", in.backlog())
                    .build();
            in.watch(receiver);
            receiver.start();
            PortflowServer server =
                    PortflowServer.builder(sender).port(0).build().start();
            URI orders = URI.create(server.baseUri() + "/orders");
            URI health = URI.create(server.baseUri() + "/health/live");

            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
            AtomicLong slowest = new AtomicLong();
            AtomicLong withoutRetryAfter = new AtomicLong();
            AtomicBoolean down = new AtomicBoolean();
            AtomicLong acceptedWhileDown = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNo = c;
                clients.add(pool.submit(() -> {
                    for (int r = 0; !stop.get(); r++) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = client.send(
                                HttpRequest.newBuilder(orders)
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"client\":" + clientNo + ",\"request\":" + r + "}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong())
                                .incrementAndGet();
                        if (response.statusCode() == 202) {
                            Matcher m = ID.matcher(response.body());
                            assertThat(m.find()).isTrue();
                            accepted.add(m.group(1));
                            if (down.get()) {
                                acceptedWhileDown.incrementAndGet();
                            }
                        } else if (response.headers().firstValue("Retry-After").isEmpty()) {
                            withoutRetryAfter.incrementAndGet();
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> stored.size() >= 100);

                KAFKA.broker().stop();
                down.set(true);
                long stoppedAt = System.nanoTime();
                long acceptedBefore = accepted.size();
                // health names the Kafka edge while the broker is away
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> body(client, health).contains("DEGRADED"));
                String degraded = body(client, health);
                assertThat(degraded).contains("kafka:" + edge.topic());
                long left = TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS) - (System.nanoTime() - stoppedAt);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                long acceptedDuringOutage = accepted.size() - acceptedBefore;
                down.set(false);
                KAFKA.broker().restart();
                long restartedAt = System.nanoTime();

                // 202s resume by themselves
                long before = accepted.size();
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() > before + 50);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    System.out.println("DEBUG health " + body(client, health) + " statuses " + statuses + " accepted "
                            + accepted.size() + " stored " + stored.size());
                    System.out.println("DEBUG metrics "
                            + body(client, URI.create(server.baseUri() + "/metrics"))
                                    .lines()
                                    .filter(l -> l.contains("outage") && !l.contains("bucket"))
                                    .toList());
                    throw e;
                }
                long resumedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> body(client, health).contains("\"UP\""));
                stop.set(true);
                for (Future<?> f : clients) {
                    f.get(60, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> stored.containsAll(accepted));
                System.out.printf(
                        "broker outage of %d s: statuses %s; %d ids accepted (%d of them while the broker was down),"
                                + " all stored; slowest answer %d ms; health during the outage: %s; 202s again %d ms"
                                + " after the restart%n",
                        OUTAGE_SECONDS,
                        statuses,
                        accepted.size(),
                        acceptedDuringOutage,
                        TimeUnit.NANOSECONDS.toMillis(slowest.get()),
                        degraded,
                        resumedMs);
                assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(202, 503);
                assertThat(statuses.getOrDefault(503, new AtomicLong()).get())
                        .as("503s during the outage")
                        .isPositive();
                assertThat(withoutRetryAfter.get())
                        .as("503s without Retry-After")
                        .isZero();
                assertThat(Duration.ofNanos(slowest.get()))
                        .as("every answer within timeout_ms and slack, broker or not")
                        .isLessThan(INGRESS_TIMEOUT.plusSeconds(4));
            } finally {
                stop.set(true);
                pool.shutdownNow();
                server.drainAndStop(Duration.ofSeconds(10));
                receiver.drain(Duration.ofSeconds(10));
            }
        }
    }

    private static String body(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
