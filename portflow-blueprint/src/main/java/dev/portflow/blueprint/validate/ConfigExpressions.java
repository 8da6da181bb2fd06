package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.RecipeCheck;
import dev.portflow.blueprint.spi.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every bad expression of a component's config, each reported at its own value. An implementation's
 * config check stops at the first bad expression, so when it fails, each expression is checked again
 * in a config that holds it alone (a {@code map}'s {@code fields} reduced to that field, a
 * {@code router}'s {@code routes} to that route). CEL's diagnostics are reduced to one line, and their
 * column is added to the value's when the value is written on one line as it reads.
 */
final class ConfigExpressions {

    /** CEL's diagnostic line: {@code ERROR: <source>:<line>:<column>: <message>}. */
    private static final Pattern CEL_ERROR = Pattern.compile("ERROR: [^\\n]*?:(\\d+):(\\d+): ([^\\n]*)");

    /**
     * One expression of a config.
     *
     * @param label    where it is in the config: {@code condition}, {@code fields.total}, {@code routes[1].when}
     * @param value    the expression as written
     * @param isolated the config with this expression as its only one of its key
     */
    record Slot(String label, YamlNode.Scalar value, Map<String, Object> isolated) {}

    private ConfigExpressions() {}

    /**
     * Reports the bad expressions of {@code check}'s component, after {@code checker} (the
     * implementation's check: a config to its complaint, or {@code null}) refused its whole config with
     * {@code failure}. A complaint that is about no single expression is reported as it is, at
     * {@code fallback}.
     */
    static void report(
            RecipeCheck check,
            String recipe,
            List<ConfigKey> keys,
            Function<Map<String, Object>, @Nullable String> checker,
            String failure,
            Position fallback) {
        String who = recipe + " '" + check.componentName() + "'";
        boolean explained = false;
        for (Slot slot : slots(keys, check.entries(), check.config().asMap())) {
            String complaint = checker.apply(slot.isolated());
            if (complaint != null) {
                report(check, who, recipe, slot, complaint);
                explained |= complaint.equals(failure);
            }
        }
        if (!explained) {
            check.problem(fallback, failure, null);
        }
    }

    private static void report(RecipeCheck check, String who, String recipe, Slot slot, String complaint) {
        String first = complaint.lines().findFirst().orElse(complaint);
        if (first.startsWith(recipe + ": ")) {
            first = first.substring(recipe.length() + 2);
        }
        CelDiagnostic cel =
                first.contains("is not a valid CEL expression") ? celDiagnostic(complaint, slot.value()) : null;
        if (cel != null) {
            check.problem(
                    cel.at(),
                    who + ": " + slot.label() + " \"" + slot.value().text() + "\" is not a valid CEL expression: "
                            + cel.message(),
                    null);
        } else {
            check.problem(slot.value().position(), who + ": " + first, null);
        }
    }

    /**
     * CEL's first diagnostic in an implementation's complaint about {@code value}.
     *
     * @param at      where it points: at CEL's column inside the value when the value is written on one
     *                line as it reads, else at the value
     * @param message CEL's message, one line
     */
    record CelDiagnostic(Position at, String message) {}

    /** CEL's first diagnostic in {@code complaint} (an expression's compile error), or {@code null} when it has none. */
    static @Nullable CelDiagnostic celDiagnostic(String complaint, YamlNode.Scalar value) {
        Matcher cel = CEL_ERROR.matcher(complaint);
        if (!cel.find()) {
            return null;
        }
        int line = Integer.parseInt(cel.group(1));
        int column = Integer.parseInt(cel.group(2));
        return new CelDiagnostic(line == 1 ? value.positionAt(column - 1) : value.position(), cel.group(3));
    }

    /** The expressions of {@code config}, in the order written. */
    static List<Slot> slots(List<ConfigKey> keys, Map<String, ConfigEntry> entries, Map<String, Object> config) {
        List<Slot> slots = new ArrayList<>();
        for (ConfigKey key : keys) {
            ConfigEntry entry = entries.get(key.name());
            Object typed = config.get(key.name());
            if (entry == null || typed == null) {
                continue;
            }
            if (key.type() == ConfigType.EXPRESSION && entry.value() instanceof YamlNode.Scalar s) {
                slots.add(new Slot(key.name(), s, config));
            } else if (key.type() == ConfigType.MAP
                    && key.elementType() == ConfigType.EXPRESSION
                    && entry.value() instanceof YamlNode.Mapping m
                    && typed instanceof Map<?, ?> values) {
                for (YamlNode.Entry e : m.entries()) {
                    if (e.value() instanceof YamlNode.Scalar s) {
                        slots.add(new Slot(
                                key.name() + "." + e.key(),
                                s,
                                with(config, key.name(), Map.of(e.key(), values.get(e.key())))));
                    }
                }
            } else if (key.type() == ConfigType.LIST
                    && entry.value() instanceof YamlNode.Sequence seq
                    && typed instanceof List<?> items
                    && items.size() == seq.items().size()) {
                List<ConfigKey> expressions = key.elementKeys().stream()
                        .filter(k -> k.type() == ConfigType.EXPRESSION)
                        .toList();
                for (int i = 0; i < items.size(); i++) {
                    if (!(seq.items().get(i) instanceof YamlNode.Mapping item)) {
                        continue;
                    }
                    for (ConfigKey expression : expressions) {
                        if (item.get(expression.name()) instanceof YamlNode.Scalar s) {
                            slots.add(new Slot(
                                    key.name() + "[" + i + "]." + expression.name(),
                                    s,
                                    with(config, key.name(), List.of(items.get(i)))));
                        }
                    }
                }
            }
        }
        return slots;
    }

    private static Map<String, Object> with(Map<String, Object> config, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(config);
        copy.put(key, value);
        return copy;
    }
}
