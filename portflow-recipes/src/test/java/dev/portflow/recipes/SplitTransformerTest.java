package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.dropped;
import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SplitTransformerTest {

    private final TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
    private final TestSupport.Capture<ErrorEnvelope> errors = new TestSupport.Capture<>();

    private Pipeline split(String items, JsonMessage... messages) throws InterruptedException {
        return run(Pipeline.builder("lines")
                .source("in", JsonMessage.class, TestSupport.source(messages))
                .transformer(
                        "split", JsonMessage.class, JsonMessage.class, new SplitTransformer(new SplitConfig(items)))
                .sink("out", JsonMessage.class, out)
                .sink("errors", ErrorEnvelope.class, errors)
                .connect("in.out_orders", "split.in_orders")
                .connect("split.out_lines", "out.in_lines")
                .connect("split.err_orders", "errors.in_errors"));
    }

    @Test
    void oneMessagePerElementWithDerivedIds() throws Exception {
        JsonMessage order = new JsonMessage(
                "o-7",
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2025-12-31T00:00:00Z"),
                obj("lines", List.of(obj("sku", "a", "qty", 1), obj("sku", "b", "qty", 0), obj("sku", "c", "qty", 5))));
        split("lines.filter(l, l.qty > 0)", order);

        assertThat(out.received).extracting(JsonMessage::id).containsExactly("o-7-0", "o-7-1");
        assertThat(out.bodies()).containsExactly(obj("sku", "a", "qty", 1L), obj("sku", "c", "qty", 5L));
        assertThat(out.received).allSatisfy(m -> {
            assertThat(m.ingestTime()).isEqualTo(order.ingestTime());
            assertThat(m.declaredEventTime()).isEqualTo(order.declaredEventTime());
        });
    }

    @Test
    void scalarsAndComputedElements() throws Exception {
        split("tags.map(t, {'tag': t, 'order': id})", TestSupport.json(obj("id", "x", "tags", List.of("p", "q"))));
        assertThat(out.bodies()).containsExactly(obj("tag", "p", "order", "x"), obj("tag", "q", "order", "x"));
        out.received.clear();
        split("values", TestSupport.json(obj("values", List.of(1, 2.5, "s"))));
        assertThat(out.bodies()).containsExactly(1L, 2.5, "s");
    }

    @Test
    void emptyListsAreFilteredAndNonListsAreErrors() throws Exception {
        Pipeline pipeline = split(
                "items",
                TestSupport.json(obj("items", List.of())),
                TestSupport.json(obj("items", "not a list")),
                TestSupport.json(obj("other", 1)));
        assertThat(out.received).isEmpty();
        assertThat(dropped(pipeline, "split", "in_orders", "filtered")).isEqualTo(1);
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .satisfiesExactly(
                        m -> assertThat(m)
                                .isEqualTo("'items' (items) must produce a list, but produced String not a list"),
                        m -> assertThat(m).contains("reads field 'items', which the message does not have"));
    }

    @Test
    void badConfigurations() {
        assertThatThrownBy(() -> new SplitConfig("'abc'"))
                .hasMessage("split: 'items' must be a CEL expression producing a list, but \"'abc'\" produces string");
        assertThatThrownBy(() -> new SplitConfig("items["))
                .hasMessageStartingWith("split: 'items' is not a valid CEL expression: \"items[\"");
    }

    // Bug 18.
    @Test
    void elementsJsonCannotHoldFailTheMessage() throws Exception {
        split(
                "values.map(v, 1.0 / v)",
                TestSupport.json(obj("values", List.of(2.0, 0.0))),
                TestSupport.json(obj(
                        "values", List.of(obj("big", new java.math.BigInteger("123456789012345678901234567890"))))));
        assertThat(out.received).isEmpty();
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .containsExactly(
                        "'items' (values.map(v, 1.0 / v)): element 1: the value is Infinity, which JSON cannot hold",
                        "'items' (values.map(v, 1.0 / v)): field 'values[0].big' is 123456789012345678901234567890: integers beyond 64 bits are not supported by CEL expressions");
    }
}
