package dev.portflow.recipes;

import java.util.Map;

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

    /** Reads the blueprint form: {@code items} (required). */
    public static SplitConfig fromMap(Map<String, ?> config) {
        ConfigMap c = new ConfigMap(RECIPE, config, "items");
        if (!c.has("items")) {
            throw ConfigMap.missing(RECIPE, "items", "a CEL expression producing a list, e.g. \"items\"");
        }
        return new SplitConfig(c.string("items"));
    }
}
