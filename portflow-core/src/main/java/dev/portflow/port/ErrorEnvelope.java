package dev.portflow.port;

import dev.portflow.message.JsonMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What goes to a component's {@code err_*} port (or the log) when handling one message failed.
 *
 * <p>The payload is the failed message itself, so a dead-letter sink can store it with its types
 * (a {@link JsonMessage}'s body as JSON) and it can be inspected and replayed. Text payloads (e.g.
 * a rejected HTTP body) are cut to {@link #MAX_PAYLOAD_BYTES}; a writer that serializes another
 * payload applies the same limit to the serialized form ({@link #truncateUtf8(String)}).
 *
 * @param time             when the failure happened
 * @param pipeline         the pipeline's name
 * @param component        the component that failed
 * @param port             the input port the message came from
 * @param errorType        the exception's simple class name (the {@code error_type} tag)
 * @param message          the exception's message
 * @param payload          the failed message: the object itself, or text of at most
 *                         {@link #MAX_PAYLOAD_BYTES} UTF-8 bytes; may be {@code null}
 * @param payloadTruncated whether a text {@code payload} was cut
 * @param traceId          the trace of the failed message when it was traced (docs/tracing.md), else null
 */
public record ErrorEnvelope(
        Instant time,
        String pipeline,
        String component,
        String port,
        String errorType,
        String message,
        @Nullable Object payload,
        boolean payloadTruncated,
        @Nullable String traceId) {

    /** 64 KiB. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Builds an envelope for {@code error}; a text payload is cut to 64 KiB. */
    public static ErrorEnvelope of(
            String pipeline, String component, String port, Throwable error, @Nullable Object payload) {
        return of(
                pipeline,
                component,
                port,
                error.getClass().getSimpleName(),
                String.valueOf(error.getMessage()),
                payload);
    }

    /** Builds an envelope for a failure that is not an exception (e.g. a rejected HTTP body). */
    public static ErrorEnvelope of(
            String pipeline,
            String component,
            String port,
            String errorType,
            String message,
            @Nullable Object payload) {
        if (payload instanceof CharSequence chars) {
            String text = chars.toString();
            String cut = truncateUtf8(text);
            return new ErrorEnvelope(
                    Instant.now(),
                    pipeline,
                    component,
                    port,
                    errorType,
                    message,
                    cut,
                    cut.length() != text.length(),
                    null);
        }
        return new ErrorEnvelope(Instant.now(), pipeline, component, port, errorType, message, payload, false, null);
    }

    /** This envelope stamped at {@code at} (a port or runner stamps with its ticker's wall clock). */
    public ErrorEnvelope at(Instant at) {
        return new ErrorEnvelope(at, pipeline, component, port, errorType, message, payload, payloadTruncated, traceId);
    }

    /** This envelope naming the trace of the failed message (its {@code trace_id} in JSON). */
    public ErrorEnvelope withTraceId(@Nullable String id) {
        return new ErrorEnvelope(time, pipeline, component, port, errorType, message, payload, payloadTruncated, id);
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 encoding fits in {@link #MAX_PAYLOAD_BYTES}, never
     * splitting a code point: how a payload too large to keep whole is cut.
     */
    public static String truncateUtf8(String text) {
        return truncateUtf8(text, MAX_PAYLOAD_BYTES);
    }

    static String truncateUtf8(String text, int maxBytes) {
        if (text.length() * 3L <= maxBytes) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // back up to the first byte of the code point that does not fit
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The id of the failed message when it has one (a {@link JsonMessage}'s), else {@code null}. */
    public @Nullable String payloadId() {
        return payload instanceof JsonMessage json ? json.id() : null;
    }

    /** The payload as text, cut to 64 KiB: for people, never for replay. */
    public String payloadText() {
        Object shown = payload instanceof JsonMessage json ? json.body() : payload;
        return truncateUtf8(String.valueOf(shown));
    }

    /**
     * The envelope with snake_case keys, for JSON: {@code payload} is a {@link JsonMessage}'s body (its
     * id under {@code payload_id}), or the payload object itself for the writer to serialize.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time.toString());
        map.put("pipeline", pipeline);
        map.put("component", component);
        map.put("port", port);
        map.put("error_type", errorType);
        map.put("message", message);
        if (payload instanceof JsonMessage json) {
            map.put("payload_id", json.id());
            if (json.declaredEventTime() != null) {
                map.put("payload_event_time", json.declaredEventTime().toString());
            }
            map.put("payload", json.body());
        } else {
            map.put("payload", payload);
        }
        map.put("payload_truncated", payloadTruncated);
        if (traceId != null) {
            map.put("trace_id", traceId);
        }
        return map;
    }
}
