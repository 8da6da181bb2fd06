package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The optional {@code kafka:} section: how the process reaches Kafka for the blueprint's
 * {@code transport: kafka} connections.
 *
 * <pre>{@code
 * kafka:
 *   bootstrap_servers: "broker1:9092,broker2:9092"   # PORTFLOW_KAFKA_BOOTSTRAP overrides it
 *   client: {security.protocol: SSL}                  # extra Kafka client properties
 *   lag_refresh_ms: 200                               # how often consumer lag (the depth) is read
 *   prefetch: 500                                     # records read ahead per receiving port
 * }</pre>
 *
 * @param bootstrapServers {@code host:port[,host:port...]}, or {@code null} when not given
 * @param client           extra Kafka client properties (producer, consumer, admin), in file order
 * @param lagRefreshMs     how often the consumer lag is read, at least 10 ms
 * @param prefetch         records read ahead of each receiving component, at least 1
 * @param settings         the section as written, with positions
 */
public record KafkaSpec(
        @Nullable String bootstrapServers,
        Map<String, String> client,
        int lagRefreshMs,
        int prefetch,
        YamlNode.Mapping settings) {

    /** {@code lag_refresh_ms} when left out. */
    public static final int DEFAULT_LAG_REFRESH_MS = 200;
    /** {@code prefetch} when left out. */
    public static final int DEFAULT_PREFETCH = 500;
    /** The consumer lag a Kafka connection allows when it gives no {@code buffer_size}. */
    public static final int DEFAULT_LAG_ALLOWED = 10_000;

    public KafkaSpec {
        client = Positions.ordered(client);
    }

    /** No section: no bootstrap servers, no client properties, the defaults. */
    public static KafkaSpec defaults(Position position) {
        return new KafkaSpec(
                null,
                Map.of(),
                DEFAULT_LAG_REFRESH_MS,
                DEFAULT_PREFETCH,
                new YamlNode.Mapping(java.util.List.of(), position));
    }

    /** Where the section starts. */
    public Position position() {
        return settings.position();
    }

    /** Where the value of {@code key} starts, else where the section starts. */
    public Position position(String key) {
        YamlNode value = settings.get(key);
        return value != null ? value.position() : settings.position();
    }
}
