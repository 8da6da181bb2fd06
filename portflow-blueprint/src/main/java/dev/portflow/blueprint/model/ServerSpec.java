package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The runtime server's address and limits ({@code server:}). Port 0 picks a free port; a limit left
 * out ({@code null}) is the server's default (see {@code PortflowServer.Builder}).
 *
 * @param host                  interface to bind; default {@code 127.0.0.1}
 * @param port                  0..65535; default 8080
 * @param maxConnections        {@code max_connections}: open TCP connections at most, or {@code null}
 * @param maxConcurrentRequests {@code max_concurrent_requests}: requests handled at once, or {@code null}
 * @param maxHeaderBytes        {@code max_header_bytes}: request line and headers together, or {@code null}
 * @param idleTimeout           {@code idle_timeout_ms}: an idle connection is closed after it, or {@code null}
 * @param readTimeout           {@code read_timeout_ms}: a client silent this long mid-request is cut off, or {@code null}
 * @param position              where the section starts (the document start when absent)
 * @param positions             where each key's value starts
 */
public record ServerSpec(
        String host,
        int port,
        @Nullable Integer maxConnections,
        @Nullable Integer maxConcurrentRequests,
        @Nullable Integer maxHeaderBytes,
        @Nullable Duration idleTimeout,
        @Nullable Duration readTimeout,
        Position position,
        Map<String, Position> positions) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ServerSpec {
        positions = Positions.copy(positions);
    }

    /** An address with the server's default limits. */
    public ServerSpec(String host, int port, Position position, Map<String, Position> positions) {
        this(host, port, null, null, null, null, null, position, positions);
    }

    /** {@code 127.0.0.1:8080}. */
    public static ServerSpec defaults(Position position) {
        return new ServerSpec(DEFAULT_HOST, DEFAULT_PORT, position, Map.of());
    }

    public Position position(String key) {
        return positions.getOrDefault(key, position);
    }
}
