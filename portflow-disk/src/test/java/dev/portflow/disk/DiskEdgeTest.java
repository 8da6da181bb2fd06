package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.portflow.component.Source;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk edges in real pipelines: on real files, behind the HTTP ingress, across a restart, and on a full disk. */
class DiskEdgeTest {

    @TempDir
    Path dataDir;

    private static final DiskEdge EDGE =
            new DiskEdge("orders", "api", "out_requests", "store", "in_orders", 100, 1 << 20);

    @Test
    void messagesCrossTheEdgeWithTheirIdsAndTimesAndThePortsSayTransportDisk() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<JsonMessage> stored = new CopyOnWriteArrayList<>();
        Instant eventTime = Instant.parse("2026-01-02T03:04:05.123456789Z");
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir))) {
            Source<JsonMessage> source = context -> {
                for (int i = 0; i < 500; i++) {
                    context.emit(new JsonMessage("id-" + i, Instant.now(), i == 0 ? eventTime : null, Map.of("n", i)));
                }
            };
            DiskReceiver<JsonMessage> receiver = disk.receiver(EDGE, DiskCodec.jsonMessages());
            try (Pipeline pipeline = Pipeline.builder("orders")
                    .meterRegistry(registry)
                    .source("api", JsonMessage.class, source)
                    .connect(
                            "api.out_requests",
                            disk.sendingLink(EDGE, DiskCodec.jsonMessages()),
                            ConnectionOptions.defaults().capacity(100).overflow(OverflowPolicy.BLOCK))
                    .source("disk_in", JsonMessage.class, receiver)
                    .sink("store", JsonMessage.class, stored::add)
                    .connect(
                            "disk_in.out_records",
                            "store.in_orders",
                            ConnectionOptions.defaults().capacity(16))
                    .bindRemote("store.in_orders", receiver.backlog())
                    .build()) {
                receiver.watch(pipeline);
                pipeline.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> stored.size() == 500);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> pipeline.inputPort("store", "in_orders")
                                        .counters()
                                        .depth()
                                == 0);
                String metrics = registry.scrape();
                assertThat(metrics)
                        .contains("portflow_port_messages_out_total{component=\"api\",pipeline=\"orders\","
                                + "port=\"out_requests\",transport=\"disk\"} 500.0")
                        .contains("portflow_port_queue_depth{component=\"store\",pipeline=\"orders\","
                                + "port=\"in_orders\",transport=\"disk\"} 0.0")
                        .contains("portflow_port_buffer_capacity{component=\"store\",pipeline=\"orders\","
                                + "port=\"in_orders\",transport=\"disk\"} 100.0")
                        .contains("portflow_disk_fsync_duration_seconds_count{component=\"store\",pipeline=\"orders\","
                                + "port=\"in_orders\"}")
                        .contains(
                                "portflow_disk_available{component=\"store\",pipeline=\"orders\",port=\"in_orders\"} 1.0");
                pipeline.drain(Duration.ofSeconds(10));
            }
        }
        assertThat(stored).extracting(JsonMessage::id).doesNotHaveDuplicates().hasSize(500);
        JsonMessage first =
                stored.stream().filter(m -> m.id().equals("id-0")).findFirst().orElseThrow();
        assertThat(first.declaredEventTime()).isEqualTo(eventTime);
        assertThat(first.fields()).containsEntry("n", 0);
        assertThat(Files.exists(dataDir.resolve(EDGE.directoryName()).resolve(PositionFile.NAME)))
                .isTrue();
    }

    @Test
    void whatWasNotFinishedBeforeAnAbruptStopIsDeliveredAfterTheRestart() throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        CountDownLatch stuck = new CountDownLatch(1);
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir))) {
            DiskReceiver<JsonMessage> receiver = disk.receiver(EDGE, DiskCodec.jsonMessages(), 4);
            Source<JsonMessage> source = context -> {
                for (int i = 0; i < 50; i++) {
                    JsonMessage m = new JsonMessage("id-" + i, Instant.now(), null, Map.of("n", i));
                    if (context.emit(m).isAccepted()) {
                        accepted.add(m.id());
                    }
                }
            };
            Pipeline pipeline = Pipeline.builder("orders")
                    .source("api", JsonMessage.class, source)
                    .connect(
                            "api.out_requests",
                            disk.sendingLink(EDGE, DiskCodec.jsonMessages()),
                            ConnectionOptions.defaults().capacity(100).overflow(OverflowPolicy.BLOCK))
                    .source("disk_in", JsonMessage.class, receiver)
                    .sink("store", JsonMessage.class, m -> {
                        if (handled.size() == 10) {
                            stuck.await(); // the store hangs: the rest stays on disk, unfinished
                        }
                        handled.add(m.id());
                    })
                    .connect(
                            "disk_in.out_records",
                            "store.in_orders",
                            ConnectionOptions.defaults().capacity(4))
                    .bindRemote("store.in_orders", receiver.backlog())
                    .build();
            receiver.watch(pipeline);
            pipeline.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 50 && handled.size() == 10);
            TimeUnit.MILLISECONDS.sleep(300); // a commit interval or more: the 10 finished are committed
            pipeline.forceStop(); // as abrupt as it gets in one JVM; the kill -9 test does it for real
            stuck.countDown();
        }
        Set<String> afterRestart = ConcurrentHashMap.newKeySet();
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir))) {
            DiskReceiver<JsonMessage> receiver = disk.receiver(EDGE, DiskCodec.jsonMessages());
            try (Pipeline pipeline = Pipeline.builder("orders")
                    .source("disk_in", JsonMessage.class, receiver)
                    .sink("store", JsonMessage.class, m -> afterRestart.add(m.id()))
                    .connect("disk_in.out_records", "store.in_orders")
                    .bindRemote("store.in_orders", receiver.backlog())
                    .build()) {
                receiver.watch(pipeline);
                pipeline.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> afterRestart.size() >= 40);
                pipeline.drain(Duration.ofSeconds(10));
            }
        }
        Set<String> union = ConcurrentHashMap.newKeySet();
        union.addAll(handled);
        union.addAll(afterRestart);
        assertThat(union).containsAll(accepted);
        // only what was not finished (and committed) comes again: at most the stuck one and the prefetch
        assertThat(afterRestart).hasSizeLessThanOrEqualTo(40 + 1 + 4 + 4);
        assertThat(afterRestart).doesNotContain("id-0");
    }

    @Test
    void theIngressAnswers503WithTheReasonWhileTheDiskIsFullAndResumesByItself() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        storage.limitBytes(4096);
        DiskSettings settings = DiskSettings.of(dataDir).withRetry(Duration.ofMillis(20));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (DiskTransport disk = DiskTransport.open(settings, dir -> storage);
                HttpClient client = HttpClient.newHttpClient()) {
            DiskEdge edge = new DiskEdge("orders", "api", "out_requests", "store", "in_orders", 10_000, 1 << 20);
            Pipeline sender = Pipeline.builder("orders")
                    .meterRegistry(registry)
                    .source(
                            "api",
                            JsonMessage.class,
                            ApiEndpoint.json(new IngressSettings("/orders", Duration.ofMillis(200), 65536, null)))
                    .connect(
                            "api.out_requests",
                            disk.sendingLink(edge, DiskCodec.jsonMessages()),
                            ConnectionOptions.defaults().capacity(10_000).overflow(OverflowPolicy.BLOCK_WITH_TIMEOUT))
                    .build();
            PortflowServer server =
                    PortflowServer.builder(sender).port(0).build().start();
            try {
                URI orders = URI.create(server.baseUri() + "/orders");
                int accepted = 0;
                HttpResponse<String> response = post(client, orders, accepted);
                while (response.statusCode() == 202) {
                    accepted++;
                    response = post(client, orders, accepted);
                }
                assertThat(accepted).isPositive();
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body())
                        .contains("\"error\":\"unavailable\"")
                        .contains(edge.target() + " refuses messages: disk full (No space left on device)");
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(sender.health().isDegraded()).isTrue();
                assertThat(sender.health().problems().getFirst().reason())
                        .contains("its output out_requests cannot send: " + edge.target()
                                + " refuses messages: disk full");

                storage.limitBytes(Long.MAX_VALUE); // space returns
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> post(client, orders, 9999).statusCode() == 202);
                assertThat(sender.health().isDegraded()).isFalse();
            } finally {
                server.drainAndStop(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void aDataDirectoryInUseIsRefusedWithAClearMessage() throws Exception {
        try (DiskTransport first = DiskTransport.open(DiskSettings.of(dataDir))) {
            assertThat(first.settings().dataDirectory()).isEqualTo(dataDir);
            assertThatThrownBy(() -> DiskTransport.open(DiskSettings.of(dataDir)))
                    .isInstanceOf(DiskTransportException.class)
                    .hasMessageContaining("data directory " + dataDir.toAbsolutePath() + " is in use by another")
                    .hasMessageContaining("--data-dir");
        }
        DiskTransport.open(DiskSettings.of(dataDir)).close(); // released on close
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
