package dev.portflow.http;

import dev.portflow.json.StrictJson;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Gives the answers Helidon sends by itself, before any route runs, the JSON body every other answer
 * has: a body over the server's hard payload cap (413 {@code payload_too_large}), more concurrent
 * requests than allowed (503 {@code backpressure} with {@code Retry-After}), an HTTP request Helidon
 * cannot parse (400 {@code bad_request}). Helidon's default sends these with an empty body.
 */
final class JsonDirectHandler implements DirectHandler {

    private final long maxPayloadBytes;

    private JsonDirectHandler(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The handler for every kind of event, for a server whose hard payload cap is {@code maxPayloadBytes}. */
    static DirectHandlers forAllEvents(long maxPayloadBytes) {
        JsonDirectHandler handler = new JsonDirectHandler(maxPayloadBytes);
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status status,
            ServerResponseHeaders headers,
            String message) {
        Map<String, String> body = new LinkedHashMap<>();
        switch (status.code()) {
            case 413 -> {
                body.put("error", "payload_too_large");
                body.put("message", "body exceeds the server's limit of " + maxPayloadBytes + " bytes");
            }
            case 503 -> {
                body.put("error", "backpressure");
                body.put("message", "System overloaded, please retry");
                headers.set(HeaderNames.RETRY_AFTER, "1");
            }
            case 505 -> {
                body.put("error", "http_version_not_supported");
                body.put("message", "use HTTP/1.1 (or HTTP/1.0)");
            }
            default -> {
                // Helidon's own message may quote the request; the status says enough
                body.put("error", status.code() == 400 ? "bad_request" : errorCode(status));
                body.put("message", status.reasonPhrase());
            }
        }
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(StrictJson.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** {@code Request URI Too Long} as {@code request_uri_too_long}. */
    private static String errorCode(Status status) {
        return status.reasonPhrase()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_|_$", "");
    }
}
