package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The record key read from a field of a JSON message: its bytes, and the messages that have none. */
class JsonFieldKeyTest {

    record Order(String customer, int amount) {}

    record Tagged(List<String> customer) {}

    private static JsonMessage json(@Nullable Object body) {
        return new JsonMessage("m-1", Instant.EPOCH, null, body);
    }

    private static @Nullable String text(byte @Nullable [] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    @Test
    void aStringIsItsTextAndANumberOrBooleanItsJsonText() {
        JsonFieldKey key = JsonFieldKey.of("customer");
        assertThat(key.keyOf(json(Map.of("customer", "c-42", "n", 1))))
                .isEqualTo("c-42".getBytes(StandardCharsets.UTF_8));
        assertThat(text(key.keyOf(json(Map.of("customer", "Zoë ✓"))))).isEqualTo("Zoë ✓");
        assertThat(text(key.keyOf(json(Map.of("customer", 42))))).isEqualTo("42");
        assertThat(text(key.keyOf(json(Map.of("customer", 42L))))).isEqualTo("42");
        assertThat(text(key.keyOf(json(Map.of("customer", 4.5))))).isEqualTo("4.5");
        assertThat(text(key.keyOf(json(Map.of("customer", 5.0)))))
                .as("5.0 is not the key 5")
                .isEqualTo("5.0");
        assertThat(text(key.keyOf(json(Map.of("customer", new BigDecimal("1.50"))))))
                .isEqualTo("1.50");
        assertThat(text(key.keyOf(json(Map.of("customer", true))))).isEqualTo("true");
        assertThat(text(key.keyOf(json(Map.of("customer", "")))))
                .as("an empty string is a key like any other")
                .isEqualTo("");
        assertThat(key.unkeyed()).isZero();
    }

    @Test
    void theKeyIsTheTextTheRecordsValueHasForTheField() {
        // a parsed document, as the ingress makes it, keyed the same as the value the codec writes
        JsonMapper mapper = JsonMapper.builder().build();
        Object body = mapper.readValue("{\"customer\": 7, \"price\": 1e2, \"vip\": false}", Object.class);
        MessageCodec<JsonMessage> codec = MessageCodec.jsonMessages("price");
        JsonMessage message = json(body);
        String value = new String(codec.encode(message, new RecordHeaders()), StandardCharsets.UTF_8);
        String key = text(codec.key(message));
        assertThat(key).isEqualTo("100.0");
        assertThat(value).contains("\"price\":" + key + ",");
        assertThat(text(MessageCodec.jsonMessages("customer").key(message))).isEqualTo("7");
        assertThat(text(MessageCodec.jsonMessages("vip").key(message))).isEqualTo("false");
    }

    @Test
    void aMapAJsonTreeOrARecordIsReadToo() {
        JsonFieldKey key = JsonFieldKey.of("customer");
        assertThat(text(key.keyOf(Map.of("customer", "c-1")))).isEqualTo("c-1");
        assertThat(text(key.keyOf(JsonMapper.builder().build().readTree("{\"customer\":\"c-2\"}"))))
                .isEqualTo("c-2");
        assertThat(text(key.keyOf(JsonMapper.builder().build().readTree("{\"customer\":12}"))))
                .isEqualTo("12");
        assertThat(text(key.keyOf(new Order("c-3", 5)))).isEqualTo("c-3");
        assertThat(text(JsonFieldKey.of("amount").keyOf(new Order("c-3", 5)))).isEqualTo("5");
        assertThat(key.unkeyed()).isZero();
    }

    @Test
    void withoutAUsableValueTheRecordIsUnkeyedCountedAndLoggedOnce() {
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
        Logger jul = Logger.getLogger("dev.portflow.kafka");
        jul.addHandler(handler);
        JsonFieldKey key = JsonFieldKey.of("customer", "records of kafka connection a.out_x -> b.in_x");
        Map<String, Object> nullCustomer = new HashMap<>();
        nullCustomer.put("customer", null);
        try {
            assertThat(key.keyOf(json(Map.of("n", 1)))).as("missing").isNull();
            assertThat(key.keyOf(json(nullCustomer))).as("null").isNull();
            assertThat(key.keyOf(json(Map.of("customer", Map.of("id", 1)))))
                    .as("an object")
                    .isNull();
            assertThat(key.keyOf(json(Map.of("customer", List.of(1, 2)))))
                    .as("an array")
                    .isNull();
            assertThat(key.keyOf(json(List.of(1, 2)))).as("not an object").isNull();
            assertThat(key.keyOf(json("text"))).as("not an object").isNull();
            assertThat(key.keyOf(json(null))).as("JSON null").isNull();
            assertThat(key.keyOf(new Tagged(List.of("a"))))
                    .as("a record's list")
                    .isNull();
            assertThat(key.keyOf(JsonMapper.builder().build().readTree("{\"customer\":null}")))
                    .as("a tree's null")
                    .isNull();
        } finally {
            jul.removeHandler(handler);
        }
        assertThat(key.unkeyed()).isEqualTo(9);
        assertThat(records).as("one warning a minute at most").hasSize(1);
        assertThat(records.getFirst().getLevel()).isEqualTo(Level.WARNING);
        assertThat(records.getFirst().getMessage())
                .isEqualTo("records of kafka connection a.out_x -> b.in_x are keyed by field 'customer', but message"
                        + " m-1 has no field 'customer': it is sent unkeyed (the producer spreads unkeyed records over"
                        + " the partitions; there is no key whose order to keep); the first such message");
    }

    @Test
    void aFieldNameIsOneTopLevelName() {
        for (String good : List.of("customer_id", "customer-id", "_id", "Kunde", "größe", "a1")) {
            assertThat(JsonFieldKey.isFieldName(good)).as(good).isTrue();
        }
        for (String bad :
                Arrays.asList("", " ", "customer.id", "1st", "-x", "customer id", "a\nb", "x".repeat(256), null)) {
            assertThat(JsonFieldKey.isFieldName(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(JsonFieldKey.isFieldName("x".repeat(255))).isTrue();
        assertThatThrownBy(() -> JsonFieldKey.of("customer.id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'customer.id' is not a field name: " + JsonFieldKey.FIELD_NAME_RULE);
        assertThatThrownBy(() -> MessageCodec.jsonMessages(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'' is not a field name");
    }

    @Test
    void keyedByChangesTheKeyOnly() {
        MessageCodec<JsonMessage> plain = MessageCodec.jsonMessages();
        MessageCodec<JsonMessage> keyed = plain.keyedBy(m -> "k".getBytes(StandardCharsets.UTF_8));
        JsonMessage message = json(Map.of("n", 1));
        assertThat(text(plain.key(message))).as("by id").isEqualTo("m-1");
        assertThat(text(keyed.key(message))).isEqualTo("k");
        assertThat(keyed.type()).isEqualTo(JsonMessage.class);
        assertThat(keyed.encode(message, new RecordHeaders())).isEqualTo(plain.encode(message, new RecordHeaders()));
        assertThat(text(keyed.checked(m -> null).key(message)))
                .as("kept under checked")
                .isEqualTo("k");
    }
}
