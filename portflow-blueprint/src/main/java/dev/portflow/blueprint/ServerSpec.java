package dev.portflow.blueprint;

import java.util.Map;

/**
 * The runtime server's address ({@code server:}). Port 0 picks a free port.
 *
 * @param host      interface to bind; default {@code 127.0.0.1}
 * @param port      0..65535; default 8080
 * @param position  where the section starts (the document start when absent)
 * @param positions where each key's value starts
 */
public record ServerSpec(String host, int port, Position position, Map<String, Position> positions) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ServerSpec {
        positions = Positions.copy(positions);
    }

    /** {@code 127.0.0.1:8080}. */
    public static ServerSpec defaults(Position position) {
        return new ServerSpec(DEFAULT_HOST, DEFAULT_PORT, position, Map.of());
    }

    public Position position(String key) {
        return positions.getOrDefault(key, position);
    }
}
