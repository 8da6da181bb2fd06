package dev.portflow.recipes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of the {@code map} recipe.
 *
 * @param fields  output field name to CEL expression, in order, e.g.
 *                {@code {total: "double(price) * double(quantity)", currency: "'EUR'"}}; every
 *                expression sees the incoming message, not the fields computed before it
 * @param replace {@code false} (default): the output is the incoming fields plus (or overwritten by)
 *                the computed ones; {@code true}: only the computed fields
 */
public record MapConfig(Map<String, String> fields, boolean replace) {

    static final String RECIPE = "map";

    public MapConfig {
        if (fields == null || fields.isEmpty()) {
            throw ConfigProblems.missing(
                    RECIPE,
                    "fields",
                    "a mapping of output field name to CEL expression, e.g. {total: \"price * quantity\"}");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getKey() == null || field.getKey().isEmpty()) {
                throw ConfigProblems.problem(RECIPE, "fields", "a mapping with non-empty field names", fields);
            }
            copy.put(field.getKey(), field.getValue());
        }
        fields = Collections.unmodifiableMap(copy);
        compile(fields);
    }

    /** The computed fields are added to the incoming ones ({@code replace = false}). */
    public MapConfig(Map<String, String> fields) {
        this(fields, false);
    }

    static Map<String, CelExpression> compile(Map<String, String> fields) {
        Map<String, CelExpression> compiled = new LinkedHashMap<>();
        fields.forEach((name, expression) -> {
            try {
                compiled.put(name, CelExpression.compile("fields." + name, expression));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(RECIPE + ": " + e.getMessage(), e);
            }
        });
        return compiled;
    }
}
