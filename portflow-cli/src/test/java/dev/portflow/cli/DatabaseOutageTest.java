package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops for {@code portflow.outage.seconds} (10 s in {@code verify}, 30 s in {@code bench/run-outages}) under a steady HTTP stream into {@code api_endpoint
 * -> store} ({@code portflow run} as a separate process), then starts again. The store retries with
 * backoff ({@code portflow_store_retries_total} counts it), its buffer fills, the ingress answers 503
 * with {@code Retry-After} (never another error), and once the database is back every id answered
 * 202 is in the table exactly once.
 *
 * <p>Stops and starts the cluster serving {@code PORTFLOW_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/portflow}) with Debian's {@code pg_ctlcluster}, as
 * {@code .ci/postgres.sh} set it up. Without them the test is skipped, except under {@code CI=true}.
 */
class DatabaseOutageTest {

    /** {@code ./mvnw verify} runs a 10 s outage; {@code bench/run-outages} the 30 s one ({@code -Dportflow.outage.seconds=30}). */
    private static final long OUTAGE_SECONDS = Long.getLong("portflow.outage.seconds", 10);

    private static final int CLIENTS = 4;
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern PORT = Pattern.compile("jdbc:postgresql://[^:/]+:(\\d+)/");

    @Test
    void theStoreWaitsOutADatabaseOutageAndLosesNothing(@TempDir Path dir) throws Exception {
        String[] cluster = cluster();
        String table = "outage_" + Long.toHexString(System.nanoTime());
        Path blueprint = Files.writeString(dir.resolve("outage.yaml"), """
                name: outage
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /orders, timeout_ms: 1000}}
                  - {name: store, recipe: store, config: {url: "%s", user: "%s", password: "%s", table: %s}}
                connections:
                  - {from: api.out_requests, to: store.in_orders, buffer_size: 50}
                """.formatted(
                        TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, table));
        int port = PortflowProcess.freePort();
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong withoutRetryAfter = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        boolean databaseDown = false;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try (PortflowProcess portflow = PortflowProcess.start(
                dir, dir.resolve("run.log"), "run", blueprint.toString(), "--port", Integer.toString(port))) {
            portflow.awaitReady(port);
            URI orders = URI.create("http://127.0.0.1:" + port + "/orders");
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNo = c;
                clients.add(pool.submit(() -> {
                    for (int r = 0; !stop.get(); r++) {
                        HttpResponse<String> response = client.send(
                                PostBurst.order(orders, clientNo, r)
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong())
                                .incrementAndGet();
                        if (response.statusCode() == 202) {
                            Matcher m = ID.matcher(response.body());
                            assertThat(m.find()).isTrue();
                            accepted.add(m.group(1));
                        } else if (response.headers().firstValue("Retry-After").isEmpty()) {
                            withoutRetryAfter.incrementAndGet();
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestPostgres.ids(table).size() >= 100);

            pgCtl(cluster, "stop", "-m", "fast");
            databaseDown = true;
            long stoppedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> statuses.getOrDefault(503, new AtomicLong()).get() > 0);
            long left = TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS) - (System.nanoTime() - stoppedAt);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            double retries = PortflowProcess.metric(client, port, "portflow_store_retries_total");
            pgCtl(cluster, "start");
            databaseDown = false;

            long before = accepted.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() > before + 50);
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> TestPostgres.ids(table).containsAll(accepted));
            portflow.signal(); // drain and stop
            assertThat(portflow.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(portflow.process.exitValue()).as(portflow.output()).isZero();

            List<String> rows = TestPostgres.ids(table);
            System.out.printf(
                    "database outage of %d s: statuses %s; %d ids accepted, %d rows; %.0f store retries while it was"
                            + " down%n",
                    OUTAGE_SECONDS, statuses, accepted.size(), rows.size(), retries);
            assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(202, 503);
            assertThat(withoutRetryAfter.get()).as("503s without Retry-After").isZero();
            assertThat(retries)
                    .as("retries counted while the database was down")
                    .isPositive();
            Set<String> missing = new HashSet<>(accepted);
            rows.forEach(missing::remove);
            assertThat(missing).as("ids answered 202 and not stored").isEmpty();
            assertThat(rows).as("one row per accepted id").hasSize(accepted.size());
            assertThat(portflow.output()).contains("store: cannot reach");
        } finally {
            stop.set(true);
            pool.shutdownNow();
            if (databaseDown) {
                pgCtl(cluster, "start");
            }
            TestPostgres.drop(table);
            client.close();
        }
    }

    /** The version and name of the cluster serving the URL's port, or the test is skipped (failed under CI). */
    private static String[] cluster() throws Exception {
        TestPostgres.require();
        Matcher m = PORT.matcher(TestPostgres.URL);
        String port = m.find() ? m.group(1) : "5432";
        String out;
        try {
            Process list = new ProcessBuilder("pg_lsclusters", "--no-header")
                    .redirectErrorStream(true)
                    .start();
            out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            list.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            TestPostgres.unavailable(
                    "pg_lsclusters cannot run (" + e.getMessage() + "): Debian's postgresql-common is needed");
            throw new AssertionError("skipped");
        }
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+", -1);
            if (f.length >= 3 && f[2].equals(port)) {
                return new String[] {f[0], f[1]};
            }
        }
        TestPostgres.unavailable("no cluster on port " + port + " in pg_lsclusters: " + out);
        throw new AssertionError("skipped");
    }

    private static void pgCtl(String[] cluster, String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of("pg_ctlcluster", cluster[0], cluster[1]));
        command.addAll(List.of(action));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }
}
