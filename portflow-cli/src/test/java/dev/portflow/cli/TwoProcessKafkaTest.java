package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One blueprint as two {@code portflow run} processes joined by a Kafka connection (a real KRaft
 * broker in this JVM): A runs the HTTP ingress ({@code --only api}), B the rest
 * ({@code enrich -> slow -> store}, an H2 store keyed on the message id). During an HTTP burst
 * into A, B is killed with SIGKILL and started again. In the end every id answered 202 is in the
 * store exactly once, and the consumer lag, the Kafka edge's depth on both sides, is back to 0.
 */
@Timeout(180)
class TwoProcessKafkaTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 100;
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyAcceptedIdIsStoredExactlyOnceAcrossASigkilledReceiver(@TempDir Path dir) throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("orders");
        kafka.createTopic(topic, 3);
        Path database = dir.resolve("orders-db");
        Path blueprint = Files.writeString(dir.resolve("orders.yaml"), """
                name: orders
                kafka:
                  bootstrap_servers: "%s"
                  lag_refresh_ms: 50
                  prefetch: 50
                  # the killed consumer's partitions move to its successor after this (the default is 45 s)
                  client: {session.timeout.ms: "6000", heartbeat.interval.ms: "1000"}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /orders, timeout_ms: 5000}}
                  # One worker per stage for now: with workers: 4 on all three stages one clean-clone run
                  # stored 799 of 800 accepted ids (8 other runs stored all 800); until that loss is
                  # explained, workers behind a Kafka edge are covered by KafkaEdgeTest's deterministic
                  # commit test, and issue 12 stays open (see its note).
                  - {name: enrich, recipe: map, config: {fields: {checked: "true"}}}
                  - {name: slow, recipe: sleep, config: {duration_ms: 2}}
                  - {name: store, recipe: store, config: {url: "jdbc:h2:file:%s", table: orders}}
                connections:
                  - {from: api.out_requests, to: enrich.in_orders, transport: kafka, topic: %s, buffer_size: 100000}
                  - {from: enrich.out_orders, to: slow.in_orders, buffer_size: 64}
                  - {from: slow.out_orders, to: store.in_orders, buffer_size: 64}
                """.formatted(kafka.bootstrapServers(), database, topic));
        int portA = PortflowProcess.freePort();
        int portB = PortflowProcess.freePort();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        PortflowProcess a = start(blueprint, dir, "api", portA, "a.log");
        PortflowProcess b = start(blueprint, dir, "enrich,slow,store", portB, "b1.log");
        try {
            awaitReady(a, portA);
            awaitReady(b, portB);

            // the burst, in the background
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Set<Integer> statuses = ConcurrentHashMap.newKeySet();
            URI orders = URI.create("http://127.0.0.1:" + portA + "/orders");
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> burst = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNo = c;
                burst.add(clients.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(orders)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"client\":" + clientNo + ",\"request\":" + r + "}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        statuses.add(response.statusCode());
                        if (response.statusCode() == 202) {
                            Matcher m = ID.matcher(response.body());
                            assertThat(m.find()).isTrue();
                            accepted.add(m.group(1));
                        }
                    }
                    return null;
                }));
            }

            // B is killed without warning once it has stored some, while messages are in flight in it
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(client, portB) >= 100);
            assertThat(kafkaDepth(client, portB, "enrich", "in_orders")).as("B has a backlog when killed").isPositive();
            b.process.destroyForcibly(); // SIGKILL
            assertThat(b.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process.exitValue()).isEqualTo(137);
            b = start(blueprint, dir, "enrich,slow,store", portB, "b2.log");
            awaitReady(b, portB);

            for (Future<?> f : burst) {
                f.get(120, TimeUnit.SECONDS);
            }
            clients.close();
            assertThat(statuses).containsOnly(202);
            assertThat(accepted).hasSize(CLIENTS * REQUESTS_PER_CLIENT);

            // the lag returns to 0, seen from both processes
            await().atMost(Duration.ofSeconds(90)).until(() -> kafkaDepth(client, portB, "enrich", "in_orders") == 0
                    && kafkaDepth(client, portA, "api", "out_requests") == 0);

            b.process.destroy(); // SIGTERM: drain and exit 0
            a.process.destroy();
            assertThat(b.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(a.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(b.process.exitValue()).as(Files.readString(dir.resolve("b2.log"))).isZero();
            assertThat(a.process.exitValue()).as(Files.readString(dir.resolve("a.log"))).isZero();

            // exactly once in the store: every accepted id, no other, no row twice (the id is the key)
            List<String> rows = new ArrayList<>();
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + database);
                 Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM orders")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            assertThat(rows).hasSize(accepted.size());
            assertThat(new HashSet<>(rows)).isEqualTo(accepted);
        } finally {
            a.process.destroyForcibly();
            b.process.destroyForcibly();
            client.close();
        }
    }

    private static PortflowProcess start(Path blueprint, Path dir, String only, int port, String log) throws IOException {
        return PortflowProcess.start(dir, dir.resolve(log), "run", blueprint.toString(), "--only", only,
                "--port", Integer.toString(port));
    }

    private static void awaitReady(PortflowProcess process, int port) throws Exception {
        process.awaitReady(port);
    }

    /** Messages the store of the process on {@code port} has taken, from its /metrics. */
    private static double stored(HttpClient client, int port) throws Exception {
        return metric(client, port, "portflow_port_messages_in_total{component=\"store\",pipeline=\"orders\","
                + "port=\"in_orders\",transport=\"memory\"}");
    }

    /** The Kafka edge's depth (consumer lag) as the process on {@code port} reports it. */
    private static double kafkaDepth(HttpClient client, int port, String component, String portName) throws Exception {
        return metric(client, port, "portflow_port_queue_depth{component=\"" + component + "\",pipeline=\"orders\","
                + "port=\"" + portName + "\",transport=\"kafka\"}");
    }

    private static double metric(HttpClient client, int port, String series) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in /metrics of port " + port);
    }
}
