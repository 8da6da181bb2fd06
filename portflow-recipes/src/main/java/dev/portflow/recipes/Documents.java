package dev.portflow.recipes;

import dev.portflow.EventTimed;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the sinks make of a message: a {@link JsonMessage} as it is; an {@link ErrorEnvelope} (a sink
 * connected to an {@code err_*} port) as a dead letter, a document with the envelope's snake_case
 * fields, a fresh id and the failure time as ingest time; anything else as Jackson renders it, with
 * a fresh id. The one place sinks turn messages into documents.
 */
final class Documents {

    private Documents() {}

    static JsonMessage of(Object message) {
        return switch (message) {
            case JsonMessage json -> json;
            case ErrorEnvelope envelope ->
                new JsonMessage(UUID.randomUUID().toString(), envelope.time(), null, deadLetter(envelope));
            default -> {
                Instant event = message instanceof EventTimed timed ? timed.eventTime() : null;
                yield new JsonMessage(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        event,
                        Json.MAPPER.convertValue(message, Object.class));
            }
        };
    }

    /**
     * The envelope's fields ({@link ErrorEnvelope#toMap()}) with the failed message as JSON, so it can
     * be inspected and replayed: a {@link JsonMessage}'s body with its types (numbers stay numbers,
     * objects stay objects) and its id under {@code payload_id}; another object as Jackson renders it.
     *
     * <p>The 64 KiB limit of the contract applies to the serialized payload: a larger one is stored as
     * its JSON text cut to 64 KiB (a string) with {@code payload_truncated: true}. A payload that is
     * not JSON (Jackson cannot serialize it, or it holds Infinity or NaN) is stored as its text, with
     * {@code payload_error} saying why: a dead letter is never lost to its own payload.
     */
    static Map<String, Object> deadLetter(ErrorEnvelope envelope) {
        Map<String, Object> fields = new LinkedHashMap<>(envelope.toMap());
        Object payload = fields.get("payload"); // a JsonMessage's body, or the payload itself
        if (payload == null || payload instanceof CharSequence) {
            return fields; // text as the runtime kept it (already cut to 64 KiB)
        }
        String json;
        try {
            json = Json.write(payload);
        } catch (RuntimeException notJson) {
            String text = textOf(payload);
            String cut = ErrorEnvelope.truncateUtf8(text);
            fields.put("payload", cut);
            fields.put("payload_truncated", envelope.payloadTruncated() || cut.length() < text.length());
            fields.put("payload_error", notJson.getMessage());
            return fields;
        }
        if (json.length() > ErrorEnvelope.MAX_PAYLOAD_BYTES / 3
                && json.getBytes(StandardCharsets.UTF_8).length > ErrorEnvelope.MAX_PAYLOAD_BYTES) {
            fields.put("payload", ErrorEnvelope.truncateUtf8(json));
            fields.put("payload_truncated", true);
        } else if (!(envelope.payload() instanceof JsonMessage)) {
            try {
                fields.put("payload", Json.MAPPER.convertValue(payload, Object.class)); // a record etc. as a JSON tree
            } catch (RuntimeException e) {
                fields.put("payload", json); // it was written once, so this is not expected; the JSON text will do
            }
        }
        return fields;
    }

    /** A payload's text for people; a {@code toString} that fails must not lose the dead letter. */
    private static String textOf(Object payload) {
        try {
            return String.valueOf(payload);
        } catch (RuntimeException e) {
            return "(a " + payload.getClass().getName() + " whose toString failed: " + e + ")";
        }
    }

    /**
     * The body with {@code _id}, {@code _ingest_time} and (when the message has one)
     * {@code _event_time} in front; a body that is not an object goes under {@code body}. A body
     * field with one of these names is overwritten.
     */
    static Map<String, Object> withMetadata(JsonMessage message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_id", message.id());
        line.put("_ingest_time", message.ingestTime().toString());
        if (message.declaredEventTime() != null) {
            line.put("_event_time", message.declaredEventTime().toString());
        }
        if (message.body() instanceof Map<?, ?> fields) {
            fields.forEach((k, v) -> line.putIfAbsent(String.valueOf(k), v));
        } else {
            line.put("body", message.body());
        }
        return line;
    }
}
