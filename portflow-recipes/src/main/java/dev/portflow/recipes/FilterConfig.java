package dev.portflow.recipes;

import java.util.Map;

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

    /** Reads the blueprint form: {@code condition} (required). */
    public static FilterConfig fromMap(Map<String, ?> config) {
        ConfigMap c = new ConfigMap(RECIPE, config, "condition");
        if (!c.has("condition")) {
            throw ConfigMap.missing(
                    RECIPE, "condition", "a CEL expression producing true or false, e.g. \"amount > 100\"");
        }
        return new FilterConfig(c.string("condition"));
    }
}
