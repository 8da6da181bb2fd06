package dev.portflow.blueprint.spi;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A YAML value of a blueprint with its position: what recipe configuration is made of. Keys of a
 * mapping keep their own positions, so a problem with a key points at the key.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    /** Where the value starts. */
    Position position();

    /**
     * The plain Java value: {@code String}, {@code Long} (or {@code BigInteger}), {@code Double},
     * {@code Boolean}, {@code null}, {@code Map<String, Object>} (in order), {@code List<Object>}.
     */
    @Nullable
    Object toJava();

    /** What this is, for messages: "a string", "an integer", "a mapping", ... */
    String describe();

    /**
     * A scalar, typed by the YAML 1.2 core schema.
     *
     * @param text     the value (after {@code ${VAR}} substitution)
     * @param kind     its type
     * @param quoted   whether it was written in quotes
     * @param position where it starts (its opening quote, if quoted)
     * @param verbatim whether {@code text} stands in the file exactly as is, on one line after
     *                 {@code position} (and its quote): then {@link #positionAt(int)} can point inside it
     */
    record Scalar(String text, Kind kind, boolean quoted, Position position, boolean verbatim) implements YamlNode {

        /** The type the core schema gives a scalar. */
        public enum Kind {
            STRING,
            INTEGER,
            FLOAT,
            BOOLEAN,
            NULL
        }

        public Scalar {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(position, "position");
        }

        /** A scalar whose characters cannot be located one by one. */
        public Scalar(String text, Kind kind, boolean quoted, Position position) {
            this(text, kind, quoted, position, false);
        }

        /**
         * Where the character at {@code index} of {@link #text()} is in the file, when the scalar is
         * {@link #verbatim()}; else where the scalar starts.
         */
        public Position positionAt(int index) {
            if (!verbatim || index < 0 || index > text.length()) {
                return position;
            }
            return position.plusColumns((quoted ? 1 : 0) + text.codePointCount(0, index));
        }

        @Override
        public @Nullable Object toJava() {
            return switch (kind) {
                case STRING -> text;
                case INTEGER -> integerValue();
                case FLOAT -> floatValue();
                case BOOLEAN -> Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
                case NULL -> null;
            };
        }

        /** The value as a {@code Long}, or a {@code BigInteger} when it does not fit. */
        public Number integerValue() {
            String t = text.startsWith("+") ? text.substring(1) : text;
            BigInteger value;
            if (t.startsWith("0x")) {
                value = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0o")) {
                value = new BigInteger(t.substring(2), 8);
            } else {
                value = new BigInteger(t);
            }
            return value.bitLength() < 64 ? (Number) value.longValue() : value;
        }

        /** The value as a {@code double} ({@code .inf}, {@code .nan} included). */
        public double floatValue() {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            return switch (t) {
                case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                case "-.inf" -> Double.NEGATIVE_INFINITY;
                case ".nan" -> Double.NaN;
                default -> Double.parseDouble(t);
            };
        }

        public boolean isNull() {
            return kind == Kind.NULL;
        }

        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "the string \"" + text + "\"";
                case INTEGER -> "the integer " + text;
                case FLOAT -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "no value";
            };
        }
    }

    /** One key of a mapping, with the key's own position. */
    record Entry(String key, Position keyPosition, YamlNode value) {}

    /** A mapping with string keys, in file order. */
    record Mapping(List<Entry> entries, Position position) implements YamlNode {

        public Mapping {
            entries = List.copyOf(entries);
            Objects.requireNonNull(position, "position");
        }

        /** The entry for {@code key}, or {@code null}. */
        public @Nullable Entry entry(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e;
                }
            }
            return null;
        }

        /** The value for {@code key}, or {@code null}. */
        public @Nullable YamlNode get(String key) {
            Entry e = entry(key);
            return e == null ? null : e.value();
        }

        @Override
        public Map<String, Object> toJava() {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Entry e : entries) {
                map.put(e.key(), e.value().toJava());
            }
            return Collections.unmodifiableMap(map);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, Position position) implements YamlNode {

        public Sequence {
            items = List.copyOf(items);
            Objects.requireNonNull(position, "position");
        }

        @Override
        public List<Object> toJava() {
            List<Object> list = new ArrayList<>(items.size());
            for (YamlNode item : items) {
                list.add(item.toJava());
            }
            return Collections.unmodifiableList(list);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
