package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bug 7: dead letters keep the failed message as JSON, with its id, within 64 KiB. */
@Timeout(30)
class DocumentsTest {

    @TempDir
    Path dir;

    private static ErrorEnvelope failed(Object payload) {
        return ErrorEnvelope.of("shop", "big", "in_orders", new ExpressionException("boom"), payload);
    }

    /** The dead letter as a reader of the file sees it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> written(ErrorEnvelope envelope) {
        return (Map<String, Object>) Json.parse(Json.write(Documents.withMetadata(Documents.of(envelope))));
    }

    @Test
    void aDeadLetterHoldsTheFailedMessageAsJsonWithItsId() throws Exception {
        Path file = dir.resolve("dead.jsonl");
        Map<String, Object> body = obj(
                "amount",
                "x",
                "qty",
                3,
                "price",
                2.5,
                "ok",
                true,
                "none",
                null,
                "customer",
                obj("id", 7, "tags", List.of("a", 1)));
        JsonMessage order = new JsonMessage(
                "order-1", Instant.parse("2026-01-31T12:00:00Z"), Instant.parse("2026-01-31T11:59:00Z"), body);
        run(Pipeline.builder("shop")
                .source("in", JsonMessage.class, TestSupport.source(order))
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

        Map<?, ?> line = (Map<?, ?>)
                Json.parse(Files.readAllLines(file, StandardCharsets.UTF_8).getFirst());
        assertThat(line.get("payload")).isEqualTo(body); // numbers as numbers, objects as objects
        assertThat(line.get("payload_id")).isEqualTo("order-1");
        assertThat(line.get("payload_event_time")).isEqualTo("2026-01-31T11:59:00Z");
        assertThat(line.get("payload_truncated")).isEqualTo(false);
        assertThat(line.get("error_type")).isEqualTo("ExpressionException");
    }

    @Test
    void aPayloadOver64KiBIsItsJsonTextCut() {
        String blob = "é".repeat(40_000); // 80,000 UTF-8 bytes
        Map<String, Object> letter = written(failed(TestSupport.json(obj("id", "big-1", "blob", blob))));
        assertThat(letter.get("payload_truncated")).isEqualTo(true);
        assertThat(letter.get("payload")).isInstanceOfSatisfying(String.class, text -> {
            assertThat(text).startsWith("{\"id\":\"big-1\",\"blob\":\"ééé");
            assertThat(text.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(ErrorEnvelope.MAX_PAYLOAD_BYTES)
                    .isGreaterThan(ErrorEnvelope.MAX_PAYLOAD_BYTES - 4);
        });
    }

    record Order(String id, double amount, List<String> tags) {}

    record Unreadable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("cannot be read");
        }

        @Override
        public String toString() {
            return "Unreadable[?]";
        }
    }

    @Test
    void aPayloadThatIsNotJsonFallsBackToItsTextAndSaysWhy() {
        Map<String, Object> record = written(failed(new Order("o-1", 12.5, List.of("x"))));
        assertThat(record.get("payload")).isEqualTo(obj("id", "o-1", "amount", 12.5, "tags", List.of("x")));
        assertThat(record).doesNotContainKey("payload_error");

        Map<String, Object> unreadable = written(failed(new Unreadable("v")));
        assertThat(unreadable.get("payload")).isEqualTo("Unreadable[?]");
        assertThat((String) unreadable.get("payload_error"))
                .startsWith("cannot write the message as JSON: ")
                .contains("cannot be read");

        Map<String, Object> infinite = written(failed(TestSupport.json(obj("ratio", Double.POSITIVE_INFINITY))));
        assertThat(infinite.get("payload")).isEqualTo("{ratio=Infinity}");
        assertThat(infinite.get("payload_error"))
                .isEqualTo("cannot write the message as JSON: field 'ratio' is Infinity, which JSON cannot hold");
        assertThat(infinite.get("payload_id")).isNotNull();
    }

    @Test
    void aTextPayloadStaysText() {
        Map<String, Object> letter = written(failed("{not json"));
        assertThat(letter.get("payload")).isEqualTo("{not json");
        assertThat(letter.get("payload_truncated")).isEqualTo(false);
    }
}
