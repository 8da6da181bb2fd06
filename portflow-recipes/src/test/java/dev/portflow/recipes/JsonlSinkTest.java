package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineStartException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
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

    /** Runs the sink with an err_* port; returns the envelopes of the messages it failed on. */
    private static List<ErrorEnvelope> writeCountingErrors(JsonlSinkConfig config, Source<JsonMessage> source)
            throws InterruptedException {
        TestSupport.Capture<ErrorEnvelope> errors = new TestSupport.Capture<>();
        run(Pipeline.builder("files")
                .source("in", JsonMessage.class, source)
                .sink("file", new JsonlSink(config))
                .sink("errors", ErrorEnvelope.class, errors)
                .connect("in.out_events", "file.in_events")
                .connect("file.err_events", "errors.in_errors"));
        return errors.received;
    }

    private static ComponentContext context() {
        MeterRegistry registry = new SimpleMeterRegistry();
        return new ComponentContext() {
            @Override
            public String pipelineName() {
                return "files";
            }

            @Override
            public String componentName() {
                return "file";
            }

            @Override
            public boolean isRunning() {
                return true;
            }

            @Override
            public MeterRegistry meterRegistry() {
                return registry;
            }
        };
    }

    private static List<Object> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(Json::parse)
                .toList();
    }

    @Test
    void oneObjectPerLineWithMetadataInParentDirectoriesCreatedOnDemand() throws Exception {
        Path file = dir.resolve("a/b/out.jsonl");
        JsonMessage withEventTime = new JsonMessage(
                "id-1",
                Instant.parse("2026-01-31T12:00:01Z"),
                Instant.parse("2026-01-31T12:00:00Z"),
                obj("amount", 150.5, "tags", List.of("x"), "event_time", "2026-01-31T12:00:00Z"));
        JsonMessage plain = new JsonMessage("id-2", Instant.parse("2026-01-31T12:00:02Z"), null, obj("amount", 3));
        JsonMessage array = new JsonMessage("id-3", Instant.parse("2026-01-31T12:00:03Z"), null, List.of(1, 2));
        write(new JsonlSinkConfig(file), TestSupport.source(withEventTime, plain, array));

        String text = Files.readString(file);
        assertThat(text).endsWith("\n").doesNotContain("\r");
        assertThat(text.lines().findFirst().orElseThrow())
                .startsWith("{\"_id\":\"id-1\",\"_ingest_time\":\"2026-01-31T12:00:01Z\","
                        + "\"_event_time\":\"2026-01-31T12:00:00Z\",\"amount\":150.5");
        assertThat(lines(file))
                .containsExactly(
                        obj(
                                "_id",
                                "id-1",
                                "_ingest_time",
                                "2026-01-31T12:00:01Z",
                                "_event_time",
                                "2026-01-31T12:00:00Z",
                                "amount",
                                150.5,
                                "tags",
                                List.of("x"),
                                "event_time",
                                "2026-01-31T12:00:00Z"),
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
                .transformer(
                        "big",
                        JsonMessage.class,
                        JsonMessage.class,
                        new FilterTransformer(new FilterConfig("amount > 100")))
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
        assertThatThrownBy(() -> new JsonlSinkConfig(null))
                .hasMessage("jsonl_sink: 'path' is required: the file to append JSON lines to, e.g. ./data/out.jsonl");
        assertThatThrownBy(() -> new JsonlSinkConfig(Path.of("x.jsonl"), true, -5))
                .hasMessage("jsonl_sink: 'flush_ms' must be a whole number of milliseconds >= 0, was -5");
        JsonlSinkConfig defaults = new JsonlSinkConfig(Path.of("out.jsonl"));
        assertThat(defaults.metadata()).isTrue();
        assertThat(defaults.flushIntervalMs()).isEqualTo(100);
    }

    // Bug 1: an unpaired surrogate made the UTF-8 encoder fail inside the buffered writer, which then
    // rewrote the same partial line every 100 ms and never wrote another line.
    @Test
    void anUnpairedSurrogateIsWrittenEscapedAndLaterLinesStillArrive() throws Exception {
        Path file = dir.resolve("surrogate.jsonl");
        String cut = "half an emoji \ud83d";
        List<ErrorEnvelope> errors = writeCountingErrors(
                new JsonlSinkConfig(file), TestSupport.bodies(obj("n", 1), obj("text", cut), obj("n", 3)));

        assertThat(errors).isEmpty();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n").contains("\"half an emoji \\uD83D\"").doesNotContain("?");
        assertThat(lines(file))
                .extracting(line -> (Object) ((Map<?, ?>) line).get("text"))
                .containsExactly(null, cut, null);
        assertThat(lines(file))
                .extracting(line -> (Object) ((Map<?, ?>) line).get("n"))
                .containsExactly(1, null, 3);
    }

    @Test
    void aDeadLetterWhosePayloadHasAnUnpairedSurrogateIsWritten() throws Exception {
        Path file = dir.resolve("dead.jsonl");
        run(Pipeline.builder("errs")
                .source(
                        "in",
                        JsonMessage.class,
                        TestSupport.bodies(obj("amount", "x", "note", "\udc00"), obj("amount", "y")))
                .transformer(
                        "big",
                        JsonMessage.class,
                        JsonMessage.class,
                        new FilterTransformer(new FilterConfig("amount > 100")))
                .sink("ok", new LogSink(new LogSinkConfig()))
                .sink("dead", new JsonlSink(new JsonlSinkConfig(file)))
                .connect("in.out_o", "big.in_o")
                .connect("big.out_o", "ok.in_o")
                .connect("big.err_o", "dead.in_errors"));
        assertThat(lines(file))
                .extracting(line -> (Object) payload(line).get("amount"))
                .containsExactly("x", "y");
        assertThat(payload(lines(file).getFirst()).get("note")).isEqualTo("\udc00");
    }

    /** The {@code payload} object of a dead-letter line. */
    private static Map<?, ?> payload(Object line) {
        return (Map<?, ?>) Objects.requireNonNull(((Map<?, ?>) line).get("payload"), "payload");
    }

    // Bug 18, sink part: Jackson wrote NaN as the string "NaN"; an object it cannot serialize failed.
    @Test
    void aMessageThatIsNotJsonFailsAloneWithNothingOfItWritten() throws Exception {
        Path file = dir.resolve("numbers.jsonl");
        List<ErrorEnvelope> errors = writeCountingErrors(
                new JsonlSinkConfig(file, false, 0),
                TestSupport.bodies(
                        obj("n", 1),
                        obj("ratio", Double.NaN),
                        obj("nested", obj("list", List.of(1.0, Double.POSITIVE_INFINITY))),
                        obj("thing", new Unreadable("x")),
                        obj("n", 2)));

        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(errors)
                .extracting(ErrorEnvelope::message)
                .satisfiesExactly(
                        m -> assertThat(m)
                                .isEqualTo(
                                        "jsonl_sink: cannot write the message as JSON: field 'ratio' is NaN, which JSON cannot hold"),
                        m -> assertThat(m)
                                .isEqualTo(
                                        "jsonl_sink: cannot write the message as JSON: field 'nested.list[1]' is Infinity, which JSON cannot hold"),
                        m -> assertThat(m)
                                .startsWith("jsonl_sink: cannot write the message as JSON: ")
                                .contains("cannot be read"));
    }

    /** An object Jackson cannot serialize. */
    record Unreadable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("cannot be read");
        }
    }

    // Bug 1, write errors: each message fails with the reason; nothing loops.
    @Test
    void aFileThatCannotBeWrittenFailsEachMessageWithTheReason() throws Exception {
        Path full = Path.of("/dev/full"); // every write: "No space left on device"
        Assumptions.assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
        JsonlSink sink = new JsonlSink(new JsonlSinkConfig(full, true, 20));
        sink.setup(context());
        try {
            sink.accept(TestSupport.json(obj("n", 1)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!sink.writeFailing() && System.nanoTime() < deadline) {
                Thread.sleep(10); // the flusher fails once, keeps the line and stops trying
            }
            assertThatThrownBy(() -> sink.accept(TestSupport.json(obj("n", 2))))
                    .isInstanceOf(IOException.class)
                    .hasMessage("jsonl_sink: cannot write to /dev/full: No space left on device;"
                            + " the 1 line buffered before this message's were not written either");
            for (int n = 3; n <= 5; n++) { // from now on each message is written at once, and fails alone
                int i = n;
                assertThatThrownBy(() -> sink.accept(TestSupport.json(obj("n", i))))
                        .hasMessage("jsonl_sink: cannot write to /dev/full: No space left on device");
            }
            sink.flush(); // nothing left over
        } finally {
            sink.cleanup();
        }
    }

    // Bug 6: after kill -9 mid-write, the next run appended to the torn line: one invalid merged record.
    @Test
    void aTornLastLineIsRemovedSoNewLinesStartFresh() throws Exception {
        Path file = dir.resolve("torn.jsonl");
        Files.writeString(file, "{\"a\":1}\n{\"b\":2}\n{\"_id\":\"x\",\"c\":[1,", StandardCharsets.UTF_8);
        write(new JsonlSinkConfig(file, false, 100), TestSupport.bodies(obj("n", 1), obj("n", 2)));
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void aCompleteLastLineWithoutNewlineIsKept() throws Exception {
        Path file = dir.resolve("unterminated.jsonl");
        Files.writeString(file, "{\"a\":1}\n{\"b\":2}", StandardCharsets.UTF_8);
        write(new JsonlSinkConfig(file, false, 100), TestSupport.bodies(obj("n", 1)));
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"n\":1}");

        Path onlyFragment = dir.resolve("fragment.jsonl");
        Files.writeString(onlyFragment, "{\"a\":", StandardCharsets.UTF_8);
        write(new JsonlSinkConfig(onlyFragment, false, 100), TestSupport.bodies(obj("n", 1)));
        assertThat(Files.readAllLines(onlyFragment)).containsExactly("{\"n\":1}");
    }

    @Test
    void aFileDeletedWhileOpenIsCreatedAgain() throws Exception {
        Path file = dir.resolve("rotated/out.jsonl");
        write(new JsonlSinkConfig(file, false, 10), ctx -> {
            ctx.emit(TestSupport.json(obj("n", 1)));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!(Files.exists(file) && Files.size(file) > 0) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Files.delete(file); // e.g. log rotation
            ctx.emit(TestSupport.json(obj("n", 2)));
        });
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":2}");
    }

    // Bug 19: setup errors are one line naming the path and the cause.
    @Test
    void aPathThatCannotBeWrittenFailsTheSetupWithOneLine() throws Exception {
        Path aFile = Files.writeString(dir.resolve("x.txt"), "not a directory");
        Path below = aFile.resolve("sub/out.jsonl");
        assertThatThrownBy(() -> write(new JsonlSinkConfig(below), TestSupport.bodies(obj("n", 1))))
                .isInstanceOf(PipelineStartException.class)
                .hasMessage("setup of component 'file' failed: jsonl_sink: cannot write to " + below.toAbsolutePath()
                        + ": " + aFile.toAbsolutePath() + " is a file, not a directory");
        Path directory = Files.createDirectories(dir.resolve("a-directory"));
        assertThatThrownBy(() -> write(new JsonlSinkConfig(directory), TestSupport.bodies(obj("n", 1))))
                .isInstanceOf(PipelineStartException.class)
                .hasMessage("setup of component 'file' failed: jsonl_sink: cannot write to "
                        + directory.toAbsolutePath() + ": it is a directory");
    }
}
