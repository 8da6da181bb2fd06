package dev.portflow.bench;

import dev.portflow.json.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** JMH's JSON results as plain maps and lists, every number a {@code Double} (what the summaries compute with). */
public final class JmhJson {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private JmhJson() {}

    /**
     * Parses {@code json} (JMH's {@code -rf json} output). Values inside may be {@code null} (JSON
     * {@code null}); the document itself may not.
     */
    public static Object parse(String json) {
        Object parsed = doubles(MAPPER.readValue(json, Object.class));
        if (parsed == null) {
            throw new IllegalArgumentException("not a JMH result: the JSON document is null");
        }
        return parsed;
    }

    /**
     * The value of {@code key} in an object of a JMH result; throws, naming the key, when it is absent
     * (or {@code null}).
     */
    public static Object require(Map<String, ?> object, String key) {
        Object value = object.get(key);
        if (value == null) {
            throw new IllegalArgumentException(
                    "not a JMH result: no \"" + key + "\" in an object with keys " + object.keySet());
        }
        return value;
    }

    /**
     * A parsed number (JMH writes some, e.g. params, as strings); NaN when it is neither, also when
     * {@code o} is {@code null} (an absent key).
     */
    public static double number(@Nullable Object o) {
        if (o instanceof Double d) {
            return d;
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static @Nullable Object doubles(@Nullable Object value) {
        return switch (value) {
            case Number n -> n.doubleValue();
            case Map<?, ?> map -> {
                Map<String, @Nullable Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(String.valueOf(k), doubles(v)));
                yield copy;
            }
            case List<?> list -> {
                List<@Nullable Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(doubles(v)));
                yield copy;
            }
            case null -> null;
            default -> value;
        };
    }
}
