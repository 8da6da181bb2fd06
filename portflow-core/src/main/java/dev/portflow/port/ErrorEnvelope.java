package dev.portflow.port;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What goes to a component's {@code err_*} port (or the log) when handling one message failed.
 *
 * @param time             when the failure happened
 * @param pipeline         the pipeline's name
 * @param component        the component that failed
 * @param port             the input port the message came from
 * @param errorType        the exception's simple class name (the {@code error_type} tag)
 * @param message          the exception's message
 * @param payload          the failed message as text, at most {@link #MAX_PAYLOAD_BYTES} UTF-8 bytes
 * @param payloadTruncated whether {@code payload} was cut
 */
public record ErrorEnvelope(
        Instant time,
        String pipeline,
        String component,
        String port,
        String errorType,
        String message,
        String payload,
        boolean payloadTruncated) {

    /** 64 KiB. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** Builds an envelope for {@code error}, rendering and truncating the payload. */
    public static ErrorEnvelope of(String pipeline, String component, String port, Throwable error, Object payload) {
        return of(pipeline, component, port, error.getClass().getSimpleName(), String.valueOf(error.getMessage()), payload);
    }

    /** Builds an envelope for a failure that is not an exception (e.g. a rejected HTTP body). */
    public static ErrorEnvelope of(String pipeline, String component, String port, String errorType, String message,
            Object payload) {
        String text = String.valueOf(payload);
        String cut = truncateUtf8(text, MAX_PAYLOAD_BYTES);
        return new ErrorEnvelope(Instant.now(), pipeline, component, port, errorType, message, cut,
                cut.length() != text.length());
    }

    /** The longest prefix of {@code text} whose UTF-8 encoding fits in {@code maxBytes}, never splitting a code point. */
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

    /** The envelope with snake_case keys, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time.toString());
        map.put("pipeline", pipeline);
        map.put("component", component);
        map.put("port", port);
        map.put("error_type", errorType);
        map.put("message", message);
        map.put("payload", payload);
        map.put("payload_truncated", payloadTruncated);
        return map;
    }
}
