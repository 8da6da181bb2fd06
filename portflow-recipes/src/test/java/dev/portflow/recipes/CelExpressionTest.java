package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CelExpressionTest {

    @Test
    void comparesJsonIntegersAndDecimalsAlike() {
        CelExpression big = CelExpression.compileCondition("condition", "amount > 100");
        assertThat(big.test(obj("amount", 150))).isTrue();
        assertThat(big.test(obj("amount", 150.5))).isTrue();
        assertThat(big.test(obj("amount", 150L))).isTrue();
        assertThat(big.test(obj("amount", new BigDecimal("100.01")))).isTrue();
        assertThat(big.test(obj("amount", 100))).isFalse();
        assertThat(big.test(obj("amount", 99.99))).isFalse();
        assertThat(CelExpression.compileCondition("c", "n == 2").test(obj("n", 2.0)))
                .isTrue();
        assertThat(CelExpression.compileCondition("c", "n < 1.5").test(obj("n", 1)))
                .isTrue();
    }

    @Test
    void integersStayIntegersAndHugeOnesAreRefusedNotRounded() {
        assertThat(CelExpression.compile("k", "n + 1").evaluate(obj("n", 41))).isEqualTo(42L);
        assertThat(CelExpression.compile("k", "n * 2.0").evaluate(obj("n", 1.25)))
                .isEqualTo(2.5);
        assertThat(CelExpression.compile("k", "double(n) * 2.0").evaluate(obj("n", 3)))
                .isEqualTo(6.0);
        assertThat(CelExpression.compile("k", "n").evaluate(obj("n", BigInteger.valueOf(Long.MAX_VALUE))))
                .isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() ->
                        CelExpression.compile("k", "n").evaluate(obj("n", new BigInteger("100000000000000000000"))))
                .isInstanceOf(ExpressionException.class)
                .hasMessage(
                        "'k' (n): field 'n' is 100000000000000000000: integers beyond 64 bits are not supported by CEL expressions");
        assertThatThrownBy(() -> CelExpression.compile("k", "1.0 / 0.0").evaluate(obj()))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("'k' (1.0 / 0.0): the value is Infinity, which JSON cannot hold");
        assertThatThrownBy(() -> CelExpression.compile("k", "size(message)")
                        .evaluate(obj("a", List.of(1, obj("b", Double.NaN)))))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("'k' (size(message)): field 'a[1].b' is NaN, which JSON cannot hold");
    }

    @Test
    void mixedArithmeticIsAnEvaluationError() {
        CelExpression twice = CelExpression.compile("fields.twice", "amount * 2");
        assertThatThrownBy(() -> twice.evaluate(obj("amount", 1.5)))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("'fields.twice' (amount * 2) failed")
                .hasMessageContaining("No matching overload");
    }

    @Test
    void messageIsTheWholeBody() {
        assertThat(CelExpression.compileCondition("c", "has(message.discount)").test(obj("amount", 1)))
                .isFalse();
        assertThat(CelExpression.compileCondition("c", "has(message.discount) && discount > 0")
                        .test(obj("amount", 1)))
                .isFalse();
        assertThat(CelExpression.compile("c", "message['event-type']").evaluate(obj("event-type", "click")))
                .isEqualTo("click");
        assertThat(CelExpression.compile("c", "size(message)").evaluate(List.of(1, 2, 3)))
                .isEqualTo(3L);
    }

    @Test
    void nestedValuesAndMacros() {
        Map<String, Object> order = obj(
                "customer",
                obj("address", obj("city", "Lyon")),
                "lines",
                List.of(obj("qty", 2, "price", 3.5), obj("qty", 0, "price", 9)));
        assertThat(CelExpression.compile("k", "customer.address.city").evaluate(order))
                .isEqualTo("Lyon");
        assertThat(CelExpression.compile("k", "lines.filter(l, l.qty > 0).map(l, l.price)")
                        .evaluate(order))
                .isEqualTo(List.of(3.5));
        assertThat(CelExpression.compileCondition("k", "lines.exists(l, l.qty == 0)")
                        .test(order))
                .isTrue();
    }

    @Test
    void resultsComeBackAsJsonValues() {
        Object result = CelExpression.compile(
                        "k",
                        "{'n': 1, 'd': 2.5, 's': 'x', 'b': true, 'z': null, 'l': [1u], 't': timestamp('2026-01-31T12:00:00Z'),"
                                + " 'dur': duration('1500ms'), 'bytes': b'hi'}")
                .evaluate(obj());
        assertThat(result)
                .isEqualTo(obj(
                        "n",
                        1L,
                        "d",
                        2.5,
                        "s",
                        "x",
                        "b",
                        true,
                        "z",
                        null,
                        "l",
                        List.of(1L),
                        "t",
                        "2026-01-31T12:00:00Z",
                        "dur",
                        "1.5s",
                        "bytes",
                        "aGk="));
    }

    @Test
    void aMissingFieldIsAClearError() {
        CelExpression expression = CelExpression.compileCondition("condition", "amount > 100");
        assertThatThrownBy(() -> expression.test(obj("price", 3)))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("reads field 'amount', which the message does not have")
                .hasMessageContaining("has(message.amount)");
    }

    @Test
    void runtimeErrorsAndWrongResultTypes() {
        assertThatThrownBy(() -> CelExpression.compile("k", "a / b").evaluate(obj("a", 1, "b", 0)))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("by zero");
        assertThatThrownBy(() ->
                        CelExpression.compileCondition("condition", "amount").test(obj("amount", 3)))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("must produce a boolean, but produced Long 3");
        assertThatThrownBy(() -> CelExpression.compile("k", "a.b").evaluate(obj("a", obj())))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("key 'b' is not present");
    }

    @Test
    void badExpressionsAreConfigurationErrors() {
        assertThatThrownBy(() -> CelExpression.compileCondition("condition", "amount >"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'condition' is not a valid CEL expression: \"amount >\"")
                .hasMessageContaining("condition:1:");
        assertThatThrownBy(() -> CelExpression.compile("k", "launch(missiles)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("undeclared reference to 'launch'");
        assertThatThrownBy(() -> CelExpression.compileCondition("condition", "1 + 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "'condition' must be a CEL expression producing a boolean (true/false), but \"1 + 2\" produces int");
        assertThatThrownBy(() -> CelExpression.compileCondition("condition", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'condition' must be a CEL expression")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> CelExpression.compile("items", "'a'", CelExpression.Expect.LIST))
                .hasMessageContaining("must be a CEL expression producing a list, but \"'a'\" produces string");
    }

    @Test
    void comprehensionsAreBounded() {
        CelExpression huge = CelExpression.compileCondition("c", "xs.all(x, x >= 0)");
        List<Integer> many = java.util.Collections.nCopies(CelExpression.MAX_COMPREHENSION_ITERATIONS + 1, 1);
        assertThatThrownBy(() -> huge.test(obj("xs", many))).isInstanceOf(ExpressionException.class);
    }
}
