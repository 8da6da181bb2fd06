package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.SingleWorker;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.SendOutcome;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineDefinitionException;
import dev.portflow.runtime.Workers;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes under workers: several threads calling one instance at once, as a component with
 * {@code workers: N} is called. (The store's own tests cover it against both databases.)
 */
@Timeout(60)
class RecipesUnderWorkersTest {

    private static final int WORKERS = 8;
    private static final int MESSAGES = 2_000;

    @Test
    void jsonlSinkAndBatchMustRunOnOneWorkerAndSayWhy(@TempDir Path dir) {
        assertThat(JsonlSink.class.getAnnotation(SingleWorker.class).value()).isEqualTo("it appends to one file");
        assertThat(BatchTransformer.class.getAnnotation(SingleWorker.class).value())
                .isEqualTo("it holds one open batch");
        assertThatThrownBy(() -> Pipeline.builder("p")
                        .source("in", JsonMessage.class, TestSupport.source())
                        .sink("file", new JsonlSink(new JsonlSinkConfig(dir.resolve("out.jsonl"), true, 100)))
                        .workers("file", 2)
                        .connect("in.out_x", "file.in_x")
                        .build())
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("sink 'file' cannot have more than one worker: it appends to one file");
        assertThatThrownBy(() -> Pipeline.builder("p")
                        .source("in", JsonMessage.class, TestSupport.source())
                        .transformer(
                                "batch",
                                JsonMessage.class,
                                JsonMessage.class,
                                new BatchTransformer(new BatchConfig(10, null)))
                        .sink("out", JsonMessage.class, new TestSupport.Capture<>())
                        .workers("batch", Workers.between(1, 4))
                        .connect("in.out_x", "batch.in_x")
                        .connect("batch.out_x", "out.in_x")
                        .build())
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("transformer 'batch' cannot have more than one worker: it holds one open batch");
    }

    @Test
    void celRecipesGiveTheSameResultsFromManyThreadsAsFromOne() throws Exception {
        List<JsonMessage> messages = messages();
        FilterTransformer filter = new FilterTransformer(new FilterConfig("amount > 100 && currency == 'EUR'"));
        MapTransformer map = new MapTransformer(new MapConfig(Map.of(
                "total", "double(amount) * 2.0",
                "label", "name + '-' + currency",
                "lines", "size(message.lines)")));
        SplitTransformer split = new SplitTransformer(new SplitConfig("lines.filter(l, l.qty > 0)"));
        CelRouter router = new CelRouter(new RouterConfig(
                List.of(
                        new RouterConfig.Route("out_big", "amount >= 500"),
                        new RouterConfig.Route("out_eur", "currency == 'EUR'")),
                "out_rest"));

        sameFromManyThreads("filter", messages, m -> outcome(filter, m));
        sameFromManyThreads("map", messages, m -> outcome(map, m));
        sameFromManyThreads("split", messages, m -> outcome(split, m));
        sameFromManyThreads("router", messages, m -> {
            try {
                return router.route(m);
            } catch (RuntimeException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        });
    }

    @Test
    void logSinkFromManyThreadsLogsEveryMessageOnceAndWhole() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jul = Logger.getLogger("test.workers");
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
        try {
            LogSink sink = new LogSink(new LogSinkConfig(Level.INFO, "test.workers"));
            sink.setup(TestSupport.context("orders", "audit"));
            List<JsonMessage> messages = messages();
            assertThat(TestSupport.concurrently(WORKERS, w -> {
                        for (int i = w; i < messages.size(); i += WORKERS) {
                            sink.accept(messages.get(i));
                        }
                    }))
                    .isEmpty();
            assertThat(records).hasSize(messages.size());
            List<String> lines = records.stream().map(LogRecord::getMessage).toList();
            for (JsonMessage m : messages) {
                assertThat(lines)
                        .as("the line of " + m.id())
                        .containsOnlyOnce("[orders/audit] " + Json.write(Documents.withMetadata(m)));
            }
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void sleepHoldsEachWorkersMessageAtTheSameTime() throws Exception {
        SleepTransformer sleep = new SleepTransformer(new SleepConfig(300));
        List<JsonMessage> out = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        assertThat(TestSupport.concurrently(
                        WORKERS,
                        w -> sleep.transform(TestSupport.json(obj("w", w)), m -> {
                            out.add(m);
                            return SendOutcome.ACCEPTED;
                        })))
                .isEmpty();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(out).hasSize(WORKERS);
        assertThat(took)
                .as("8 sleeps of 300 ms at once, not one after the other")
                .isLessThan(Duration.ofMillis(1_500));
    }

    /**
     * Every worker handles every message (each starting at a different one), and each outcome must be
     * the one a single thread got for that message.
     */
    private static void sameFromManyThreads(
            String recipe, List<JsonMessage> messages, Function<JsonMessage, Object> call) throws InterruptedException {
        List<Object> expected = messages.stream().map(call).toList();
        Object[][] seen = new Object[WORKERS][messages.size()];
        assertThat(TestSupport.concurrently(WORKERS, w -> {
                    int n = messages.size();
                    for (int k = 0; k < n; k++) {
                        int i = (k + w * n / WORKERS) % n;
                        seen[w][i] = call.apply(messages.get(i));
                    }
                }))
                .isEmpty();
        for (int w = 0; w < WORKERS; w++) {
            for (int i = 0; i < messages.size(); i++) {
                assertThat(seen[w][i])
                        .as(recipe + ", worker " + w + ", message " + i)
                        .isEqualTo(expected.get(i));
            }
        }
    }

    /** What one call of a transformer emits (ids and bodies), or how it failed. */
    private static Object outcome(Transformer<JsonMessage, JsonMessage> transformer, JsonMessage message) {
        List<String> emitted = new ArrayList<>();
        try {
            transformer.transform(message, m -> {
                emitted.add(m.id() + " " + m.body());
                return SendOutcome.ACCEPTED;
            });
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return emitted;
    }

    /** Messages of varied shapes: integers and doubles, some fields missing or of the wrong type (those fail). */
    private static List<JsonMessage> messages() {
        List<JsonMessage> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Map<String, Object> body = obj(
                    "name",
                    "n" + i,
                    "currency",
                    i % 3 == 0 ? "EUR" : "USD",
                    "lines",
                    List.of(obj("qty", i % 4), obj("qty", 1), obj("qty", i % 2)));
            if (i % 11 != 0) {
                body.put("amount", i % 13 == 0 ? "many" : i % 7 == 0 ? i + 0.5 : (Object) (long) i);
            }
            messages.add(new JsonMessage("m-" + i, java.time.Instant.EPOCH.plusSeconds(i), null, Json.freeze(body)));
        }
        return List.copyOf(messages);
    }
}
