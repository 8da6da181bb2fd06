package dev.portflow.blueprint.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.message.JsonMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of {@code ordering: key}, made by the key maker on the class path (portflow-recipes' CEL one). */
class KeyExpressionsTest {

    @Test
    void theKeyFunctionReadsAFieldOrACelExpressionOfTheMessage() {
        ClassLoader loader = getClass().getClassLoader();
        var message =
                new JsonMessage("m-1", java.time.Instant.EPOCH, null, Map.of("customer", Map.of("id", "c-7"), "n", 3));
        assertThat(KeyExpressions.function("customer.id", "audit", loader).apply(message))
                .isEqualTo("c-7");
        assertThat(KeyExpressions.function("n", "audit", loader).apply(message)).isEqualTo(3L);
        assertThat(KeyExpressions.function("n", "audit", loader).apply(Map.of("n", 3)))
                .as("a user class's map message")
                .isEqualTo(3L);
        assertThat(KeyExpressions.function("n", "audit", loader).apply(Map.of("m", 3)))
                .as("no such field")
                .isNull();
        assertThat(KeyExpressions.complaint("customer.", loader)).contains("is not a valid CEL expression");
        assertThat(KeyExpressions.complaint("customer.id", loader)).isNull();
    }
}
