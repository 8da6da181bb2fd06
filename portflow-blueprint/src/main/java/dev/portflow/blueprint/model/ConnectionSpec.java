package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.port.OverflowPolicy;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code connections:}. Options left out are {@code null} and take the defaults at
 * assembly: buffer 1024 (for a Kafka connection: a consumer lag of 10000; for a disk connection:
 * 10000 records in its log); {@code block} (or {@code block_with_timeout} for edges leaving an
 * {@code api_endpoint}); timeout 2000 ms; transport {@code memory}; the topic of a Kafka connection
 * {@code portflow.<pipeline>.<from component>.<from port>}; the bytes a disk connection's log may
 * take 1 GiB; the partitions a Kafka connection's topic is created with, the broker's default; the
 * record key of a Kafka connection, the message id.
 *
 * @param from       the sending port ({@code null} in a model with problems)
 * @param to         the receiving port ({@code null} in a model with problems)
 * @param bufferSize {@code buffer_size} (for Kafka: the consumer lag allowed; for disk: the records its
 *                   log may hold), or {@code null}
 * @param overflow   {@code overflow} as written, or {@code null}
 * @param timeoutMs  {@code timeout_ms}, or {@code null}
 * @param transport  {@code transport} as written, or {@code null}
 * @param topic      {@code topic} (Kafka), or {@code null}
 * @param maxBytes   {@code max_bytes} (disk: the bytes its log may take on disk), or {@code null}
 * @param partitions {@code partitions} (Kafka: the partitions its topic is created with when missing), or
 *                   {@code null}
 * @param key        {@code key} (Kafka: the top-level field of the message whose value is the record key),
 *                   or {@code null}
 * @param position   where the entry starts
 * @param positions  where each key's value starts
 */
public record ConnectionSpec(
        @Nullable Endpoint from,
        @Nullable Endpoint to,
        @Nullable Integer bufferSize,
        @Nullable String overflow,
        @Nullable Long timeoutMs,
        @Nullable String transport,
        @Nullable String topic,
        @Nullable Long maxBytes,
        @Nullable Long partitions,
        @Nullable String key,
        Position position,
        Map<String, Position> positions) {

    public static final String MEMORY = "memory";
    public static final String KAFKA = "kafka";
    public static final String DISK = "disk";

    public ConnectionSpec {
        positions = Positions.copy(positions);
    }

    /** Where the value of {@code key} starts, else where the entry starts. */
    public Position position(String key) {
        return positions.getOrDefault(key, position);
    }

    /** The overflow policy written, or {@code null} when left out or not one of the five. */
    public @Nullable OverflowPolicy overflowPolicy() {
        return parseOverflow(overflow);
    }

    /** Whether {@code transport: kafka}: the buffer is a Kafka topic. */
    public boolean isKafka() {
        return KAFKA.equals(transport);
    }

    /** Whether {@code transport: disk}: the buffer is a log in this process's data directory. */
    public boolean isDisk() {
        return DISK.equals(transport);
    }

    static @Nullable OverflowPolicy parseOverflow(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return OverflowPolicy.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The Kafka topic of this connection: {@code topic} as written, else
     * {@code portflow.<pipeline>.<from component>.<from port>}.
     */
    public @Nullable String topicIn(String pipeline) {
        if (topic != null) {
            return topic;
        }
        return from == null ? null : defaultTopic(pipeline, from);
    }

    /** {@code portflow.<pipeline>.<from component>.<from port>}: the topic of a Kafka connection that names none. */
    public static String defaultTopic(String pipeline, Endpoint from) {
        return "portflow." + pipeline + "." + from.component() + "." + from.port();
    }

    /** {@code from -> to}. */
    public String describe() {
        return from + " -> " + to;
    }
}
