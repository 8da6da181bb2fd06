package dev.portflow.blueprint.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One key a recipe accepts in {@code config:}. Validation checks the type, the range and the
 * allowed values, fills in the default, and reports unknown keys with the nearest valid one.
 *
 * <pre>{@code
 * ConfigKey.required("path", ConfigType.STRING, "request path, e.g. /orders")
 * ConfigKey.optional("timeout_ms", ConfigType.DURATION_MS, 2000L, "wait for room in the buffer").range(1, 600_000)
 * }</pre>
 *
 * @param name          the key
 * @param type          its type
 * @param required      whether it must be given
 * @param defaultValue  the value when left out ({@code null}: none), of the type's Java form
 *                      ({@code Long} for integers and durations, {@code Double}, {@code String}, ...)
 * @param description   one line, for docs and hints
 * @param min           smallest value (numbers), or fewest entries (lists, maps); {@code null}: no bound
 * @param max           largest value, or most entries; {@code null}: no bound
 * @param allowedValues for strings: the only values accepted, ignoring case (empty: any)
 * @param elementType   for lists and maps: the type of each element/value, or {@code null}
 * @param elementKeys   for lists: each element is a mapping with these keys (empty: anything)
 */
public record ConfigKey(
        String name,
        ConfigType type,
        boolean required,
        @Nullable Object defaultValue,
        String description,
        @Nullable Double min,
        @Nullable Double max,
        List<String> allowedValues,
        @Nullable ConfigType elementType,
        List<ConfigKey> elementKeys) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        allowedValues = List.copyOf(allowedValues);
        elementKeys = List.copyOf(elementKeys);
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("config key '" + name + "' is required and cannot have a default");
        }
    }

    /** A key that must be given. */
    public static ConfigKey required(String name, ConfigType type, String description) {
        return new ConfigKey(name, type, true, null, description, null, null, List.of(), null, List.of());
    }

    /** A key that may be left out; {@code defaultValue} may be {@code null} (no value then). */
    public static ConfigKey optional(String name, ConfigType type, @Nullable Object defaultValue, String description) {
        return new ConfigKey(name, type, false, defaultValue, description, null, null, List.of(), null, List.of());
    }

    /** Inclusive bounds (value for numbers, size for lists and maps). */
    public ConfigKey range(double newMin, double newMax) {
        return new ConfigKey(
                name,
                type,
                required,
                defaultValue,
                description,
                newMin,
                newMax,
                allowedValues,
                elementType,
                elementKeys);
    }

    /** An inclusive lower bound. */
    public ConfigKey min(double newMin) {
        return new ConfigKey(
                name, type, required, defaultValue, description, newMin, max, allowedValues, elementType, elementKeys);
    }

    /** The only values a string key accepts (compared ignoring case; the value is passed on as written). */
    public ConfigKey allowed(String... values) {
        return new ConfigKey(
                name, type, required, defaultValue, description, min, max, List.of(values), elementType, elementKeys);
    }

    /** The type of every element of a list, or every value of a map. */
    public ConfigKey elements(ConfigType newElementType) {
        return new ConfigKey(
                name, type, required, defaultValue, description, min, max, allowedValues, newElementType, elementKeys);
    }

    /** Every element of a list is a mapping with these keys. */
    public ConfigKey elementKeys(ConfigKey... keys) {
        return new ConfigKey(
                name,
                type,
                required,
                defaultValue,
                description,
                min,
                max,
                allowedValues,
                ConfigType.MAP,
                List.of(keys));
    }
}
