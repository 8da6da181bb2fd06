package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.KafkaSpec;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a connection's buffer is when its options are left out (see {@link ConnectionSpec}): 1024
 * messages in memory, a consumer lag of 10000 over Kafka; {@code block}, or {@code block_with_timeout}
 * for a connection leaving an {@code api_endpoint}; a 2000 ms timeout.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint.assemble} and
 * {@code dev.portflow.blueprint}, which build and draw connections with the defaults validation checks
 * them with.
 */
public final class ConnectionDefaults {

    public static final int DEFAULT_CAPACITY = ConnectionOptions.DEFAULT_CAPACITY;
    public static final Duration DEFAULT_TIMEOUT = ConnectionOptions.DEFAULT_TIMEOUT;

    private ConnectionDefaults() {}

    /**
     * {@code block_with_timeout} for edges leaving an {@code api_endpoint}, else {@code block}.
     *
     * @param from the sending component's recipe; {@code null} for a user class
     */
    public static OverflowPolicy defaultPolicy(@Nullable Recipe from) {
        return from != null && IngressSends.API_ENDPOINT.equals(from.name())
                ? OverflowPolicy.BLOCK_WITH_TIMEOUT
                : OverflowPolicy.BLOCK;
    }

    /** The buffer of one connection: what it says, else the defaults (for Kafka: the consumer lag allowed). */
    public static ConnectionOptions options(ConnectionSpec c, @Nullable Recipe from) {
        OverflowPolicy written = c.overflowPolicy();
        OverflowPolicy policy = written != null ? written : defaultPolicy(from);
        return ConnectionOptions.defaults()
                .capacity(bufferSize(c))
                .overflow(policy)
                .timeout(c.timeoutMs() != null ? Duration.ofMillis(c.timeoutMs()) : DEFAULT_TIMEOUT);
    }

    /** {@code buffer_size}, else 1024 in memory and a consumer lag of 10000 over Kafka. */
    public static int bufferSize(ConnectionSpec c) {
        return c.bufferSize() != null ? c.bufferSize() : c.isKafka() ? KafkaSpec.DEFAULT_LAG_ALLOWED : DEFAULT_CAPACITY;
    }
}
