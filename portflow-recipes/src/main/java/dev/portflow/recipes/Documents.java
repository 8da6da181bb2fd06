package dev.portflow.recipes;

import dev.portflow.EventTimed;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the sinks make of a message: a {@link JsonMessage} as it is; an {@link ErrorEnvelope} (a sink
 * connected to an {@code err_*} port) as a document with the envelope's snake_case fields, a fresh
 * id and the failure time as ingest time; anything else as Jackson renders it, with a fresh id.
 */
final class Documents {

    private Documents() {
    }

    static JsonMessage of(Object message) {
        return switch (message) {
            case JsonMessage json -> json;
            case ErrorEnvelope envelope -> new JsonMessage(UUID.randomUUID().toString(), envelope.time(), null, envelope.toMap());
            default -> {
                Instant event = message instanceof EventTimed timed ? timed.eventTime() : null;
                yield new JsonMessage(UUID.randomUUID().toString(), Instant.now(), event,
                        Json.MAPPER.convertValue(message, Object.class));
            }
        };
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
        if (message.sourceTime() != null) {
            line.put("_event_time", message.sourceTime().toString());
        }
        if (message.body() instanceof Map<?, ?> fields) {
            fields.forEach((k, v) -> line.putIfAbsent(String.valueOf(k), v));
        } else {
            line.put("body", message.body());
        }
        return line;
    }
}
