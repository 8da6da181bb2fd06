package dev.portflow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** JMH's JSON results as plain maps and lists, every number a {@code Double} (what the summaries compute with). */
public final class JmhJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JmhJson() {}

    /** Parses {@code json} (JMH's {@code -rf json} output). */
    public static Object parse(String json) {
        return doubles(MAPPER.readValue(json, Object.class));
    }

    /** A parsed number (JMH writes some, e.g. params, as strings); NaN when it is neither. */
    public static double number(Object o) {
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

    private static Object doubles(Object value) {
        return switch (value) {
            case Number n -> n.doubleValue();
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(String.valueOf(k), doubles(v)));
                yield copy;
            }
            case List<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(doubles(v)));
                yield copy;
            }
            case null -> null;
            default -> value;
        };
    }
}
