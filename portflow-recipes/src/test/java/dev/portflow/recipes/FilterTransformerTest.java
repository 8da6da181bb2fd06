package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.bodies;
import static dev.portflow.recipes.TestSupport.dropped;
import static dev.portflow.recipes.TestSupport.obj;
import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.component.Source;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FilterTransformerTest {

    private final TestSupport.Capture<JsonMessage> out = new TestSupport.Capture<>();
    private final TestSupport.Capture<ErrorEnvelope> errors = new TestSupport.Capture<>();

    private Pipeline filter(String condition, Source<JsonMessage> source) throws InterruptedException {
        return run(Pipeline.builder("orders")
                .source("api", JsonMessage.class, source)
                .transformer(
                        "big", JsonMessage.class, JsonMessage.class, new FilterTransformer(new FilterConfig(condition)))
                .sink("store", JsonMessage.class, out)
                .sink("errors", ErrorEnvelope.class, errors)
                .connect("api.out_orders", "big.in_orders")
                .connect("big.out_orders", "store.in_orders")
                .connect("big.err_orders", "errors.in_errors"));
    }

    @Test
    void passesMatchingMessagesUnchanged() throws Exception {
        JsonMessage whole = TestSupport.json(obj("id", "a", "amount", 150));
        JsonMessage decimal = TestSupport.json(obj("id", "b", "amount", 150.5));
        JsonMessage small = TestSupport.json(obj("id", "c", "amount", 50));
        JsonMessage edge = TestSupport.json(obj("id", "d", "amount", 100.0));
        Pipeline pipeline = filter("amount > 100", TestSupport.source(whole, decimal, small, edge));

        assertThat(out.received).containsExactly(whole, decimal);
        assertThat(errors.received).isEmpty();
        assertThat(dropped(pipeline, "big", "in_orders", "filtered")).isEqualTo(2);
        assertThat(pipeline.errorsFreeOf("big")).isTrue();
    }

    @Test
    void evaluationErrorsGoToTheErrorPort() throws Exception {
        Pipeline pipeline = filter(
                "amount > 100 && currency == 'EUR'",
                bodies(
                        obj("amount", 150, "currency", "EUR"),
                        obj("amount", 150), // no currency
                        obj("amount", "lots", "currency", "EUR"), // a string compared with a number
                        obj("amount", 120, "currency", "USD")));

        assertThat(out.bodies()).containsExactly(obj("amount", 150, "currency", "EUR"));
        assertThat(errors.received).hasSize(2);
        ErrorEnvelope missing = errors.received.get(0);
        assertThat(missing.component()).isEqualTo("big");
        assertThat(missing.port()).isEqualTo("in_orders");
        assertThat(missing.errorType()).isEqualTo("ExpressionException");
        assertThat(missing.message()).contains("reads field 'currency', which the message does not have");
        assertThat(missing.payloadText()).contains("amount=150");
        assertThat(errors.received.get(1).message()).contains("No matching overload");
        assertThat(pipeline.inputPort("big", "in_orders").metrics().errorsByType())
                .isEqualTo(Map.of("ExpressionException", 2L));
    }

    @Test
    void aNonBooleanResultIsAnError() throws Exception {
        filter("flag", bodies(obj("flag", true), obj("flag", "yes")));
        assertThat(out.bodies()).containsExactly(obj("flag", true));
        assertThat(errors.received)
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("must produce a boolean, but produced String yes"));
    }

    @Test
    void badConditionsAreConfigurationErrors() {
        assertThatThrownBy(() -> new FilterConfig("amount >> 100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("filter: 'condition' is not a valid CEL expression: \"amount >> 100\"");
        assertThatThrownBy(() -> new FilterConfig("amount + 1 > 'x' + 1"))
                .hasMessageContaining("filter: 'condition' is not a valid CEL expression")
                .hasMessageContaining("found no matching overload");
        assertThatThrownBy(() -> new FilterConfig("'yes'"))
                .hasMessage(
                        "filter: 'condition' must be a CEL expression producing a boolean (true/false), but \"'yes'\" produces string");
        assertThatThrownBy(() -> new FilterConfig(null))
                .hasMessage(
                        "filter: 'condition' must be a CEL expression producing a boolean (true/false), but it is missing");
    }

    // Bug 18: numbers CEL cannot hold are clear errors, wherever the expression reads them.
    @Test
    void numbersCelCannotHoldFailTheMessage() throws Exception {
        filter("n > 5", bodies(obj("n", new java.math.BigInteger("123456789012345678901234567890")), obj("n", 6)));
        filter("message.data.values[0] > 5", bodies(obj("data", obj("values", java.util.List.of(Double.NaN)))));
        assertThat(out.bodies()).containsExactly(obj("n", 6));
        assertThat(errors.received)
                .extracting(ErrorEnvelope::message)
                .containsExactly(
                        "'condition' (n > 5): field 'n' is 123456789012345678901234567890: integers beyond 64 bits are not supported by CEL expressions",
                        "'condition' (message.data.values[0] > 5): field 'data.values[0]' is NaN, which JSON cannot hold");
    }
}
