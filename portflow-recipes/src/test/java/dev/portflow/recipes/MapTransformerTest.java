package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MapTransformerTest {

    private final TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
    private final TestSupport.Capture<ErrorEnvelope> errors = new TestSupport.Capture<>();

    private void map(MapConfig config, JsonMessage... messages) throws InterruptedException {
        run(dev.portflow.runtime.Pipeline.builder("enrich")
                .source("in", JsonMessage.class, TestSupport.source(messages))
                .transformer("calc", JsonMessage.class, JsonMessage.class, new MapTransformer(config))
                .sink("out", JsonMessage.class, out)
                .sink("errors", ErrorEnvelope.class, errors)
                .connect("in.out_orders", "calc.in_orders")
                .connect("calc.out_orders", "out.in_orders")
                .connect("calc.err_orders", "errors.in_errors"));
    }

    private static Map<String, String> fields(String... nameAndExpression) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i < nameAndExpression.length; i += 2) {
            f.put(nameAndExpression[i], nameAndExpression[i + 1]);
        }
        return f;
    }

    @Test
    void addsAndOverwritesFieldsKeepingIdAndTimes() throws Exception {
        JsonMessage order = new JsonMessage(
                "order-1",
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2025-12-31T23:59:00Z"),
                obj("price", 2.5, "qty", 4, "status", "new"));
        map(
                new MapConfig(
                        fields("total", "price * double(qty)", "status", "'priced'", "big", "price * double(qty) > 5")),
                order);

        JsonMessage result = out.received.getFirst();
        assertThat(result.id()).isEqualTo("order-1");
        assertThat(result.ingestTime()).isEqualTo(order.ingestTime());
        assertThat(result.declaredEventTime()).isEqualTo(order.declaredEventTime());
        assertThat(result.body())
                .isEqualTo(obj("price", 2.5, "qty", 4, "status", "priced", "total", 10.0, "big", true));
        assertThat(order.fields()).containsEntry("status", "new"); // the input is not modified
    }

    @Test
    void replaceKeepsOnlyTheComputedFields() throws Exception {
        map(
                new MapConfig(fields("sku", "item.sku", "n", "size(tags)", "first", "tags[0]"), true),
                TestSupport.json(obj("item", obj("sku", "A-1"), "tags", List.of("x", "y"))));
        assertThat(out.bodies()).containsExactly(obj("sku", "A-1", "n", 2L, "first", "x"));
    }

    @Test
    void everyExpressionSeesTheIncomingMessage() throws Exception {
        map(new MapConfig(fields("a", "b", "b", "a")), TestSupport.json(obj("a", 1, "b", 2)));
        assertThat(out.bodies()).containsExactly(obj("a", 2L, "b", 1L));
    }

    @Test
    void evaluationErrorsGoToTheErrorPort() throws Exception {
        map(
                new MapConfig(fields("total", "price * qty")),
                TestSupport.json(obj("price", 2, "qty", 3)),
                TestSupport.json(obj("price", 2.5, "qty", 3)),
                TestSupport.json(obj("qty", 3)));
        assertThat(out.bodies()).containsExactly(obj("price", 2, "qty", 3, "total", 6L));
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .satisfiesExactly(
                        m -> assertThat(m)
                                .contains("'fields.total' (price * qty) failed")
                                .contains("No matching overload"),
                        m -> assertThat(m).contains("reads field 'price', which the message does not have"));
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> new MapConfig(Map.of()))
                .hasMessageStartingWith("map: 'fields' is required: a mapping of output field name to CEL expression");
        assertThatThrownBy(() -> new MapConfig(fields("total", "price *")))
                .hasMessageStartingWith("map: 'fields.total' is not a valid CEL expression: \"price *\"");
        assertThat(new MapConfig(fields("a", "1"), true).replace()).isTrue();
    }

    // Bug 18: Infinity and NaN became the strings "Infinity" and "NaN" in the output.
    @Test
    void resultsJsonCannotHoldFailTheMessage() throws Exception {
        map(
                new MapConfig(fields("ratio", "double(a) / double(b)")),
                TestSupport.json(obj("a", 1, "b", 4)),
                TestSupport.json(obj("a", 1, "b", 0)),
                TestSupport.json(obj("a", 0, "b", 0)));
        map(new MapConfig(fields("parts", "[1.0, double(a) / 0.0]")), TestSupport.json(obj("a", -1)));
        assertThat(out.bodies()).containsExactly(obj("a", 1, "b", 4, "ratio", 0.25));
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .containsExactly(
                        "'fields.ratio' (double(a) / double(b)): field 'ratio' is Infinity, which JSON cannot hold",
                        "'fields.ratio' (double(a) / double(b)): field 'ratio' is NaN, which JSON cannot hold",
                        "'fields.parts' ([1.0, double(a) / 0.0]): field 'parts[1]' is -Infinity, which JSON cannot hold");
        assertThat(errors.received).extracting(ErrorEnvelope::errorType).containsOnly("ExpressionException");
    }

    // Bug 18: a huge integer gave "no matching overload", 1e400 "unknown found".
    @Test
    void inputNumbersCelCannotHoldFailTheMessage() throws Exception {
        map(
                new MapConfig(fields("twice", "n * 2")),
                TestSupport.json(obj("n", new BigInteger("123456789012345678901234567890"))),
                TestSupport.json(Json.parse("{\"n\": 1e400}")),
                TestSupport.json(obj("n", new BigDecimal("-1e400"))),
                TestSupport.json(obj("n", 21)));
        assertThat(out.bodies()).containsExactly(obj("n", 21, "twice", 42L));
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .containsExactly(
                        "'fields.twice' (n * 2): field 'n' is 123456789012345678901234567890: integers beyond 64 bits are not supported by CEL expressions",
                        "'fields.twice' (n * 2): field 'n' is Infinity, beyond the range of a double",
                        "'fields.twice' (n * 2): field 'n' is -1E+400, beyond the range of a double");
    }
}
