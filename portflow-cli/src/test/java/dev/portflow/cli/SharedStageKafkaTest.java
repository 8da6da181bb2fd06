package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.kafka.EmbeddedKafkaBroker;
import dev.portflow.kafka.EmbeddedKafkaExtension;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stage shared by several {@code portflow run --only work,store} processes behind a Kafka edge
 * (a real KRaft broker in this JVM; a PostgreSQL store all of them write to): process A runs the
 * HTTP ingress, S1-S3 the stage, each with its own {@code --instance-id}. During an HTTP burst into
 * A, S4 joins, then S2 is killed with SIGKILL and started again with the same instance id. Every id
 * answered 202 ends up in the table exactly once; the restarted S2 owns partitions again within 5 s
 * of being ready (static membership: without it the group waits for the dead member's session
 * timeout, 30 s here); each process's {@code /metrics} shows its own share of the work and the
 * group's lag.
 *
 * <p>PostgreSQL: {@code PORTFLOW_TEST_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/portflow},
 * user and password {@code portflow}; {@code .ci/postgres.sh} starts one). Without one the test is
 * skipped, except under {@code CI=true}, where it fails.
 */
class SharedStageKafkaTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 300;
    private static final int PARTITIONS = 8;
    /** Static membership must hand a restarted process its partitions well inside this. */
    private static final Duration RESUME_LIMIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void processesShareTheStageAndARestartedInstanceGetsItsPartitionsBackAtOnce(@TempDir Path dir) throws Exception {
        TestPostgres.require();
        String table = "shared_" + Long.toHexString(System.nanoTime());
        String topic = EmbeddedKafkaBroker.uniqueTopic("shared");
        KAFKA.broker().createTopic(topic, PARTITIONS);
        Path blueprint = Files.writeString(dir.resolve("shared.yaml"), """
                name: shared
                kafka:
                  bootstrap_servers: "%s"
                  lag_refresh_ms: 100
                  prefetch: 20
                  # a member that stops heartbeating leaves after 30 s (Kafka's default is 45 s): longer
                  # than a restart takes, so only static membership can give the partitions back sooner
                  client: {session.timeout.ms: "30000", heartbeat.interval.ms: "1000"}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /orders, timeout_ms: 5000}}
                  - {name: work, recipe: sleep, config: {duration_ms: 5}}
                  - {name: store, recipe: store, config: {url: "%s", user: "%s", password: "%s", table: %s}}
                connections:
                  - {from: api.out_requests, to: work.in_orders, transport: kafka, topic: %s, buffer_size: 100000}
                  - {from: work.out_orders, to: store.in_orders, buffer_size: 16}
                """.formatted(
                        KAFKA.broker().bootstrapServers(),
                        TestPostgres.URL,
                        TestPostgres.USER,
                        TestPostgres.PASSWORD,
                        table,
                        topic));
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Stage> stages = new LinkedHashMap<>();
        int apiPort = PortflowProcess.freePort();
        PortflowProcess api = PortflowProcess.start(
                dir,
                dir.resolve("api.log"),
                "run",
                blueprint.toString(),
                "--only",
                "api",
                "--port",
                Integer.toString(apiPort));
        try {
            for (String id : List.of("s1", "s2", "s3")) {
                stages.put(id, Stage.start(blueprint, dir, id, id + ".log"));
            }
            api.awaitReady(apiPort);
            for (Stage s : stages.values()) {
                s.process.awaitReady(s.port);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sum(client, stages.values(), Stage::partitions) == PARTITIONS);

            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            // a steady stream for 30 s, so the joined and the restarted process get work
            PostBurst burst = new PostBurst(
                    client, apiPort, "/orders", clients, CLIENTS, REQUESTS_PER_CLIENT, Duration.ofMillis(100));
            Set<String> accepted = burst.accepted;

            // a fourth process joins while the burst runs, and gets a share
            await().atMost(Duration.ofSeconds(60)).until(() -> sum(client, stages.values(), Stage::stored) >= 100);
            Stage joined = Stage.start(blueprint, dir, "s4", "s4.log");
            stages.put("s4", joined);
            joined.process.awaitReady(joined.port);
            await().atMost(Duration.ofSeconds(30)).until(() -> joined.partitions(client) > 0);

            // S2 dies without warning while it has work, and comes back under its instance id
            Stage s2 = java.util.Objects.requireNonNull(stages.get("s2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> s2.stored(client) >= 20);
            int owned = (int) s2.partitions(client);
            assertThat(owned).as("S2's partitions before the kill").isPositive();
            s2.process.process.destroyForcibly(); // SIGKILL
            assertThat(s2.process.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long spawned = System.nanoTime();
            Stage restarted = Stage.start(blueprint, dir, "s2", "s2-restarted.log", s2.port);
            stages.put("s2", restarted);
            restarted.process.awaitReady(restarted.port);
            long ready = System.nanoTime();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> restarted.partitions(client) > 0);
            long resumed = System.nanoTime();
            Duration readyToResumed = Duration.ofNanos(resumed - ready);
            System.out.printf(
                    "shared stage: S2 restarted under its instance id owns %d partitions again %d ms after it was"
                            + " ready (%d ms after it was started; before the kill it owned %d)%n",
                    (int) restarted.partitions(client),
                    readyToResumed.toMillis(),
                    Duration.ofNanos(resumed - spawned).toMillis(),
                    owned);
            assertThat(readyToResumed)
                    .as("a restarted static member resumes its partitions at once")
                    .isLessThan(RESUME_LIMIT);

            burst.await(Duration.ofMinutes(3));
            clients.close();
            assertThat(burst.statuses).as("ingress statuses").containsOnly(202);
            assertThat(accepted).hasSize(CLIENTS * REQUESTS_PER_CLIENT);

            // the group's lag returns to 0, as every stage process reports it
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (Stage s : stages.values()) {
                    if (s.depth(client) != 0) {
                        return false;
                    }
                }
                return true;
            });
            Map<String, Long> shares = new LinkedHashMap<>();
            for (var e : stages.entrySet()) {
                shares.put(e.getKey(), (long) e.getValue().stored(client));
            }
            System.out.printf("shared stage: messages stored per process (this life): %s%n", shares);
            assertThat(shares.values())
                    .as("every process, the joined and the restarted one too, did a share of the work: %s", shares)
                    .allMatch(n -> n > 0);

            api.signal();
            for (Stage s : stages.values()) {
                s.process.signal();
            }
            assertThat(api.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (Stage s : stages.values()) {
                assertThat(s.process.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(s.process.process.exitValue()).as(s.process.output()).isZero();
            }

            List<String> rows = TestPostgres.ids(table);
            Set<String> missing = new HashSet<>(accepted);
            rows.forEach(missing::remove);
            assertThat(missing).as("ids answered 202 and not stored").isEmpty();
            assertThat(rows).as("rows: one per accepted id").hasSize(accepted.size());
            assertThat(new HashSet<>(rows)).isEqualTo(accepted);
        } finally {
            api.close();
            for (Stage s : stages.values()) {
                s.process.close();
            }
            client.close();
            TestPostgres.drop(table);
        }
    }

    /** A process running the shared stage, {@code --only work,store --instance-id ID}. */
    private record Stage(PortflowProcess process, int port) {

        static Stage start(Path blueprint, Path dir, String instanceId, String log) throws Exception {
            return start(blueprint, dir, instanceId, log, PortflowProcess.freePort());
        }

        static Stage start(Path blueprint, Path dir, String instanceId, String log, int port) throws Exception {
            return new Stage(
                    PortflowProcess.start(
                            dir,
                            dir.resolve(log),
                            "run",
                            blueprint.toString(),
                            "--only",
                            "work,store",
                            "--instance-id",
                            instanceId,
                            "--port",
                            Integer.toString(port)),
                    port);
        }

        double partitions(HttpClient client) throws Exception {
            return PortflowProcess.metric(client, port, "portflow_kafka_partitions_assigned");
        }

        double stored(HttpClient client) throws Exception {
            return PortflowProcess.metric(
                    client,
                    port,
                    "portflow_port_messages_in_total{component=\"store\",pipeline=\"shared\",port=\"in_orders\","
                            + "transport=\"memory\"}");
        }

        double depth(HttpClient client) throws Exception {
            return PortflowProcess.metric(
                    client,
                    port,
                    "portflow_port_queue_depth{component=\"work\",pipeline=\"shared\",port=\"in_orders\","
                            + "transport=\"kafka\"}");
        }
    }

    private interface Reading {
        double read(Stage stage, HttpClient client) throws Exception;
    }

    private static double sum(HttpClient client, Iterable<Stage> stages, Reading reading) throws Exception {
        double total = 0;
        for (Stage s : stages) {
            total += reading.read(s, client);
        }
        return total;
    }
}
