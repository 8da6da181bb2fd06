package dev.portflow.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * The contract's {@code event_time} rule: a JSON object may say when its event happened in the
 * string field {@value #FIELD}, an ISO-8601 date-time; one without an offset is UTC
 * ({@code 2026-01-31T12:00:00} means {@code 2026-01-31T12:00:00Z}); surrounding blanks are ignored.
 * The ingress refuses a body whose {@code event_time} breaks the rule (400, with {@link #RULE});
 * the generator refuses such a template.
 */
public final class EventTime {

    /** The field a JSON object carries its event time in. */
    public static final String FIELD = "event_time";

    /** What a valid value looks like, worded for an error message. */
    public static final String RULE =
            "must be an ISO-8601 date-time such as 2026-01-31T12:00:00Z (without an offset it is read as UTC)";

    private EventTime() {}

    /** {@code text} as an instant; {@code null} when it is not an ISO-8601 date-time. */
    public static @Nullable Instant parse(String text) {
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
}
