package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class JsonlSinkTest {

    @TempDir
    Path dir;

    private static void write(JsonlSinkConfig config, Source<JsonMessage> source) throws InterruptedException {
        run(Pipeline.builder("files")
                .source("in", JsonMessage.class, source)
                .sink("file", new JsonlSink(config))
                .connect("in.out_events", "file.in_events"));
    }

    private static List<Object> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(Json::parse).toList();
    }

    @Test
    void oneObjectPerLineWithMetadataInParentDirectoriesCreatedOnDemand() throws Exception {
        Path file = dir.resolve("a/b/out.jsonl");
        JsonMessage withEventTime = new JsonMessage("id-1", Instant.parse("2026-01-31T12:00:01Z"),
                Instant.parse("2026-01-31T12:00:00Z"), obj("amount", 150.5, "tags", List.of("x"), "event_time", "2026-01-31T12:00:00Z"));
        JsonMessage plain = new JsonMessage("id-2", Instant.parse("2026-01-31T12:00:02Z"), null, obj("amount", 3));
        JsonMessage array = new JsonMessage("id-3", Instant.parse("2026-01-31T12:00:03Z"), null, List.of(1, 2));
        write(new JsonlSinkConfig(file), TestSupport.source(withEventTime, plain, array));

        String text = Files.readString(file);
        assertThat(text).endsWith("\n").doesNotContain("\r");
        assertThat(text.lines().findFirst().orElseThrow()).startsWith("{\"_id\":\"id-1\",\"_ingest_time\":\"2026-01-31T12:00:01Z\","
                + "\"_event_time\":\"2026-01-31T12:00:00Z\",\"amount\":150.5");
        assertThat(lines(file)).containsExactly(
                obj("_id", "id-1", "_ingest_time", "2026-01-31T12:00:01Z", "_event_time", "2026-01-31T12:00:00Z",
                        "amount", 150.5, "tags", List.of("x"), "event_time", "2026-01-31T12:00:00Z"),
                obj("_id", "id-2", "_ingest_time", "2026-01-31T12:00:02Z", "amount", 3),
                obj("_id", "id-3", "_ingest_time", "2026-01-31T12:00:03Z", "body", List.of(1, 2)));
    }

    @Test
    void withoutMetadataTheBodyAloneAndRunsAppend() throws Exception {
        Path file = dir.resolve("plain.jsonl");
        JsonlSinkConfig config = new JsonlSinkConfig(file, false, 0);
        write(config, TestSupport.bodies(obj("n", 1), "text"));
        write(config, TestSupport.bodies(obj("n", 2)));
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "\"text\"", "{\"n\":2}");
    }

    @Test
    void linesReachTheFileWithinTheFlushIntervalWhileTheStreamIsOpen() throws Exception {
        Path file = dir.resolve("live.jsonl");
        long[] seenAfterMs = {-1};
        write(new JsonlSinkConfig(file, true, 50), ctx -> {
            ctx.emit(TestSupport.json(obj("n", 1)));
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.exists(file) && Files.size(file) > 0) {
                    seenAfterMs[0] = (System.nanoTime() - start) / 1_000_000;
                    break;
                }
                Thread.sleep(5);
            }
        });
        assertThat(seenAfterMs[0]).as("line flushed before end of stream").isBetween(0L, 4_000L);
        assertThat(lines(file)).hasSize(1);
    }

    @Test
    void writesErrorEnvelopesFromAnErrorPort() throws Exception {
        Path file = dir.resolve("errors.jsonl");
        run(Pipeline.builder("errs")
                .source("in", JsonMessage.class, TestSupport.bodies(obj("amount", "x"), obj("amount", 500)))
                .transformer("big", JsonMessage.class, JsonMessage.class, new FilterTransformer(new FilterConfig("amount > 100")))
                .sink("ok", new LogSink(new LogSinkConfig()))
                .sink("errors", new JsonlSink(new JsonlSinkConfig(file)))
                .connect("in.out_o", "big.in_o")
                .connect("big.out_o", "ok.in_o")
                .connect("big.err_o", "errors.in_errors"));
        List<Object> lines = lines(file);
        assertThat(lines).singleElement().satisfies(line -> {
            Map<?, ?> m = (Map<?, ?>) line;
            assertThat(m.get("component")).isEqualTo("big");
            assertThat(m.get("error_type")).isEqualTo("ExpressionException");
            assertThat((String) m.get("message")).contains("No matching overload");
            assertThat(m.get("_id")).isNotNull();
        });
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> JsonlSinkConfig.fromMap(Map.of()))
                .hasMessage("jsonl_sink: 'path' is required: the file to append JSON lines to, e.g. ./data/out.jsonl");
        assertThatThrownBy(() -> JsonlSinkConfig.fromMap(Map.of("path", "x.jsonl", "flush_ms", -5)))
                .hasMessage("jsonl_sink: 'flush_ms' must be a whole number of milliseconds >= 0, was -5");
        assertThatThrownBy(() -> JsonlSinkConfig.fromMap(Map.of("path", "x.jsonl", "metadata", "yes")))
                .hasMessage("jsonl_sink: 'metadata' must be true or false, was \"yes\"");
        assertThatThrownBy(() -> JsonlSinkConfig.fromMap(Map.of("path", "bad\0name")))
                .hasMessageStartingWith("jsonl_sink: 'path' must be a file path");
        JsonlSinkConfig defaults = JsonlSinkConfig.fromMap(Map.of("path", "out.jsonl"));
        assertThat(defaults.metadata()).isTrue();
        assertThat(defaults.flushIntervalMs()).isEqualTo(100);
    }
}
