package dev.portflow.recipes;

import dev.portflow.component.Emitter;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;

/**
 * The {@code filter} recipe: passes the messages whose condition is true, unchanged. A false
 * condition drops the message as {@code filtered}; an evaluation error or a non-boolean result is
 * an {@link ExpressionException} for that message (counted, and its envelope goes to the
 * {@code err_*} port when one is connected). Any number of workers may call it at once: the compiled
 * condition is immutable (see {@link CelExpression}).
 */
public final class FilterTransformer implements Transformer<JsonMessage, JsonMessage> {

    private final FilterConfig config;
    private final CelExpression condition;

    public FilterTransformer(FilterConfig config) {
        this.config = config;
        this.condition = FilterConfig.compile(config.condition());
    }

    public FilterConfig config() {
        return config;
    }

    @Override
    public void transform(JsonMessage message, Emitter<JsonMessage> out) throws InterruptedException {
        if (condition.test(message.body())) {
            out.emit(message);
        }
    }
}
