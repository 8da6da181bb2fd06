package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The key of {@code ordering: key}: a field or a CEL expression, read from any message. */
class MessageKeyTest {

    private static JsonMessage json(Object body) {
        return TestSupport.json(body);
    }

    @Test
    void aFieldNameIsTheTopLevelField() {
        MessageKey key = MessageKey.of("customer_id");
        assertThat(key.apply(json(obj("customer_id", "c-1", "amount", 5)))).isEqualTo("c-1");
        assertThat(key.apply(json(obj("customer_id", 42)))).isEqualTo(42L);
        assertThat(key.apply(json(obj("customer_id", 42L))))
                .as("an Integer and a Long are one key")
                .isEqualTo(42L);
        assertThat(key.apply(json(obj("customer_id", null)))).isNull();
    }

    @Test
    void anythingElseIsACelExpressionOverTheMessage() {
        JsonMessage m = json(obj("customer", obj("id", "c-7", "region", "eu"), "customer-id", "x-1", "n", 3));
        assertThat(MessageKey.of("customer.id").apply(m)).isEqualTo("c-7");
        assertThat(MessageKey.of("message[\"customer-id\"]").apply(m)).isEqualTo("x-1");
        assertThat(MessageKey.of("customer.region + '/' + customer.id").apply(m))
                .isEqualTo("eu/c-7");
        assertThat(MessageKey.of("n % 2").apply(m)).isEqualTo(1L);
        assertThat(MessageKey.of("[customer.region, n]").apply(m)).isEqualTo(List.of("eu", 3L));
    }

    @Test
    void aFieldReadDirectlyGivesWhatTheExpressionWouldGive() {
        MessageKey direct = MessageKey.of("k");
        MessageKey viaCel = MessageKey.of("(k)");
        List<Object> values = Arrays.asList(
                "text",
                7,
                7L,
                (short) 7,
                2.5,
                2.5f,
                new BigDecimal("2.50"),
                BigInteger.valueOf(9),
                true,
                null,
                obj("a", 1, "b", List.of(1, 2.0)),
                List.of("x", 3));
        for (Object value : values) {
            JsonMessage m = json(obj("k", value));
            assertThat(direct.apply(m)).as("key of " + value).isEqualTo(viaCel.apply(m));
        }
        assertThat(direct.apply(json(obj("other", 1)))).isNull();
        assertThat(viaCel.apply(json(obj("other", 1)))).isNull();
    }

    /** A user class's own message type. */
    record Order(String customerId, int amount, Map<String, Object> address) {}

    @Test
    void otherMessagesAreReadAsJacksonRendersThem() {
        Order order = new Order("c-3", 120, Map.of("city", "Lyon"));
        assertThat(MessageKey.of("customerId").apply(order)).isEqualTo("c-3");
        assertThat(MessageKey.of("address.city").apply(order)).isEqualTo("Lyon");
        assertThat(MessageKey.of("amount > 100").apply(order)).isEqualTo(true);
        assertThat(MessageKey.of("n").apply(Map.of("n", 5)))
                .as("a map as it is")
                .isEqualTo(5L);
        assertThat(MessageKey.of("n").apply(null)).isNull();
        assertThat(MessageKey.of("n").apply("just text")).isNull();
    }

    @Test
    void anExpressionThatIsNotCelOrReadsNothingIsRefused() {
        assertThatThrownBy(() -> MessageKey.of("customer."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'key' is not a valid CEL expression: \"customer.\"")
                .hasMessageContaining("ERROR: key:1:");
        assertThatThrownBy(() -> MessageKey.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is empty");
        for (String constant : List.of("5", "'eu'", "true", "[1, 2].map(x, x * 2)")) {
            assertThatThrownBy(() -> MessageKey.of(constant))
                    .as(constant)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reads nothing of the message, so every message would have the same key");
        }
    }

    @Test
    void aKeyThatCannotBeReadIsNullAndLoggedOnce() {
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
        Logger jul = Logger.getLogger(MessageKey.class.getName());
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
        try {
            MessageKey key = MessageKey.of("customer.id", "audit");
            assertThat(key.apply(json(obj("customer", "not a map")))).isNull();
            assertThat(key.apply(json(obj("amount", 1)))).isNull();
            assertThat(key.apply(json(obj("customer", obj("id", "c-1"))))).isEqualTo("c-1");
            MessageKey field = MessageKey.of("n");
            assertThat(field.apply(json(obj("n", new BigInteger("123456789012345678901234567890")))))
                    .isNull();
            assertThat(field.apply(json(obj("m", 1)))).isNull();
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(true);
        }
        assertThat(records)
                .extracting(LogRecord::getMessage)
                .containsExactly(
                        "component 'audit': key (customer.id) cannot be read from a message, so it counts under the key null"
                                + " (such messages are handled one at a time, in order): 'key' (customer.id) failed: "
                                + records.getFirst().getMessage().replaceFirst(".*\\(customer\\.id\\) failed: ", ""),
                        "key (n) cannot be read from a message, so it counts under the key null (such messages are handled"
                                + " one at a time, in order): field 'n' is 123456789012345678901234567890: integers beyond 64 bits"
                                + " are not supported by CEL expressions; later messages like it are not logged");
    }

    @Test
    void keysFromManyThreadsAreTheKeysFromOne() throws Exception {
        MessageKey key = MessageKey.of("customer.region + '/' + string(n % 5)");
        List<JsonMessage> messages = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            messages.add(json(obj("customer", obj("region", i % 3 == 0 ? "eu" : "us"), "n", i)));
        }
        List<Object> expected = messages.stream().map(key).toList();
        Object[][] seen = new Object[8][messages.size()];
        assertThat(TestSupport.concurrently(8, w -> {
                    for (int i = 0; i < messages.size(); i++) {
                        seen[w][i] = key.apply(messages.get(i));
                    }
                }))
                .isEmpty();
        for (Object[] worker : seen) {
            assertThat(worker).containsExactly(expected.toArray());
        }
    }
}
