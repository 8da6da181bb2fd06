package dev.portflow.disk;

import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JsonMessage}s as one JSON object each:
 * {@code {"id": ..., "ingest_time": "<ISO-8601>", "event_time": "<ISO-8601>", "body": ...}}
 * ({@code event_time} only when the document declared one). ISO-8601 keeps every instant exact,
 * whatever its range.
 */
final class JsonMessageDiskCodec implements DiskCodec<JsonMessage> {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    @Override
    public Class<JsonMessage> type() {
        return JsonMessage.class;
    }

    @Override
    public byte[] encode(JsonMessage message) {
        Map<String, @Nullable Object> record = new LinkedHashMap<>();
        record.put("id", message.id());
        record.put("ingest_time", message.ingestTime().toString());
        Instant event = message.declaredEventTime();
        if (event != null) {
            record.put("event_time", event.toString());
        }
        record.put("body", message.body());
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "message " + message.id() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public JsonMessage decode(byte[] payload) {
        Map<?, ?> record;
        try {
            record = MAPPER.readValue(payload, Map.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the record is not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (!(record.get("id") instanceof String id)) {
            throw new IllegalArgumentException("the record has no string 'id'");
        }
        Instant ingest = instant(record, "ingest_time");
        if (ingest == null) {
            throw new IllegalArgumentException("the record has no 'ingest_time'");
        }
        return new JsonMessage(id, ingest, instant(record, "event_time"), record.get("body"));
    }

    private static @Nullable Instant instant(Map<?, ?> record, String field) {
        Object value = record.get(field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the record's '" + field + "' is not an ISO-8601 instant: " + value, e);
        }
    }
}
