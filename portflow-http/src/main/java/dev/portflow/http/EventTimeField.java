package dev.portflow.http;

import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the optional {@code event_time} field of a JSON object: ISO-8601, and a value without an
 * offset is UTC ({@code 2026-01-31T12:00:00} means {@code 2026-01-31T12:00:00Z}).
 */
final class EventTimeField {

    static final String NAME = "event_time";

    private EventTimeField() {}

    /** The parsed time, {@code null} when absent or JSON null; a violation when malformed. */
    static @Nullable Object read(JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode value = body.get(NAME);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            return violation();
        }
        String text = value.asString().trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                return violation();
            }
        }
    }

    private static SchemaViolation violation() {
        return new SchemaViolation(
                NAME,
                "must be an ISO-8601 date-time such as 2026-01-31T12:00:00Z"
                        + " (without an offset it is read as UTC)");
    }

    static @Nullable Instant asInstant(@Nullable Object parsed) {
        return parsed instanceof Instant instant ? instant : null;
    }
}
