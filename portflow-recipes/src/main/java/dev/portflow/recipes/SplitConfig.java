package dev.portflow.recipes;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code split} recipe.
 *
 * @param items a CEL expression producing a list, e.g. {@code items} or
 *              {@code lines.filter(l, l.qty > 0)}; each element becomes one message
 */
public record SplitConfig(String items) {

    static final String RECIPE = "split";

    /** @throws IllegalArgumentException when {@code items} is missing ({@code null}) or does not compile */
    public SplitConfig(@Nullable String items) {
        compile(items);
        this.items = Objects.requireNonNull(items); // compile rejected null
    }

    static CelExpression compile(@Nullable String items) {
        try {
            return CelExpression.compile("items", items, CelExpression.Expect.LIST);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RECIPE + ": " + e.getMessage(), e);
        }
    }
}
