package dev.portflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.blueprint.Assembly;
import dev.portflow.blueprint.AssemblyOptions;
import dev.portflow.blueprint.Blueprints;
import dev.portflow.runtime.DrainReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The blueprints in examples/ run as written (each copied to a temp directory, server on a free port). */
@Timeout(60)
class ExampleBlueprintsTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    private final HttpClient client = HttpClient.newHttpClient();

    private static Assembly start(Path dir, String example) throws Exception {
        Path file = Files.copy(EXAMPLES.resolve(example), dir.resolve(example));
        assertThat(Blueprints.validate(file).isValid())
                .as(Blueprints.validate(file).report())
                .isTrue();
        return Blueprints.assemble(
                        Blueprints.load(file), AssemblyOptions.defaults().port(0))
                .start();
    }

    private int post(Assembly assembly, String path, String json) throws Exception {
        String base = assembly.server().orElseThrow().baseUri();
        return client.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void webhookToStoreKeepsPaidEventsOncePerId(@TempDir Path dir) throws Exception {
        Assembly assembly = start(dir, "webhook-to-store.yaml");
        assertThat(post(assembly, "/webhooks", "{\"id\":\"e1\",\"type\":\"payment.succeeded\",\"amount\":10}"))
                .isEqualTo(202);
        assertThat(post(assembly, "/webhooks", "{\"id\":\"e2\",\"type\":\"payment.failed\",\"amount\":5}"))
                .isEqualTo(202);
        assertThat(post(assembly, "/webhooks", "{\"id\":\"e3\",\"type\":\"payment.succeeded\",\"amount\":7}"))
                .isEqualTo(202);
        assertThat(post(assembly, "/webhooks", "{\"id\":\"e1\",\"type\":\"payment.succeeded\",\"amount\":10}"))
                .isEqualTo(202);
        assertThat(post(assembly, "/webhooks", "{\"id\":\"e4\",\"type\":\"x\",\"amount\":-1}"))
                .isEqualTo(422);
        DrainReport report = assembly.drainAndStop(Duration.ofSeconds(20));
        assertThat(report.completed()).isTrue();

        try (Connection db = DriverManager.getConnection(
                        "jdbc:h2:" + dir.resolve("data").toAbsolutePath().resolve("webhooks"));
                ResultSet rows = db.createStatement().executeQuery("SELECT id FROM payments ORDER BY id")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            assertThat(ids).containsExactly("e1", "e3");
        }
    }

    @Test
    void fanOutRoutesBySizeAndSendsFailuresToTheDeadLetterFile(@TempDir Path dir) throws Exception {
        Assembly assembly = start(dir, "fanout-dead-letter.yaml");
        assertThat(post(assembly, "/orders", "{\"id\":\"a\",\"amount\":500}")).isEqualTo(202);
        assertThat(post(assembly, "/orders", "{\"id\":\"b\",\"amount\":5}")).isEqualTo(202);
        assertThat(post(assembly, "/orders", "{\"id\":\"c\",\"amount\":\"lots\"}"))
                .isEqualTo(202);
        assertThat(assembly.drainAndStop(Duration.ofSeconds(20)).completed()).isTrue();

        assertThat(Files.readAllLines(dir.resolve("big-orders.jsonl")))
                .singleElement()
                .asString()
                .contains("\"id\":\"a\"");
        assertThat(Files.readAllLines(dir.resolve("small-orders.jsonl")))
                .singleElement()
                .asString()
                .contains("\"id\":\"b\"");
        assertThat(Files.readAllLines(dir.resolve("dead-letters.jsonl")))
                .singleElement()
                .asString()
                .contains("\"component\":\"price\"")
                .contains("lots");
    }

    @Test
    void batcherWritesOneLinePerBatchOfTen(@TempDir Path dir) throws Exception {
        Assembly assembly = start(dir, "batcher.yaml");
        assertThat(assembly.pipeline().awaitTermination(Duration.ofSeconds(30))).isTrue();
        assertThat(assembly.drainAndStop(Duration.ofSeconds(10)).completed()).isTrue();

        List<String> lines = Files.readAllLines(dir.resolve("batches.jsonl"));
        assertThat(lines).hasSizeGreaterThanOrEqualTo(10);
        int total = 0;
        for (String line : lines) {
            int count = Integer.parseInt(line.replaceAll(".*\"count\":(\\d+).*", "$1"));
            assertThat(count).isBetween(1, 10);
            total += count;
        }
        assertThat(total).isEqualTo(95);
    }
}
