package dev.portflow.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as the ingress sees it, independent of any server: method, headers and the body
 * bytes. Build one from your own controller (Spring, Quarkus, ...) and hand it to
 * {@link Ingress#handle(IngressRequest)}.
 *
 * @param method  the HTTP method
 * @param headers header values by name; names are matched case-insensitively
 * @param body    the raw body, already limited by the caller to at most {@code max_body_bytes + 1} bytes
 *                (see {@link Ingress#readLimit()})
 * @param declaredLength the {@code Content-Length} the client declared, or -1 if none
 */
@SuppressWarnings("ArrayRecordComponent") // the raw body bytes are the point; public API
public record IngressRequest(String method, Map<String, List<String>> headers, byte[] body, long declaredLength) {

    public IngressRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> normalized = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach(
                    (name, values) -> normalized.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values), (a, b) -> {
                        var all = new java.util.ArrayList<>(a);
                        all.addAll(b);
                        return List.copyOf(all);
                    }));
        }
        headers = java.util.Collections.unmodifiableMap(normalized);
    }

    /** A POST with a content type ({@code null}: no {@code Content-Type} header) and body, for tests and embedding. */
    public static IngressRequest post(@Nullable String contentType, byte[] body) {
        return new IngressRequest(
                "POST",
                contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType)),
                body,
                body.length);
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }
}
