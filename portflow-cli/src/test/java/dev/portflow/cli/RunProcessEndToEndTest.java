package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portflow run} as a separate process: an ingress, a slow stage and a JSONL sink; an overload
 * burst over HTTP; SIGTERM; exit 0; the file holds exactly the ids that were answered 202.
 */
@Timeout(120)
class RunProcessEndToEndTest {

    @Test
    void overloadThenSigtermLeavesExactlyTheAcceptedIdsInTheFile(@TempDir Path dir) throws Exception {
        int port = PortflowProcess.freePort();
        Path blueprint = Files.writeString(dir.resolve("ingest.yaml"), """
                name: ingest
                server: {host: 127.0.0.1, port: %d}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /events, timeout_ms: 50}}
                  - {name: slow, recipe: sleep, config: {duration_ms: 2}}
                  - {name: out, recipe: jsonl_sink, config: {path: accepted.jsonl}}
                connections:
                  - {from: api.out_requests, to: slow.in_events, buffer_size: 8}
                  - {from: slow.out_events, to: out.in_events}
                """.formatted(port));
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (PortflowProcess portflow =
                PortflowProcess.start(dir, dir.resolve("portflow.log"), "run", blueprint.toString())) {
            portflow.awaitReady(port);
            Process process = portflow.process;

            Set<String> accepted;
            Set<Integer> statuses;
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                PostBurst burst = new PostBurst(client, port, "/events", clients, 16, 40, Duration.ZERO);
                burst.await(Duration.ofMinutes(2));
                accepted = burst.accepted;
                statuses = burst.statuses;
            }
            assertThat(statuses).isSubsetOf(202, 503).contains(202, 503);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            String output = portflow.output();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("leftover slow.in_events", "0 messages left");

            Set<String> written = new HashSet<>();
            for (String line : Files.readAllLines(dir.resolve("accepted.jsonl"))) {
                assertThat(written.add(line.replaceAll("^\\{\"_id\":\"([^\"]+)\".*", "$1")))
                        .as("duplicate line %s", line)
                        .isTrue();
            }
            assertThat(written).isEqualTo(accepted);
        } finally {
            client.close();
        }
    }
}
