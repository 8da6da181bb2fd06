package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portflow run} as a separate process ({@code api_endpoint -> disk edge -> slow -> store},
 * an H2 store keyed on the message id) under concurrent HTTP clients, killed with SIGKILL at random
 * moments and started again on the same data directory and database, {@value #DEFAULT_KILLS} times
 * by default ({@code -Dportflow.crash.kills=N}; {@code bench/crash-loop N} runs it for N). After the
 * last restart drains, the store holds every id that was ever answered 202, once (the id is the
 * primary key). The records delivered again after a kill (at most that many reached the store twice
 * and were upserted) are counted from {@code portflow.disk.records.recovered} and printed. The seed
 * of the kill moments is printed; {@code -Dportflow.seed=S} replays them.
 */
class DiskCrashTest {

    private static final int DEFAULT_KILLS = 20;
    private static final int KILLS = Integer.getInteger("portflow.crash.kills", DEFAULT_KILLS);
    private static final int COMPACT_EVERY = 10; // kills between two compactions of the H2 file (see compact)
    private static final int CLIENTS = 8;
    private static final long PAUSE_MILLIS = 16;
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final String EDGE = "api.out_requests-slow.in_orders"; // the disk edge's directory under data
    private static final Pattern FAILED_ID = Pattern.compile("message failed: .* id=(\\S+)");

    @Test
    void everyIdAnswered202IsStoredOnceAcrossRepeatedKills(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) {
        // bounded: about 2.5 s a kill here; a hang fails the test instead of holding the build
        Duration limit = Duration.ofSeconds(180 + 20L * KILLS);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                limit, () -> killRepeatedly(dir), "the kill loop took over " + limit.toSeconds() + " s");
    }

    private static void killRepeatedly(Path dir) throws Exception {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        Random random = new Random(seed);
        String replay = "seed " + seed + " (replay with -Dportflow.seed=" + seed + ")";
        System.out.println("DiskCrashTest: " + KILLS + " kills, " + replay);
        Path database = dir.resolve("orders-db");
        Path blueprint = Files.writeString(dir.resolve("orders.yaml"), """
                name: orders
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /orders, timeout_ms: 2000}}
                  - {name: slow, recipe: sleep, config: {duration_ms: 1}}
                  - {name: store, recipe: store, config: {url: "jdbc:h2:file:%s", table: orders}}
                connections:
                  - {from: api.out_requests, to: slow.in_orders, transport: disk, buffer_size: 2000}
                  - {from: slow.out_orders, to: store.in_orders, buffer_size: 64}
                """.formatted(database));
        Path data = dir.resolve("data");
        int port = PortflowProcess.freePort();
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        AtomicLong unanswered = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        URI orders = URI.create("http://127.0.0.1:" + port + "/orders");
        long redelivered = 0;
        PortflowProcess process = start(blueprint, dir, data, port, 0);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try {
            process.awaitReady(port);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int clientNo = c;
                running.add(clients.submit(() -> post(client, orders, clientNo, stop, accepted, statuses, unanswered)));
            }
            for (int kill = 1; kill <= KILLS; kill++) {
                long before = accepted.size();
                // a random moment, once this life has taken some requests
                await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() > before);
                Thread.sleep(random.nextInt(400));
                process.process.destroyForcibly(); // SIGKILL
                assertThat(process.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.process.exitValue()).isEqualTo(137);
                if (kill % COMPACT_EVERY == 0) {
                    compact(database);
                }
                Path position = data.resolve(EDGE).resolve("position");
                if (Files.exists(position)) { // where the next life starts reading, for a failed run's report
                    Files.copy(position, dir.resolve("life-" + kill + ".position"));
                }
                process = start(blueprint, dir, data, port, kill);
                process.awaitReady(port);
                redelivered += (long) PortflowProcess.metric(client, port, "portflow_disk_records_recovered_total");
            }
            Thread.sleep(300); // the last life takes requests too
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            // everything on disk reaches the store, then a clean stop
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> PortflowProcess.metric(
                                    client,
                                    port,
                                    "portflow_port_queue_depth{component=\"slow\",pipeline=\"orders\","
                                            + "port=\"in_orders\",transport=\"disk\"}")
                            == 0);
            process.signal();
            assertThat(process.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.process.exitValue()).as(process.output()).isZero();
        } finally {
            stop.set(true);
            clients.shutdownNow();
            process.process.destroyForcibly();
            client.close();
        }

        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + database);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM orders")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        Set<String> missing = new HashSet<>(accepted);
        rows.forEach(missing::remove);
        Set<String> failed = idsOfFailedMessages(dir);
        Set<String> missingThatFailed = new HashSet<>(missing);
        missingThatFailed.retainAll(failed);
        System.out.printf(
                "DiskCrashTest: %d kills, %d ids answered 202, %d rows, %d requests unanswered (connection cut by"
                        + " a kill), %d records delivered again after kills, %d messages failed in a component"
                        + " (logged with their id), statuses %s, %s%n",
                KILLS, accepted.size(), rows.size(), unanswered.get(), redelivered, failed.size(), statuses, replay);
        // Where a missing id was lost is what a failed run needs first. A message a component finished
        // with an error is done with: the edge moves past it, so a store write that failed for good
        // loses its id with the disk edge working as specified. A record the edge still holds tells
        // which life's pipeline finished it (see whereInTheEdge).
        // The description reads the edge's files and every life's log: built only when the assertion fails.
        assertThat(missing)
                .as(() -> ("ids answered 202 but not stored (%d: %d of them logged as failed by a component; %s; logs,"
                                + " database and the edge's files kept in %s), %s; warnings and errors of the"
                                + " process's lives:%n%s")
                        .formatted(
                                missing.size(),
                                missingThatFailed.size(),
                                unchecked(() -> whereInTheEdge(missing, dir, data.resolve(EDGE))),
                                dir,
                                replay,
                                unchecked(() -> problemsLogged(dir))))
                .isEmpty();
        assertThat(new HashSet<>(rows)).as("rows are unique").hasSize(rows.size());
        assertThat(statuses).as("only 202 and 503 are answered").isSubsetOf(202, 503);
        assertThat(accepted).hasSizeGreaterThan(KILLS);
    }

    /**
     * H2 compacts its file only on a clean close, so a database killed after every few seconds grows
     * by megabytes a life (4.5 GB after 700 kills) and each start gets slower. Between two lives,
     * with no process holding it, the test compacts it.
     */
    private static void compact(Path database) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + database);
                Statement st = db.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
    }

    /** One client: posts until told to stop; a request cut by a kill is not answered, and tried anew. */
    private static Void post(
            HttpClient client,
            URI orders,
            int clientNo,
            AtomicBoolean stop,
            Set<String> accepted,
            Set<Integer> statuses,
            AtomicLong unanswered)
            throws InterruptedException {
        for (int r = 0; !stop.get(); r++) {
            try {
                HttpResponse<String> response = client.send(
                        PostBurst.order(orders, clientNo, r)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.add(response.statusCode());
                if (response.statusCode() == 202) {
                    Matcher m = ID.matcher(response.body());
                    if (m.find()) {
                        accepted.add(m.group(1));
                    }
                }
                // about 500 requests a second from the 8 clients: more than the pipeline drains (the
                // buffer fills, so there are 503s too), but not so many that a restart spends its
                // life catching up
                Thread.sleep(PAUSE_MILLIS);
            } catch (IOException cut) {
                unanswered.incrementAndGet(); // the process is down or was killed mid-request
                Thread.sleep(50);
            }
        }
        return null;
    }

    /**
     * Which life finished each missing id's record, from the edge's log (the record's sequence number)
     * and the committed position each life started from (copied before each restart): the life before
     * the first one that started past the record. A record the pipeline finished and the store lacks
     * was lost after the edge; the store and that life's log are where to look.
     */
    private static String whereInTheEdge(Set<String> missing, Path dir, Path edge) throws IOException {
        DiskEdgeFiles files = DiskEdgeFiles.read(edge);
        List<Long> starts = new ArrayList<>(); // starts.get(k - 1): the position life k started from
        for (int life = 1; life <= KILLS; life++) {
            starts.add(DiskEdgeFiles.position(dir.resolve("life-" + life + ".position")));
        }
        Map<Long, Integer> lifeBySeq = new TreeMap<>(); // in record order
        for (String id : missing) {
            Long seq = files.seqById().get(id);
            if (seq != null) {
                int life = 0;
                while (life < starts.size() && starts.get(life) <= seq) {
                    life++;
                }
                lifeBySeq.put(seq, life);
            }
        }
        List<String> found = new ArrayList<>();
        lifeBySeq.forEach((seq, life) -> found.add("record " + seq + " finished in life " + life));
        return found.size() + " found in the edge's log (" + String.join(", ", found) + "), "
                + (missing.size() - found.size())
                + " not (never written, or in a segment deleted once consumed)";
    }

    /**
     * The ids of the messages the process's lives logged as failed ({@code message failed: ... id=X},
     * one line per failure up to the error log's limit per window, so a flood may be undercounted).
     */
    private static Set<String> idsOfFailedMessages(Path dir) throws IOException {
        Set<String> ids = new HashSet<>();
        for (Path log : lifeLogs(dir)) {
            for (String line : Files.readAllLines(log)) {
                Matcher m = FAILED_ID.matcher(line);
                if (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }

    /** The logs of the process's lives ({@code life-N.log}), in name order. */
    private static List<Path> lifeLogs(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("life-\\d+\\.log"))
                    .sorted()
                    .toList();
        }
    }

    /** A report that reads files, for a lazily built assertion description. */
    private interface Report {
        String read() throws IOException;
    }

    private static String unchecked(Report report) {
        try {
            return report.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first warnings and errors the process's lives logged, one per line, with the life's log named. */
    private static String problemsLogged(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path log : lifeLogs(dir)) {
            for (String line : Files.readAllLines(log)) {
                boolean problem = line.contains("WARN")
                        || line.contains("ERROR")
                        || line.contains("SEVERE")
                        || line.contains("store:");
                if (problem && lines.size() < 40) {
                    lines.add(log.getFileName() + ": " + line);
                }
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static PortflowProcess start(Path blueprint, Path dir, Path data, int port, int life) throws IOException {
        return PortflowProcess.start(
                dir,
                dir.resolve("life-" + life + ".log"),
                "run",
                blueprint.toString(),
                "--data-dir",
                data.toString(),
                "--port",
                Integer.toString(port));
    }
}
