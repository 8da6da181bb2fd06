package dev.portflow.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the ingress answers: a status, extra headers (such as {@code Retry-After}) and a JSON body.
 *
 * @param status  the HTTP status
 * @param headers headers to set besides {@code Content-Type: application/json}
 * @param body    the JSON body
 */
public record IngressResponse(int status, Map<String, String> headers, String body) {

    public IngressResponse {
        headers = Map.copyOf(headers);
    }

    /** The body as UTF-8 bytes. */
    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
