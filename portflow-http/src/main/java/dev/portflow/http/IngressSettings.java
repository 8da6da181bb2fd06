package dev.portflow.http;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an ingress endpoint behaves.
 *
 * @param path         the request path, e.g. {@code /orders}
 * @param timeout      how long a request may wait for room in the buffer before it is answered 503
 * @param maxBodyBytes larger bodies are answered 413
 * @param authToken    when set, requests need {@code Authorization: Bearer <token>} (else 401)
 */
public record IngressSettings(
        String path,
        Duration timeout,
        int maxBodyBytes,
        @Nullable String authToken) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_BODY_BYTES = 65_536;

    public IngressSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("ingress path must start with '/', was '" + path + "'");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ingress timeout must be positive, was " + timeout);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("max_body_bytes must be >= 1, was " + maxBodyBytes);
        }
        if (authToken != null && authToken.isBlank()) {
            throw new IllegalArgumentException("auth_token must not be blank; leave it out to disable authentication");
        }
    }

    /** Timeout 2000 ms, 64 KiB bodies, no authentication. */
    public static IngressSettings of(String path) {
        return new IngressSettings(path, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, null);
    }

    public IngressSettings timeout(Duration newTimeout) {
        return new IngressSettings(path, newTimeout, maxBodyBytes, authToken);
    }

    public IngressSettings maxBodyBytes(int newMax) {
        return new IngressSettings(path, timeout, newMax, authToken);
    }

    public IngressSettings authToken(@Nullable String newToken) {
        return new IngressSettings(path, timeout, maxBodyBytes, newToken);
    }
}
