package dev.portflow.recipes;

/**
 * Configuration of the {@code filter} recipe.
 *
 * @param condition a CEL expression producing a boolean over the message's fields, e.g.
 *                  {@code amount > 100 && currency == "EUR"} (see {@link CelExpression})
 */
public record FilterConfig(String condition) {

    static final String RECIPE = "filter";

    public FilterConfig {
        compile(condition);
    }

    static CelExpression compile(String condition) {
        try {
            return CelExpression.compileCondition("condition", condition);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RECIPE + ": " + e.getMessage(), e);
        }
    }
}
