package dev.portflow.recipes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a recipe's {@code config:} map (as a YAML or JSON parser produced it) into typed values, with
 * error messages that name the recipe, the key, what is accepted and what was given.
 */
final class ConfigMap {

    private final String recipe;
    private final Map<String, ?> values;

    /**
     * @param accepted every key the recipe knows; any other key is an error (typos must not be ignored)
     */
    ConfigMap(String recipe, Map<String, ?> values, String... accepted) {
        this.recipe = recipe;
        this.values = values == null ? Map.of() : values;
        Set<String> known = Set.of(accepted);
        Set<String> unknown = new TreeSet<>();
        for (Object key : this.values.keySet()) {
            if (!(key instanceof String s) || !known.contains(s)) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(recipe + ": unknown config key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(k -> "'" + k + "'").toList())
                    + "; accepted keys: " + (accepted.length == 0 ? "none" : String.join(", ", new TreeSet<>(known))));
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    String string(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw problem(recipe, key, "text", v);
    }

    /** A number (JSON/YAML number, or numeric text). */
    Double number(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.valueOf(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw problem(recipe, key, "a number", v);
    }

    /** A whole number (a number without fraction, or such text). */
    Long integer(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        try {
            BigDecimal d = switch (v) {
                case Integer i -> BigDecimal.valueOf(i);
                case Long l -> BigDecimal.valueOf(l);
                case BigInteger b -> new BigDecimal(b);
                case Number n -> new BigDecimal(n.toString());
                case String s -> new BigDecimal(s.trim());
                default -> null;
            };
            if (d != null) {
                return d.longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through
        }
        throw problem(recipe, key, "a whole number", v);
    }

    Boolean bool(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(s);
        }
        throw problem(recipe, key, "true or false", v);
    }

    /** A mapping with text keys, order kept. */
    Map<String, Object> map(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                copy.put(String.valueOf(e.getKey()), e.getValue());
            }
            return copy;
        }
        throw problem(recipe, key, "a mapping", v);
    }

    List<?> list(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return l;
        }
        throw problem(recipe, key, "a list", v);
    }

    /** {@code <recipe>: '<key>' must be <expected>, was <value>}. */
    static IllegalArgumentException problem(String recipe, String key, String expected, Object value) {
        return new IllegalArgumentException(recipe + ": '" + key + "' must be " + expected + ", was " + show(value));
    }

    /** {@code <recipe>: '<key>' is required: <what>}. */
    static IllegalArgumentException missing(String recipe, String key, String what) {
        return new IllegalArgumentException(recipe + ": '" + key + "' is required: " + what);
    }

    static String show(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(value);
    }
}
