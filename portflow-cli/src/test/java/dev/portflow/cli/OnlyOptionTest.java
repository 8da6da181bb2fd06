package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.kafka.EmbeddedKafkaBroker;
import dev.portflow.kafka.EmbeddedKafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --only}: {@code validate} checks the connections that cross it, and one blueprint runs as
 * two {@code portflow run} processes joined by a Kafka connection (a real broker in this JVM; the
 * receiving side a separate process, stopped with SIGTERM).
 */
@Timeout(120)
class OnlyOptionTest {

    private static final int COUNT = 100;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** api -> enrich -[kafka]-> big -> store. */
    private static Path orders(Path dir) throws IOException {
        return Files.writeString(dir.resolve("orders.yaml"), """
                name: orders
                kafka: {bootstrap_servers: "127.0.0.1:9"}
                components:
                  - {name: api, recipe: api_endpoint, config: {path: /orders}}
                  - {name: enrich, recipe: map, config: {fields: {checked: "true"}}}
                  - {name: big, recipe: filter, config: {condition: "true"}}
                  - {name: store, recipe: jsonl_sink, config: {path: orders.jsonl}}
                connections:
                  - {from: api.out_requests, to: enrich.in_orders}
                  - {from: enrich.out_orders, to: big.in_orders, transport: kafka}
                  - {from: big.out_orders, to: store.in_orders}
                """);
    }

    @Test
    void validateChecksTheConnectionsThatCrossOnly(@TempDir Path dir) throws Exception {
        Path file = orders(dir);
        CliRun whole = run("validate", file.toString(), "--only", "api,enrich");
        assertThat(whole.exit()).as(whole.err()).isZero();
        assertThat(whole.out()).contains("valid (pipeline 'orders', 4 components, 3 connections; --only api,enrich)");

        CliRun crossing = run("validate", file.toString(), "--only", "api,big");
        assertThat(crossing.exit()).isEqualTo(2);
        assertThat(crossing.err().lines().toList())
                .containsSubsequence(
                        file
                                + ":9:5: connection api.out_requests -> enrich.in_orders crosses --only: enrich runs in another"
                                + " process, so the connection needs transport: kafka (hint: add transport: kafka to the"
                                + " connection, or add enrich to --only)",
                        file
                                + ":11:5: connection big.out_orders -> store.in_orders crosses --only: store runs in another"
                                + " process, so the connection needs transport: kafka (hint: add transport: kafka to the"
                                + " connection, or add store to --only)",
                        "portflow: " + file + " is invalid for --only api,big (2 problems); nothing was started");

        CliRun repeated = run("validate", file.toString(), "--only", "api", "--only", "big");
        assertThat(repeated.exit()).isEqualTo(2);
        assertThat(repeated.err()).contains("is invalid for --only api,big (2 problems)");

        CliRun typo = run("validate", file.toString(), "--only", "api,enrihc");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err())
                .contains(file + ":4:3: --only names unknown component 'enrihc' (hint: did you mean"
                        + " 'enrich'? components: api, enrich, big, store)");

        assertThat(run("validate", file.toString(), "--only", "").exit()).isEqualTo(2);
        assertThat(run("run", file.toString(), "--only", "api,big", "--port", "0")
                        .exit())
                .isEqualTo(2);
    }

    @Test
    void helpDocumentsOnly() {
        CliRun runHelp = run("run", "--help");
        assertThat(runHelp.exit()).isZero();
        assertThat(runHelp.out()).contains("--only=COMPONENT[,COMPONENT...]").contains("transport: kafka");
        CliRun validateHelp = run("validate", "--help");
        assertThat(validateHelp.exit()).isZero();
        assertThat(validateHelp.out()).contains("--only=COMPONENT[,COMPONENT...]");
    }

    @Test
    void oneBlueprintRunsAsTwoProcessesJoinedByKafka(@TempDir Path dir) throws Exception {
        String topic = EmbeddedKafkaBroker.uniqueTopic("cli");
        KAFKA.broker().createTopic(topic, 1);
        Path blueprint = Files.writeString(
                dir.resolve("spread.yaml"), """
                name: spread
                kafka: {bootstrap_servers: "%s", lag_refresh_ms: 50}
                components:
                  - {name: gen, recipe: generator, config: {rate: 100000, count: %d, template: {n: "${seq}"}}}
                  - {name: out, recipe: jsonl_sink, config: {path: out.jsonl, flush_ms: 20}}
                connections:
                  - {from: gen.out_x, to: out.in_x, transport: kafka, topic: %s}
                """.formatted(KAFKA.broker().bootstrapServers(), COUNT, topic));
        Path log = dir.resolve("receiver.log");
        Process receiver =
                PortflowProcess.start(dir, log, "run", blueprint.toString(), "--only", "out", "--port", "0").process;
        Path out = dir.resolve("out.jsonl");
        try {
            CliRun sender = run("run", blueprint.toString(), "--only", "gen", "--port", "0");
            assertThat(sender.exit()).as(sender.out() + sender.err()).isZero();
            assertThat(sender.out())
                    .contains(
                            "running here (--only): gen",
                            "in other processes:    out",
                            "kafka:     gen.out_x -> out.in_x   (topic " + topic + "; sending here)",
                            "ended: every source finished",
                            "0 messages left");

            await().atMost(Duration.ofSeconds(60)).until(() -> lines(out).size() >= COUNT);
            assertThat(Files.readString(log))
                    .contains(
                            "running here (--only): out",
                            "kafka:     gen.out_x -> out.in_x   (topic " + topic + "; receiving here)",
                            "metrics:");
        } finally {
            receiver.destroy(); // SIGTERM: drains and exits 0
            assertThat(receiver.waitFor(30, TimeUnit.SECONDS))
                    .as("receiver exits")
                    .isTrue();
        }
        String printed = Files.readString(log);
        assertThat(receiver.exitValue()).as(printed).isZero();
        assertThat(printed).contains("drained in");

        JsonMapper json = JsonMapper.builder().build();
        List<Long> ns = lines(out).stream()
                .map(line -> json.readTree(line).get("n").asLong())
                .toList();
        assertThat(ns).hasSize(COUNT);
        assertThat(new TreeSet<>(ns))
                .containsExactlyElementsOf(LongStream.range(0, COUNT).boxed().toList());
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
