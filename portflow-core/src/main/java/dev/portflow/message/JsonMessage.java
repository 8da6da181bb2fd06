package dev.portflow.message;

import dev.portflow.EventTimed;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A JSON document travelling through a pipeline, as the HTTP ingress and the blueprint recipes
 * produce it: the parsed body plus the identity and times the ingress stamped on it.
 *
 * <p>The body is what Jackson makes of JSON without a target type: {@code Map<String, Object>} for an
 * object, {@code List<Object>} for an array, {@code String}, {@code Number}, {@code Boolean} or
 * {@code null}. Its age counts from {@code event_time} when the document had one, else from the
 * ingest time.
 *
 * @param id         unique id (the UUID the ingress answered with)
 * @param ingestTime when the pipeline accepted the document
 * @param declaredEventTime the document's own {@code event_time}, or {@code null} when it had none (see
 *                          {@link #eventTime()} for the time its age counts from)
 * @param body       the parsed document ({@code null} for a JSON {@code null})
 */
public record JsonMessage(
        String id,
        Instant ingestTime,
        @Nullable Instant declaredEventTime,
        @Nullable Object body) implements EventTimed {

    public JsonMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ingestTime, "ingestTime");
    }

    /** The event time if the document carried one, else the ingest time. */
    @Override
    public Instant eventTime() {
        return declaredEventTime != null ? declaredEventTime : ingestTime;
    }

    /** The body as a JSON object, or an empty map when it is not one. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fields() {
        return body instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The same identity and times with another body (what map-like recipes emit). */
    public JsonMessage withBody(@Nullable Object newBody) {
        return new JsonMessage(id, ingestTime, declaredEventTime, newBody);
    }
}
