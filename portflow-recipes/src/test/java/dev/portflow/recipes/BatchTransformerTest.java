package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.runtime.DrainReport;
import dev.portflow.runtime.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BatchTransformerTest {

    private final TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();

    private Pipeline batch(BatchConfig config, Source<JsonMessage> source) throws InterruptedException {
        return run(pipeline(config, source));
    }

    private dev.portflow.runtime.PipelineBuilder pipeline(BatchConfig config, Source<JsonMessage> source) {
        return Pipeline.builder("batching")
                .source("in", JsonMessage.class, source)
                .transformer("batch", JsonMessage.class, JsonMessage.class, new BatchTransformer(config))
                .sink("out", JsonMessage.class, out)
                .connect("in.out_events", "batch.in_events")
                .connect("batch.out_batches", "out.in_batches");
    }

    private static List<Integer> counts(TestSupport.Capture<JsonMessage> capture) {
        return capture.received.stream()
                .map(m -> (Integer) m.fields().get("count"))
                .toList();
    }

    @Test
    void bySizeWithThePartialBatchAtEndOfStream() throws Exception {
        batch(
                new BatchConfig(3, null),
                TestSupport.bodies(
                        obj("n", 0), obj("n", 1), obj("n", 2), obj("n", 3), obj("n", 4), obj("n", 5), obj("n", 6)));

        assertThat(counts(out)).containsExactly(3, 3, 1);
        assertThat(out.received.get(0).body())
                .isEqualTo(obj("items", List.of(obj("n", 0), obj("n", 1), obj("n", 2)), "count", 3));
        assertThat(out.received.get(2).body()).isEqualTo(obj("items", List.of(obj("n", 6)), "count", 1));
        assertThat(out.received).extracting(JsonMessage::id).doesNotHaveDuplicates();
    }

    /** Emits {@code first}, waits until {@code until} holds (5 s at most), then emits {@code then}. */
    private static Source<JsonMessage> emitWaitEmit(
            List<JsonMessage> first, BooleanSupplier until, List<JsonMessage> then) {
        return ctx -> {
            for (JsonMessage m : first) {
                ctx.emit(m);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!until.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            for (JsonMessage m : then) {
                ctx.emit(m);
            }
        };
    }

    @Test
    void byWindowEvenWhenNoFurtherMessageArrives() throws Exception {
        JsonMessage a = TestSupport.json(obj("n", "a"));
        JsonMessage b = TestSupport.json(obj("n", "b"));
        JsonMessage c = TestSupport.json(obj("n", "c"));
        long start = System.nanoTime();
        batch(new BatchConfig(100, 50L), emitWaitEmit(List.of(a, b), () -> !out.received.isEmpty(), List.of(c)));

        // The first batch arrived while the source was still waiting for it: the window ended it.
        assertThat(counts(out)).containsExactly(2, 1);
        assertThat(out.received.get(0).fields().get("items")).isEqualTo(List.of(a.body(), b.body()));
        assertThat(out.received.get(1).fields().get("items")).isEqualTo(List.of(c.body()));
        assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void windowOnlyAndSizeFirst() throws Exception {
        batch(new BatchConfig(null, 10_000L), TestSupport.bodies(1, 2, 3));
        assertThat(counts(out)).containsExactly(3); // the window never passed: flushed at end of stream
        out.received.clear();
        batch(new BatchConfig(2, 10_000L), TestSupport.bodies(1, 2, 3, 4, 5));
        assertThat(counts(out)).containsExactly(2, 2, 1);
    }

    @Test
    void theBatchIsAsOldAsItsOldestItem() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        batch(
                new BatchConfig(3, null),
                TestSupport.source(
                        new JsonMessage("1", t0.plusSeconds(5), null, 1),
                        new JsonMessage("2", t0.plusSeconds(1), t0.plusSeconds(3), 2),
                        new JsonMessage("3", t0.plusSeconds(9), t0.plusSeconds(2), 3)));
        JsonMessage batch = out.received.getFirst();
        assertThat(batch.ingestTime()).isEqualTo(t0.plusSeconds(1));
        assertThat(batch.declaredEventTime()).isEqualTo(t0.plusSeconds(2));
    }

    @Test
    void drainingFlushesThePartialBatch() throws Exception {
        TestSupport.Capture<JsonMessage> before = out;
        Pipeline pipeline = pipeline(
                        new BatchConfig(1_000_000, null),
                        new GeneratorSource(new GeneratorConfig(2000, null, (String) null)))
                .build()
                .start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.inputPort("batch", "in_events").metrics().messagesIn() >= 20);
        DrainReport report = pipeline.drain(Duration.ofSeconds(5));

        assertThat(report.completed()).isTrue();
        assertThat(before.received).hasSize(1);
        long emitted = pipeline.outputPort("in", "out_events").metrics().messagesOut();
        assertThat((Integer) before.received.getFirst().fields().get("count")).isEqualTo((int) emitted);
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> new BatchConfig(null, null))
                .hasMessage("batch: give 'size' (messages per batch, >= 1), 'window_ms' (milliseconds after a batch's"
                        + " first message, >= 1), or both");
        assertThatThrownBy(() -> new BatchConfig(0, null))
                .hasMessage("batch: 'size' must be a whole number of messages >= 1, was 0");
        assertThatThrownBy(() -> new BatchConfig(5, 0L))
                .hasMessage("batch: 'window_ms' must be a whole number of milliseconds >= 1, was 0");
        assertThat(new BatchConfig(null, 250L).maxSize()).isEqualTo(BatchConfig.DEFAULT_MAX_SIZE);
    }
}
