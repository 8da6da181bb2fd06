package dev.portflow.recipes;

import dev.portflow.json.EventTime;
import dev.portflow.json.StrictJson;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recipes' JSON reading and writing, with Portflow's strict configuration ({@link StrictJson}:
 * among others, a non-finite number is an error naming the field). Text is written as UTF-8 with
 * every character kept: an unpaired UTF-16 surrogate (a Java string cut in the middle of an emoji)
 * is written as its JSON escape (<code>"&#92;ud83d"</code>), so the output is always valid UTF-8 and
 * reads back as the same Java string.
 */
final class Json {

    static final JsonMapper MAPPER = StrictJson.mapper();

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

    /** The {@code event_time} of an object body ({@link EventTime}); {@code null} if absent or malformed. */
    static @Nullable Instant eventTime(@Nullable Object body) {
        if (body instanceof Map<?, ?> map && map.get(EventTime.FIELD) instanceof String text) {
            return EventTime.parse(text);
        }
        return null;
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
}
