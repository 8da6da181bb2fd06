package dev.portflow.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * How to reach Kafka: the bootstrap servers, extra client properties (e.g. security settings,
 * passed to every producer, consumer and admin client), and how often consumer-group lag is read.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param clientProperties extra Kafka client properties; they override the defaults below
 * @param lagRefresh       how often the lag that stands for a Kafka edge's depth is read (at most)
 * @param instanceId       this process's stable name among the processes that share a stage
 *                         ({@code --instance-id}, {@value #INSTANCE_ID_ENV}), or {@code null}: its
 *                         consumers are static members ({@code group.instance.id}), so a restarted
 *                         process gets its partitions back without a rebalance
 */
public record KafkaSettings(
        String bootstrapServers,
        Map<String, String> clientProperties,
        Duration lagRefresh,
        @Nullable String instanceId) {

    /** The environment variable that names the bootstrap servers; it overrides the blueprint. */
    public static final String BOOTSTRAP_ENV = "PORTFLOW_KAFKA_BOOTSTRAP";
    /** The environment variable that names this process's instance id; {@code --instance-id} overrides it. */
    public static final String INSTANCE_ID_ENV = "PORTFLOW_INSTANCE_ID";

    private static final Pattern INSTANCE_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    /** The producer's {@code linger.ms} unless {@code kafka.client} sets it. */
    public static final int DEFAULT_LINGER_MS = 5;
    /** The producer's {@code batch.size} (bytes per partition batch) unless {@code kafka.client} sets it. */
    public static final int DEFAULT_BATCH_SIZE = 64 * 1024;
    /** The producer's {@code max.block.ms} (how long a send may wait for metadata) unless {@code kafka.client} sets it. */
    public static final int DEFAULT_MAX_BLOCK_MS = 1000;
    /** Default period of lag reads: frequent enough for overflow, light on the broker. */
    public static final Duration DEFAULT_LAG_REFRESH = Duration.ofMillis(200);

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are not set: give kafka: {bootstrap_servers: "
                    + "host:port} in the blueprint or the environment variable " + BOOTSTRAP_ENV);
        }
        clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
        Objects.requireNonNull(lagRefresh, "lagRefresh");
        if (lagRefresh.toMillis() < 10) {
            throw new IllegalArgumentException("lag refresh must be at least 10 ms, was " + lagRefresh);
        }
        if (instanceId != null) {
            requireInstanceId(instanceId);
        }
    }

    /**
     * {@code id} if it is a valid instance id (1 to 200 of a-z A-Z 0-9 . _ -).
     *
     * @throws IllegalArgumentException saying what a valid one looks like
     */
    public static String requireInstanceId(String id) {
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not an instance id: 1 to 200 of a-z A-Z 0-9 . _ -"
                    + " (unique among the processes that run the same components, stable across their restarts)");
        }
        return id;
    }

    /** {@code bootstrapServers} with the default client properties and lag refresh. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of(), DEFAULT_LAG_REFRESH, null);
    }

    /**
     * The bootstrap servers from {@value #BOOTSTRAP_ENV} when that is set in {@code environment},
     * else {@code configured} (the blueprint's); a deployment overrides a file, not the reverse.
     */
    public static String bootstrapFrom(String configured, Map<String, String> environment) {
        String fromEnvironment = environment.get(BOOTSTRAP_ENV);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment.trim() : configured;
    }

    public KafkaSettings withLagRefresh(Duration refresh) {
        return new KafkaSettings(bootstrapServers, clientProperties, refresh, instanceId);
    }

    public KafkaSettings withClientProperties(Map<String, String> properties) {
        return new KafkaSettings(bootstrapServers, properties, lagRefresh, instanceId);
    }

    /**
     * This process's instance id ({@code null}: none): each receiving edge's consumer joins its group
     * as the static member {@code id}, so a process restarted with the same id gets its partitions
     * back at once instead of after a rebalance. Processes sharing a stage need different ids.
     * A static member that stops (or dies) keeps its partitions until {@code session.timeout.ms}
     * (Kafka's default 45 s) passes without it: scaling down pauses those partitions that long.
     *
     * @throws IllegalArgumentException if {@code id} is not 1 to 200 of a-z A-Z 0-9 . _ -
     */
    public KafkaSettings withInstanceId(@Nullable String id) {
        return new KafkaSettings(bootstrapServers, clientProperties, lagRefresh, id);
    }

    /**
     * The instance id from {@code given} (the command line) when not null, else from
     * {@value #INSTANCE_ID_ENV} in {@code environment} when set, else {@code null}.
     */
    public static @Nullable String instanceIdFrom(@Nullable String given, Map<String, String> environment) {
        if (given != null) {
            return given;
        }
        String fromEnvironment = environment.get(INSTANCE_ID_ENV);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment.trim() : null;
    }

    /**
     * The properties of the producer behind this process's sending edges (and of a baseline that
     * wants to compare with them): idempotent, waiting for every in-sync replica, so an
     * acknowledged record is durable; the client properties override these.
     */
    public Properties producerProperties(String clientId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Sends are pipelined, so batching pays: bench/run-kafka measured linger 5 ms + 64 KiB batches
        // at 1.1-2x the one-sender throughput of linger 0 + 16 KiB (lz4 cost more than it saved on
        // 127.0.0.1). A lone request waits up to linger.ms more for its acknowledgement.
        p.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        // send() blocks for topic metadata (or buffer space) up to this; Kafka's 60 s would hold a sender
        // (an ingress request) far past its timeout while the broker is down. The link reports the
        // timeout as no room, so the port's overflow policy decides what happens next.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return withOverrides(p);
    }

    /**
     * The properties of a receiving edge's consumer: in {@code groupId}, committing only by hand,
     * from the earliest record when the group has no commit; the client properties override these.
     */
    public Properties consumerProperties(String groupId, String clientId, int maxPollRecords) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (instanceId != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return withOverrides(p);
    }

    Properties admin(String clientId) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return withOverrides(p);
    }

    private Properties withOverrides(Map<String, Object> defaults) {
        Properties properties = new Properties();
        properties.putAll(defaults);
        properties.putAll(clientProperties);
        return properties;
    }
}
