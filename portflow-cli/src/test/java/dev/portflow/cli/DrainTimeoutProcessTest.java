package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, bug 16 and the second stop signal: {@code portflow run} as a process whose drain cannot
 * finish. The count of what was left is exact, and every accepted message that did not reach the
 * sink is in the leftovers file, so nothing answered 202 is lost without a trace.
 */
@Timeout(120)
class DrainTimeoutProcessTest {

    private static final String BLUEPRINT = """
            name: slowpoke
            server: {host: 127.0.0.1, port: %d}
            components:
              - {name: api, recipe: api_endpoint, config: {path: /events, timeout_ms: 500}}
              - {name: slow, recipe: sleep, config: {duration_ms: 700}}
              - {name: out, recipe: jsonl_sink, config: {path: delivered.jsonl}}
            connections:
              - {from: api.out_requests, to: slow.in_events, buffer_size: 50}
              - {from: slow.out_events, to: out.in_events}
            """;

    @Test
    void aTimedOutDrainCountsExactlyAndWritesWhatItLeft(@TempDir Path dir) throws Exception {
        try (Run run = Run.start(dir, "--drain-timeout", "1", "--leftovers", "left.jsonl")) {
            Set<String> accepted = run.post(12);
            assertThat(accepted).hasSize(12);
            run.portflow().signal();
            assertThat(run.portflow().process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = run.portflow().output();
            assertThat(run.portflow().process.exitValue()).as(output).isEqualTo(1);

            Set<String> delivered = ids(dir.resolve("delivered.jsonl"), "_id");
            Set<String> left = ids(dir.resolve("left.jsonl"), "id");
            assertThat(left).doesNotContainAnyElementsOf(delivered);
            Set<String> all = new HashSet<>(delivered);
            all.addAll(left);
            assertThat(all).as(output).isEqualTo(accepted);
            assertThat(output)
                    .contains(
                            "drain timed out after 1 s, " + left.size() + " messages left",
                            left.size() + " messages that did not reach their end are in");
            assertThat(Files.readString(dir.resolve("left.jsonl")))
                    .contains("\"port\":\"slow.in_events\"", "\"message\":{\"n\":");
        }
    }

    @Test
    void aSecondStopSignalForcesTheStop(@TempDir Path dir) throws Exception {
        try (Run run = Run.start(dir, "--drain-timeout", "60", "--leftovers", "left.jsonl")) {
            Set<String> accepted = run.post(8);
            run.portflow().signal();
            run.portflow().awaitOutput("draining");
            long start = System.nanoTime();
            run.portflow().signal();
            assertThat(run.portflow().process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            String output = run.portflow().output();
            assertThat(output).contains("forcing the stop now", "drain stopped by force");
            assertThat(run.portflow().process.exitValue()).isEqualTo(1);
            Set<String> all = new HashSet<>(ids(dir.resolve("delivered.jsonl"), "_id"));
            all.addAll(ids(dir.resolve("left.jsonl"), "id"));
            assertThat(all).as(output).isEqualTo(accepted);
        }
    }

    private static Set<String> ids(Path file, String key) throws IOException {
        Set<String> ids = new HashSet<>();
        if (!Files.exists(file)) {
            return ids;
        }
        for (String line : Files.readAllLines(file)) {
            String id = line.replaceAll(".*\"" + key + "\":\"([^\"]+)\".*", "$1");
            assertThat(ids.add(id)).as("duplicate %s", line).isTrue();
        }
        return ids;
    }

    /** One {@code portflow run} process on the blueprint above, and a client for its ingress. */
    private record Run(PortflowProcess portflow, int port, HttpClient client) implements AutoCloseable {

        static Run start(Path dir, String... options) throws Exception {
            int port = PortflowProcess.freePort();
            Path blueprint = Files.writeString(dir.resolve("slowpoke.yaml"), BLUEPRINT.formatted(port));
            List<String> args = new ArrayList<>(List.of("run", blueprint.toString()));
            args.addAll(List.of(options));
            PortflowProcess portflow =
                    PortflowProcess.start(dir, dir.resolve("portflow.log"), args.toArray(String[]::new));
            portflow.awaitReady(port);
            return new Run(
                    portflow,
                    port,
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(2))
                            .build());
        }

        /** POSTs {@code n} events one after another; returns the ids answered 202. */
        Set<String> post(int n) throws Exception {
            Set<String> accepted = new HashSet<>();
            URI events = URI.create("http://127.0.0.1:" + port + "/events");
            for (int i = 0; i < n; i++) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(events)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    accepted.add(response.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
                }
            }
            return accepted;
        }

        @Override
        public void close() {
            portflow.close();
            client.close();
        }
    }
}
