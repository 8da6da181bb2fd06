package dev.portflow.blueprint.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A component's validated configuration, defaults filled in, with typed getters. Values are the
 * Java forms of {@link ConfigType}: {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code Map<String, Object>}, {@code List<Object>}.
 */
public final class RecipeConfig {

    private final String component;
    private final Map<String, Object> values;
    private final Path baseDirectory;

    private RecipeConfig(String component, Map<String, Object> values, Path baseDirectory) {
        this.component = component;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.baseDirectory = baseDirectory;
    }

    /**
     * A configuration from plain values (for tests and programmatic use); paths resolve against the
     * working directory.
     */
    public static RecipeConfig of(String component, Map<String, Object> values) {
        return of(component, values, Path.of("").toAbsolutePath());
    }

    /**
     * A configuration of checked values (the Java forms of their {@link ConfigType}s), as validation
     * makes it: {@link #getPath} resolves against {@code baseDirectory}.
     */
    public static RecipeConfig of(String component, Map<String, Object> values, Path baseDirectory) {
        return new RecipeConfig(component, values, baseDirectory);
    }

    /** This configuration with {@code values} instead of its own (same component and directory). */
    public RecipeConfig withValues(Map<String, Object> values) {
        return new RecipeConfig(component, values, baseDirectory);
    }

    /** Whether {@code key} has a value (given, or by default). */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value of {@code key}, or {@code null}. */
    public @Nullable Object get(String key) {
        return values.get(key);
    }

    /** Every key with a value, in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The text of {@code key}, or {@code null} when it has no value. */
    public @Nullable String getString(String key) {
        Object v = values.get(key);
        return v == null ? null : v instanceof String s ? s : String.valueOf(v);
    }

    /** The text of {@code key}, if it has a value. */
    public Optional<String> findString(String key) {
        return Optional.ofNullable(getString(key));
    }

    public long getLong(String key) {
        return number(key).longValue();
    }

    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalStateException(where(key) + " is " + v + ", outside the int range");
        }
        return (int) v;
    }

    public double getDouble(String key) {
        return number(key).doubleValue();
    }

    public boolean getBoolean(String key) {
        Object v = require(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalStateException(where(key) + " is not a boolean: " + v);
    }

    /** A {@code duration_ms} key as a {@link Duration}. */
    public Duration getDuration(String key) {
        return Duration.ofMillis(getLong(key));
    }

    /** A path, resolved against the blueprint's directory; {@code null} when it has no value. */
    public @Nullable Path getPath(String key) {
        String text = getString(key);
        return text == null ? null : baseDirectory.resolve(text).normalize();
    }

    /** A mapping ({@code map} key), empty when it has no value. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException(where(key) + " is not a mapping: " + v);
    }

    /** A list ({@code list} key), empty when it has no value. */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalStateException(where(key) + " is not a list: " + v);
    }

    private Number number(String key) {
        Object v = require(key);
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalStateException(where(key) + " is not a number: " + v);
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalStateException(where(key) + " has no value");
        }
        return v;
    }

    private String where(String key) {
        return "config key '" + key + "' of component '" + component + "'";
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
