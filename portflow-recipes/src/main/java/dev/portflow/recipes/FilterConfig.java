package dev.portflow.recipes;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code filter} recipe.
 *
 * @param condition a CEL expression producing a boolean over the message's fields, e.g.
 *                  {@code amount > 100 && currency == "EUR"} (see {@link CelExpression})
 */
public record FilterConfig(String condition) {

    static final String RECIPE = "filter";

    /** @throws IllegalArgumentException when {@code condition} is missing ({@code null}) or does not compile */
    public FilterConfig(@Nullable String condition) {
        compile(condition);
        this.condition = Objects.requireNonNull(condition); // compile rejected null
    }

    static CelExpression compile(@Nullable String condition) {
        try {
            return CelExpression.compileCondition("condition", condition);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RECIPE + ": " + e.getMessage(), e);
        }
    }
}
