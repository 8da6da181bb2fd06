package dev.portflow.recipes;

import dev.portflow.json.EventTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A generator template, parsed once: string values split into literal text and placeholders. */
final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final List<String> NAMES = List.of("seq", "uuid", "now");

    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    /** @throws IllegalArgumentException naming the field with an unknown placeholder */
    static Template compile(Map<String, Object> template) {
        Template t = new Template(compileMap(template, ""));
        Object sample = t.render(0);
        if (sample instanceof Map<?, ?> map
                && map.get(EventTime.FIELD) != null
                && (!(map.get(EventTime.FIELD) instanceof String text) || EventTime.parse(text) == null)) {
            throw new IllegalArgumentException(GeneratorConfig.RECIPE + ": 'template' field '" + EventTime.FIELD
                    + "' must be an ISO-8601 date-time such as \"${now}\" or \"2026-01-31T12:00:00Z\", was "
                    + ConfigProblems.show(map.get(EventTime.FIELD)));
        }
        return t;
    }

    private record Text(List<Object> parts) { // parts: String literals and Placeholder
    }

    private enum Placeholder {
        SEQ,
        UUID,
        NOW
    }

    /** A string that is exactly "${seq}": rendered as a number. */
    private record SeqNumber() {}

    private static Map<String, Object> compileMap(Map<?, ?> map, String path) {
        Map<String, Object> compiled = new LinkedHashMap<>();
        map.forEach((k, v) ->
                compiled.put(String.valueOf(k), compileValue(v, path.isEmpty() ? String.valueOf(k) : path + "." + k)));
        return compiled;
    }

    private static Object compileValue(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            return compileMap(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> compiled = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                compiled.add(compileValue(list.get(i), path + "[" + i + "]"));
            }
            return compiled;
        }
        if (value instanceof String s) {
            if (s.equals("${seq}")) {
                return new SeqNumber();
            }
            Matcher m = PLACEHOLDER.matcher(s);
            List<Object> parts = new ArrayList<>();
            int last = 0;
            while (m.find()) {
                if (m.start() > last) {
                    parts.add(s.substring(last, m.start()));
                }
                String name = m.group(1);
                parts.add(
                        switch (name) {
                            case "seq" -> Placeholder.SEQ;
                            case "uuid" -> Placeholder.UUID;
                            case "now" -> Placeholder.NOW;
                            default ->
                                throw new IllegalArgumentException(GeneratorConfig.RECIPE + ": 'template' field '"
                                        + path
                                        + "' uses the unknown placeholder ${" + name + "}; accepted placeholders: "
                                        + String.join(
                                                ", ",
                                                NAMES.stream()
                                                        .map(n -> "${" + n + "}")
                                                        .toList()));
                        });
                last = m.end();
            }
            if (parts.isEmpty()) {
                return s;
            }
            if (last < s.length()) {
                parts.add(s.substring(last));
            }
            return new Text(List.copyOf(parts));
        }
        return value;
    }

    /** A fresh, mutable body for message number {@code seq}. */
    Map<String, Object> render(long seq) {
        return renderMap(root, seq);
    }

    private static Map<String, Object> renderMap(Map<?, ?> map, long seq) {
        Map<String, Object> out = LinkedHashMap.newLinkedHashMap(map.size());
        map.forEach((k, v) -> out.put((String) k, render(v, seq)));
        return out;
    }

    private static @Nullable Object render(@Nullable Object node, long seq) {
        return switch (node) {
            case Map<?, ?> map -> renderMap(map, seq);
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                list.forEach(v -> out.add(render(v, seq)));
                yield out;
            }
            case SeqNumber n -> seq;
            case Text text -> {
                StringBuilder sb = new StringBuilder();
                for (Object part : text.parts()) {
                    switch (part) {
                        case Placeholder p when p == Placeholder.SEQ -> sb.append(seq);
                        case Placeholder p when p == Placeholder.UUID -> sb.append(UUID.randomUUID());
                        case Placeholder p -> sb.append(Instant.now());
                        default -> sb.append(part);
                    }
                }
                yield sb.toString();
            }
            case null -> null;
            default -> node;
        };
    }
}
