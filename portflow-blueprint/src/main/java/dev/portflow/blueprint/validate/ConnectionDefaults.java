package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.KafkaSpec;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.disk.DiskEdge;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a connection's buffer is when its options are left out (see {@link ConnectionSpec}): 1024
 * messages in memory, a consumer lag of 10000 over Kafka, 10000 records in at most 1 GiB on disk;
 * {@code block}, or {@code block_with_timeout} for a connection leaving an {@code api_endpoint}; a
 * 2000 ms timeout.
 *
 * <p>Internal: not part of the API; public for {@code dev.portflow.blueprint.assemble} and
 * {@code dev.portflow.blueprint}, which build and draw connections with the defaults validation checks
 * them with.
 */
public final class ConnectionDefaults {

    public static final int DEFAULT_CAPACITY = ConnectionOptions.DEFAULT_CAPACITY;
    public static final Duration DEFAULT_TIMEOUT = ConnectionOptions.DEFAULT_TIMEOUT;
    /** The records a disk connection's log may hold when it gives no {@code buffer_size}. */
    public static final int DEFAULT_DISK_CAPACITY = 10_000;

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

    /** {@code buffer_size}, else {@link #defaultBufferSize}. */
    public static int bufferSize(ConnectionSpec c) {
        return c.bufferSize() != null ? c.bufferSize() : defaultBufferSize(c);
    }

    /** The buffer of {@code c}'s transport: 1024 in memory, a consumer lag of 10000 over Kafka, 10000 records on disk. */
    public static int defaultBufferSize(ConnectionSpec c) {
        return c.isKafka() ? KafkaSpec.DEFAULT_LAG_ALLOWED : c.isDisk() ? DEFAULT_DISK_CAPACITY : DEFAULT_CAPACITY;
    }

    /** The bytes a disk connection's log may take: {@code max_bytes}, else 1 GiB. */
    public static long maxBytes(ConnectionSpec c) {
        return c.maxBytes() != null ? c.maxBytes() : DiskEdge.DEFAULT_MAX_BYTES;
    }
}
