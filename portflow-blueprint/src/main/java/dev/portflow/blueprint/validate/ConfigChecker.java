package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.parse.BlueprintParser;
import dev.portflow.blueprint.parse.ProblemReporter;
import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.spi.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Checks a {@code config:} mapping against a recipe's {@link ConfigKey}s and makes the typed values. */
final class ConfigChecker {

    /** A value that was reported as wrong (so it is neither used nor reported missing). */
    private static final Object INVALID = new Object();
    /** No value ({@code key:} or {@code key: ~}). */
    private static final Object ABSENT = new Object();

    private final ProblemReporter reporter;

    /** Problems with values (missing, wrong type, out of range); unknown keys are not counted. */
    private int valueProblems;

    private final ProblemReporter unknownKeys;

    ConfigChecker(ProblemReporter sink) {
        this.reporter = (at, message, hint) -> {
            valueProblems++;
            sink.problem(at, message, hint);
        };
        this.unknownKeys = sink;
    }

    /** Whether every value checked so far was fine (unknown keys aside): recipe checks can read them. */
    boolean valuesOk() {
        return valueProblems == 0;
    }

    /**
     * Checks {@code entries} against {@code keys}, reporting what is unknown, missing or wrong.
     *
     * @param entries   the entries as written
     * @param keys      what is accepted
     * @param owner     who takes the config, for messages: "filter", "router routes entry"
     * @param missingAt where to report a missing required key
     * @return the typed values, defaults filled in, in the keys' order
     */
    Map<String, Object> check(
            Map<String, ConfigEntry> entries, List<ConfigKey> keys, String owner, Position missingAt) {
        Map<String, ConfigKey> byName = new LinkedHashMap<>();
        keys.forEach(k -> byName.put(k.name(), k));
        Map<String, Object> given = new LinkedHashMap<>();
        java.util.Set<String> suggested = new java.util.HashSet<>();
        for (ConfigEntry entry : entries.values()) {
            ConfigKey key = byName.get(entry.key());
            if (key == null) {
                String near = Suggestions.nearest(entry.key(), byName.keySet());
                if (near != null) {
                    suggested.add(near); // "needs 'condition'" would repeat the hint of 'conditon'
                }
                unknownKeys.problem(
                        entry.keyPosition(),
                        "unknown config key '" + entry.key() + "' for " + owner,
                        keys.isEmpty()
                                ? owner + " takes no config; remove it"
                                : Suggestions.didYouMean(entry.key(), byName.keySet(), owner + " takes"));
                continue;
            }
            given.put(key.name(), value(entry.value(), key, key.name()));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            Object v = given.get(key.name());
            if (v == INVALID) {
                continue;
            }
            if (v == null || v == ABSENT) {
                if (key.required()) {
                    ConfigEntry entry = entries.get(key.name());
                    if (entry != null) {
                        reporter.problem(
                                entry.valuePosition(), "config key '" + key.name() + "' needs a value", describe(key));
                    } else if (!suggested.contains(key.name())) {
                        reporter.problem(missingAt, owner + " needs config key '" + key.name() + "'", describe(key));
                    }
                    continue;
                }
                v = key.defaultValue();
            }
            if (v != null) {
                values.put(key.name(), v);
            }
        }
        return values;
    }

    private static String describe(ConfigKey key) {
        return key.name() + ": " + key.type().withArticle()
                + (key.description().isEmpty() ? "" : ", " + key.description());
    }

    private Object value(YamlNode node, ConfigKey key, String label) {
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return ABSENT;
        }
        Object v = switch (key.type()) {
            case STRING -> scalarText(node, key, label, false);
            case EXPRESSION, PATH -> scalarText(node, key, label, true);
            case INTEGER, DURATION_MS -> integer(node, key, label);
            case NUMBER -> number(node, key, label);
            case BOOLEAN -> {
                if (node instanceof YamlNode.Scalar s
                        && s.kind() == YamlNode.Scalar.Kind.BOOLEAN
                        && s.toJava() instanceof Boolean b) {
                    yield b;
                }
                yield wrongType(node, key, label, "write true or false");
            }
            case MAP -> map(node, key, label);
            case LIST -> list(node, key, label);
        };
        if (v == INVALID) {
            return v;
        }
        return checkBounds(v, node, key, label);
    }

    private Object scalarText(YamlNode node, ConfigKey key, String label, boolean nonEmpty) {
        if (!(node instanceof YamlNode.Scalar s)) {
            return wrongType(
                    node, key, label, key.type() == ConfigType.EXPRESSION ? "quote the expression: \"...\"" : null);
        }
        if (nonEmpty && s.text().isBlank()) {
            reporter.problem(node.position(), "config key '" + label + "' must not be empty", describe(key));
            return INVALID;
        }
        return s.text();
    }

    private Object integer(YamlNode node, ConfigKey key, String label) {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INTEGER) {
            Number n = s.integerValue();
            if (!(n instanceof Long)) {
                reporter.problem(
                        node.position(), "config key '" + label + "' is too large: " + s.text(), describe(key));
                return INVALID;
            }
            if (key.type() == ConfigType.DURATION_MS && n.longValue() < 0) {
                reporter.problem(
                        node.position(), "config key '" + label + "' must not be negative, was " + n, describe(key));
                return INVALID;
            }
            return n;
        }
        String hint = BlueprintParser.quotedNumberHint(node);
        if (hint == null && key.type() == ConfigType.DURATION_MS && node instanceof YamlNode.Scalar) {
            hint = "durations are whole milliseconds, e.g. 2000 for two seconds";
        }
        return wrongType(node, key, label, hint);
    }

    private Object number(YamlNode node, ConfigKey key, String label) {
        if (node instanceof YamlNode.Scalar s
                && (s.kind() == YamlNode.Scalar.Kind.INTEGER || s.kind() == YamlNode.Scalar.Kind.FLOAT)) {
            return s.kind() == YamlNode.Scalar.Kind.INTEGER ? s.integerValue().doubleValue() : s.floatValue();
        }
        return wrongType(node, key, label, BlueprintParser.quotedNumberHint(node));
    }

    private Object map(YamlNode node, ConfigKey key, String label) {
        if (!(node instanceof YamlNode.Mapping m)) {
            return wrongType(node, key, label, null);
        }
        ConfigType elementType = key.elementType();
        if (elementType == null
                || (elementType == ConfigType.MAP && key.elementKeys().isEmpty())) {
            return m.toJava();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        ConfigKey element = elementKey(key, elementType);
        for (YamlNode.Entry e : m.entries()) {
            Object v = value(e.value(), element, label + "." + e.key());
            if (v == ABSENT) {
                reporter.problem(
                        e.value().position(),
                        "config key '" + label + "." + e.key() + "' needs a value",
                        describe(element));
                ok = false;
            } else if (v == INVALID) {
                ok = false;
            } else {
                out.put(e.key(), v);
            }
        }
        return ok ? java.util.Collections.unmodifiableMap(out) : INVALID;
    }

    private Object list(YamlNode node, ConfigKey key, String label) {
        if (!(node instanceof YamlNode.Sequence seq)) {
            return wrongType(node, key, label, null);
        }
        ConfigType elementType = key.elementType();
        if (elementType == null) {
            return seq.toJava();
        }
        List<Object> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            String itemLabel = label + "[" + i + "]";
            Object v;
            if (!key.elementKeys().isEmpty()) {
                if (item instanceof YamlNode.Mapping m) {
                    Map<String, ConfigEntry> entries = new LinkedHashMap<>();
                    for (YamlNode.Entry e : m.entries()) {
                        entries.put(e.key(), new ConfigEntry(e.key(), e.keyPosition(), e.value()));
                    }
                    int before = valueProblems;
                    Map<String, Object> checked =
                            check(entries, key.elementKeys(), "an entry of " + label, m.position());
                    v = valueProblems == before ? java.util.Collections.unmodifiableMap(checked) : INVALID;
                } else {
                    reporter.problem(
                            item.position(),
                            "config key '" + itemLabel + "' must be a mapping with "
                                    + String.join(
                                            ", ",
                                            key.elementKeys().stream()
                                                    .map(ConfigKey::name)
                                                    .toList())
                                    + ", found " + item.describe(),
                            key.description());
                    v = INVALID;
                }
            } else {
                v = value(item, elementKey(key, elementType), itemLabel);
                if (v == ABSENT) {
                    reporter.problem(item.position(), "config key '" + itemLabel + "' needs a value", null);
                    v = INVALID;
                }
            }
            if (v == INVALID) {
                ok = false;
            } else {
                out.add(v);
            }
        }
        return ok ? java.util.Collections.unmodifiableList(out) : INVALID;
    }

    /** What each element of {@code key}'s list or map must be: a value of {@code elementType}. */
    private static ConfigKey elementKey(ConfigKey key, ConfigType elementType) {
        return ConfigKey.required(key.name(), elementType, "");
    }

    private Object wrongType(YamlNode node, ConfigKey key, String label, @Nullable String hint) {
        reporter.problem(
                node.position(),
                "config key '" + label + "' must be " + key.type().withArticle() + ", found " + node.describe(),
                hint != null ? hint : describe(key));
        return INVALID;
    }

    private Object checkBounds(Object v, YamlNode node, ConfigKey key, String label) {
        double measure;
        String what;
        if (v instanceof Number n) {
            measure = n.doubleValue();
            what = "";
        } else if (v instanceof List<?> l) {
            measure = l.size();
            what = " entries";
        } else if (v instanceof Map<?, ?> m) {
            measure = m.size();
            what = " entries";
        } else {
            if (!key.allowedValues().isEmpty()
                    && v instanceof String s
                    && key.allowedValues().stream().noneMatch(s::equalsIgnoreCase)) {
                reporter.problem(
                        node.position(),
                        "config key '" + label + "' must be one of " + String.join(", ", key.allowedValues())
                                + ", was '" + s + "'",
                        Suggestions.didYouMean(s, key.allowedValues(), "allowed"));
                return INVALID;
            }
            return v;
        }
        Double min = key.min();
        Double max = key.max();
        boolean below = min != null && measure < min;
        boolean above = max != null && measure > max;
        if (below || above || Double.isNaN(measure)) {
            String range;
            if (min != null && max != null) {
                range = "between " + fmt(min) + " and " + fmt(max);
            } else if (min != null) {
                range = "at least " + fmt(min);
            } else if (max != null) {
                range = "at most " + fmt(max);
            } else {
                range = "a number"; // no bounds: only NaN gets here
            }
            String message = what.isEmpty()
                    ? "config key '" + label + "' must be " + range + ", was " + fmt(measure)
                    : "config key '" + label + "' needs " + range + (range.endsWith(" 1") ? " entry" : " entries")
                            + ", has " + fmt(measure);
            reporter.problem(node.position(), message, describe(key));
            return INVALID;
        }
        return v;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
