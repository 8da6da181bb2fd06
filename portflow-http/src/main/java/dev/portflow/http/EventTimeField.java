package dev.portflow.http;

import dev.portflow.json.EventTime;
import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reads the optional {@code event_time} field of a JSON body by the contract's rule ({@link EventTime}). */
final class EventTimeField {

    private EventTimeField() {}

    /** The parsed time, {@code null} when absent or JSON null; a violation when malformed. */
    static @Nullable Object read(JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode value = body.get(EventTime.FIELD);
        if (value == null || value.isNull()) {
            return null;
        }
        Instant parsed = value.isString() ? EventTime.parse(value.asString()) : null;
        return parsed != null ? parsed : new SchemaViolation(EventTime.FIELD, EventTime.RULE);
    }

    static @Nullable Instant asInstant(@Nullable Object parsed) {
        return parsed instanceof Instant instant ? instant : null;
    }
}
