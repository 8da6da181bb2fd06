package dev.portflow.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of one connection on their way from the socket to Helidon's HTTP/1.1 parser; it looks at
 * the connection's first request and, in two cases, lets through exactly one request before ending
 * the stream (so Helidon closes the connection after answering it):
 *
 * <ul>
 *   <li>an <b>HTTP/1.0</b> request, which Helidon 4 does not parse (it closes such connections
 *       without a word): its head is rewritten to HTTP/1.1 with {@code Connection: close} (and a
 *       {@code Host} when the client sent none). The answer is an HTTP/1.1 response, as RFC 9112
 *       section 2.5 allows, and the connection is closed after it, as RFC 9112 section 9.3 asks for
 *       HTTP/1.0 clients that did not negotiate keep-alive. A {@code Transfer-Encoding} in an HTTP/1.0
 *       request is faulty framing (RFC 9112 section 6.1): answered 400 here;</li>
 *   <li>a connection beyond the server's connection limit (a <em>reserve</em> connection): a health
 *       probe ({@code GET} of one of {@code healthPaths}) is served, anything else is answered 503
 *       {@code too_many_connections} with {@code Retry-After} at once.</li>
 * </ul>
 *
 * <p>Every other connection passes through untouched after its first request line. Used from the
 * connection's own thread only.
 */
final class FirstRequestFilter implements Supplier<byte @Nullable []> {

    private enum Mode {
        INSPECTING,
        PASS_THROUGH,
        ONE_REQUEST,
        ENDED
    }

    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

    private final Supplier<byte @Nullable []> source;
    private final boolean reserve;
    private final Set<String> healthPaths;
    private final int maxHeadBytes;
    private final Supplier<String> hostHeader;
    private final Consumer<byte[]> answer;
    private final BooleanSupplier nextRequestWanted;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private volatile Mode mode = Mode.INSPECTING;
    /** Body bytes still to pass in {@link Mode#ONE_REQUEST}; -1 when the length is unknown (Helidon decides). */
    private long bodyLeft = -1;
    /** Body bytes that arrived with the head, not yet asked for. */
    private byte @Nullable [] pendingBody;

    /**
     * @param source       the connection's bytes ({@code null} at end of stream)
     * @param reserve      whether this connection is beyond the connection limit
     * @param healthPaths  paths a reserve connection may {@code GET}
     * @param maxHeadBytes the request line and headers at most, as the HTTP parser allows
     * @param hostHeader   the {@code Host} to give an HTTP/1.0 request without one
     * @param answer       writes a complete response to the client
     * @param nextRequestWanted whether Helidon is waiting for a request line (after the one request: the end)
     */
    FirstRequestFilter(
            Supplier<byte @Nullable []> source,
            boolean reserve,
            Set<String> healthPaths,
            int maxHeadBytes,
            Supplier<String> hostHeader,
            Consumer<byte[]> answer,
            BooleanSupplier nextRequestWanted) {
        this.source = source;
        this.reserve = reserve;
        this.healthPaths = healthPaths;
        this.maxHeadBytes = maxHeadBytes;
        this.hostHeader = hostHeader;
        this.answer = answer;
        this.nextRequestWanted = nextRequestWanted;
    }

    /** Whether part, but not all, of the first request's head has arrived. */
    boolean inPartialHead() {
        return mode == Mode.INSPECTING && head.size() > 0;
    }

    @Override
    public byte @Nullable [] get() {
        return switch (mode) {
            case PASS_THROUGH -> source.get();
            case ONE_REQUEST -> nextRequestWanted.getAsBoolean() ? end() : restOfBody();
            case ENDED -> null;
            case INSPECTING -> inspect();
        };
    }

    private byte @Nullable [] inspect() {
        int lineEnd;
        while ((lineEnd = indexOf(LF)) < 0) {
            if (head.size() > maxHeadBytes || !readMore()) {
                return giveUp();
            }
        }
        String requestLine = new String(head.toByteArray(), 0, lineEnd, StandardCharsets.ISO_8859_1).strip();
        boolean http10 = requestLine.endsWith(" HTTP/1.0");
        if (reserve && !isHealthProbe(requestLine)) {
            return refuseTooManyConnections();
        }
        if (!http10 && !reserve) {
            mode = Mode.PASS_THROUGH;
            return drainHead();
        }
        int headEnd;
        while ((headEnd = indexOf(CRLF_CRLF)) < 0) {
            if (head.size() > maxHeadBytes || !readMore()) {
                // Too large (or cut off): let Helidon refuse it, as HTTP/1.1 so it gets a proper answer.
                mode = Mode.PASS_THROUGH;
                byte[] bytes = drainHead();
                return http10 ? asHttp11(bytes, lineEnd) : bytes;
            }
        }
        return oneRequest(requestLine, http10, headEnd + CRLF_CRLF.length);
    }

    /** The head rewritten for one request (HTTP/1.1, {@code Connection: close}, a {@code Host}). */
    private byte @Nullable [] oneRequest(String requestLine, boolean http10, int bodyStart) {
        byte[] bytes = drainHead();
        String[] lines = new String(bytes, 0, bodyStart - CRLF_CRLF.length, StandardCharsets.ISO_8859_1).split("\r?\n");
        List<String> fields = new ArrayList<>(Arrays.asList(lines).subList(1, lines.length));
        boolean hasHost = false;
        boolean chunked = false;
        List<String> lengths = new ArrayList<>();
        for (String field : fields) {
            int colon = field.indexOf(':');
            String name = colon < 0 ? "" : field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : field.substring(colon + 1).trim();
            switch (name) {
                case "host" -> hasHost = true;
                case "content-length" -> lengths.add(value);
                case "transfer-encoding" -> {
                    if (http10) {
                        return refuse(
                                400,
                                "Bad Request",
                                "{\"error\":\"bad_request\",\"message\":"
                                        + "\"Transfer-Encoding is not allowed in an HTTP/1.0 request\"}",
                                "");
                    }
                    chunked = true;
                }
                default -> {}
            }
        }
        bodyLeft = chunked ? -1 : bodyLength(lengths); // a chunked body's end is Helidon's business
        StringBuilder rewritten = new StringBuilder(bytes.length + 64);
        rewritten.append(requestLine, 0, requestLine.lastIndexOf(' ')).append(" HTTP/1.1\r\n");
        fields.forEach(field -> rewritten.append(field).append("\r\n"));
        if (!hasHost) {
            rewritten.append("Host: ").append(hostHeader.get()).append("\r\n");
        }
        rewritten.append("Connection: close\r\n\r\n");
        mode = Mode.ONE_REQUEST;
        // Body bytes that came with the head wait until Helidon reads the body: if the route never does,
        // they never reach Helidon's buffer, where they would be parsed as a next request.
        pendingBody = bodyStart < bytes.length ? limitToBody(Arrays.copyOfRange(bytes, bodyStart, bytes.length)) : null;
        return rewritten.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The one request's body, as Helidon reads it; nothing beyond it. */
    private byte @Nullable [] restOfBody() {
        if (pendingBody != null) {
            byte[] early = pendingBody;
            pendingBody = null;
            return early;
        }
        if (bodyLeft == 0) {
            return end();
        }
        byte[] chunk = source.get();
        return chunk == null ? end() : limitToBody(chunk);
    }

    /** The part of {@code chunk} that still belongs to the body ({@code null} if none). */
    private byte @Nullable [] limitToBody(byte[] chunk) {
        if (bodyLeft < 0) {
            return chunk;
        }
        int take = (int) Math.min(chunk.length, bodyLeft);
        bodyLeft -= take;
        return take == 0 ? null : take == chunk.length ? chunk : Arrays.copyOf(chunk, take);
    }

    /** End of stream: Helidon closes the connection once it has answered. */
    private byte @Nullable [] end() {
        mode = Mode.ENDED;
        return null;
    }

    /**
     * The one valid {@code Content-Length}; 0 without any; -1 when invalid or ambiguous, where the
     * stream is left open and Helidon's parser refuses the request.
     */
    private static long bodyLength(List<String> values) {
        if (values.isEmpty()) {
            return 0; // a request without Content-Length or chunked coding has no body (RFC 9112, 6.3)
        }
        if (values.stream().distinct().count() > 1 || !values.get(0).matches("[0-9]{1,18}")) {
            return -1;
        }
        return Long.parseLong(values.get(0));
    }

    private boolean isHealthProbe(String requestLine) {
        String[] parts = requestLine.split(" ", -1); // stripped: no trailing empty strings to keep
        if (parts.length != 3 || !parts[0].equals("GET")) {
            return false;
        }
        int query = parts[1].indexOf('?');
        return healthPaths.contains(query < 0 ? parts[1] : parts[1].substring(0, query));
    }

    private byte @Nullable [] refuseTooManyConnections() {
        return refuse(
                503,
                "Service Unavailable",
                "{\"error\":\"too_many_connections\",\"message\":"
                        + "\"The server has too many open connections, please retry\"}",
                "Retry-After: 1\r\n");
    }

    private byte @Nullable [] refuse(int status, String reason, String json, String extraHeaders) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n" + extraHeaders + "Connection: close\r\n\r\n" + json;
        answer.accept(response.getBytes(StandardCharsets.UTF_8));
        return end();
    }

    /** End of stream or too long before a whole request line: pass on what there is, Helidon refuses it. */
    private byte @Nullable [] giveUp() {
        if (head.size() == 0) {
            return end(); // the client left without a word
        }
        if (reserve) {
            return refuseTooManyConnections();
        }
        mode = Mode.PASS_THROUGH;
        return drainHead();
    }

    /** {@code bytes} with the request line's version ({@code lineEnd} is its line feed) changed to HTTP/1.1. */
    private static byte[] asHttp11(byte[] bytes, int lineEnd) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte, both ways
        int version = text.lastIndexOf(" HTTP/1.0", lineEnd);
        return version < 0
                ? bytes
                : (text.substring(0, version) + " HTTP/1.1" + text.substring(version + " HTTP/1.0".length()))
                        .getBytes(StandardCharsets.ISO_8859_1);
    }

    private boolean readMore() {
        byte[] chunk = source.get();
        if (chunk == null) {
            return false;
        }
        head.writeBytes(chunk);
        return true;
    }

    private byte[] drainHead() {
        byte[] bytes = head.toByteArray();
        head.reset();
        return bytes;
    }

    private int indexOf(byte[] pattern) {
        byte[] bytes = head.toByteArray();
        outer:
        for (int i = 0; i <= bytes.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
