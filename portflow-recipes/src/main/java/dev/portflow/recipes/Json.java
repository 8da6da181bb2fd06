package dev.portflow.recipes;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The recipes' JSON reading and writing, and the {@code event_time} rule of the contract.
 *
 * <p>Writing is strict where Jackson is lenient: a non-finite {@code double} or {@code float}
 * (Infinity, NaN) is an error naming the field, instead of Jackson's {@code "Infinity"} string,
 * which would change the value's type without anyone noticing. Text is written as UTF-8 with
 * every character kept: an unpaired UTF-16 surrogate (a Java string cut in the middle of an
 * emoji) is written as its JSON escape (<code>"&#92;ud83d"</code>), so the output is always valid
 * UTF-8 and reads back as the same Java string.
 */
final class Json {

    /** The field a JSON document may carry its event time in. */
    static final String EVENT_TIME = "event_time";

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new SimpleModule("portflow-finite-numbers")
                    .addSerializer(Double.class, FiniteNumberSerializer.INSTANCE)
                    .addSerializer(double.class, FiniteNumberSerializer.INSTANCE)
                    .addSerializer(Float.class, FiniteNumberSerializer.INSTANCE)
                    .addSerializer(float.class, FiniteNumberSerializer.INSTANCE))
            .build();

    private Json() {}

    /** Parses JSON text into maps, lists and scalars (what Jackson reads without a target type). */
    static Object parse(String text) {
        return MAPPER.readValue(text, Object.class);
    }

    /**
     * One line of JSON, no pretty printing.
     *
     * @throws IllegalArgumentException when the value cannot be written as JSON (a non-finite number,
     *     an object Jackson cannot serialize), naming the field
     */
    static String write(@Nullable Object value) {
        try {
            // Through UTF-8 bytes, not Jackson's String writer: only the byte writer escapes unpaired
            // surrogates (the String writer copies them, and whoever encodes the text later turns them into '?').
            return new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
        } catch (JacksonException e) {
            throw notJson(e);
        }
    }

    /**
     * Writes {@code value} as one line of JSON (UTF-8, no newline) to {@code out}; on failure some
     * bytes may have been written, which the caller must discard.
     *
     * @throws IllegalArgumentException as {@link #write(Object)}
     */
    static void write(@Nullable Object value, OutputStream out) {
        try {
            MAPPER.writeValue(out, value);
        } catch (JacksonException e) {
            throw notJson(e);
        }
    }

    private static IllegalArgumentException notJson(JacksonException e) {
        return new IllegalArgumentException("cannot write the message as JSON: " + e.getOriginalMessage(), e);
    }

    /** The {@code event_time} of an object body: ISO-8601, UTC when it has no offset; {@code null} if absent or malformed. */
    static @Nullable Instant eventTime(@Nullable Object body) {
        if (body instanceof Map<?, ?> map && map.get(EVENT_TIME) instanceof String text) {
            return parseInstant(text);
        }
        return null;
    }

    static @Nullable Instant parseInstant(String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                return null;
            }
        }
    }

    /** A deep, unmodifiable copy of a JSON value (maps keep their order; null values allowed). */
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /**
     * Writes finite doubles and floats as Jackson does, and refuses Infinity and NaN, which JSON
     * cannot hold, with the path of the field.
     */
    private static final class FiniteNumberSerializer extends StdSerializer<Number> {

        static final FiniteNumberSerializer INSTANCE = new FiniteNumberSerializer();

        private FiniteNumberSerializer() {
            super(Number.class);
        }

        @Override
        public void serialize(Number value, JsonGenerator gen, SerializationContext context) {
            if (value instanceof Float f && Float.isFinite(f)) {
                gen.writeNumber(f);
            } else if (Double.isFinite(value.doubleValue())) {
                gen.writeNumber(value.doubleValue());
            } else {
                throw DatabindException.from(
                        gen, describe(gen.streamWriteContext()) + " is " + value + ", which JSON cannot hold");
            }
        }

        /** {@code field 'a.b[2]'} for the value about to be written in {@code context}. */
        private static String describe(TokenStreamContext context) {
            StringBuilder path = new StringBuilder();
            boolean leaf = true;
            for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    // The leaf array has not counted the value being written yet; its parents have.
                    path.insert(0, "[" + (leaf ? c.getEntryCount() : c.getCurrentIndex()) + "]");
                } else if (c.currentName() != null) {
                    path.insert(0, (path.isEmpty() || path.charAt(0) == '[' ? "" : "."))
                            .insert(0, c.currentName());
                }
                leaf = false;
            }
            return path.isEmpty() ? "the value" : "field '" + path + "'";
        }
    }
}
