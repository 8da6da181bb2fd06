package dev.portflow.recipes;

/**
 * Configuration of the {@code split} recipe.
 *
 * @param items a CEL expression producing a list, e.g. {@code items} or
 *              {@code lines.filter(l, l.qty > 0)}; each element becomes one message
 */
public record SplitConfig(String items) {

    static final String RECIPE = "split";

    public SplitConfig {
        compile(items);
    }

    static CelExpression compile(String items) {
        try {
            return CelExpression.compile("items", items, CelExpression.Expect.LIST);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RECIPE + ": " + e.getMessage(), e);
        }
    }
}
