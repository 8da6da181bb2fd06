package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ConnectionSpec;
import dev.portflow.blueprint.model.Endpoint;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.disk.DiskEdge;
import dev.portflow.kafka.JsonFieldKey;
import dev.portflow.kafka.KafkaEdge;
import dev.portflow.port.OverflowPolicy;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The options of one connection: {@code buffer_size}, {@code overflow}, {@code timeout_ms},
 * {@code transport}, {@code topic}, {@code max_bytes}, {@code partitions} and {@code key} are each valid
 * and apply to it, for a connection that takes an ingress's requests ({@link IngressSends}), for one
 * over Kafka and for one on disk too. (Whether a Kafka connection's {@code key} fits the schema of its
 * messages is {@link KafkaKeys}'.)
 */
final class ConnectionSettings {

    static final List<String> OVERFLOW_NAMES =
            List.of("block", "block_with_timeout", "drop_oldest", "drop_newest", "fail");
    static final List<String> TRANSPORTS = List.of(ConnectionSpec.MEMORY, ConnectionSpec.KAFKA, ConnectionSpec.DISK);

    private ConnectionSettings() {}

    /** The options of connection {@code c}, whose sending component is {@code from} ({@code null} when unknown). */
    static void check(ValidationState state, ConnectionSpec c, @Nullable Resolved from) {
        Integer size = c.bufferSize();
        if (size != null && size < 1) {
            state.problem(
                    c.position("buffer_size"),
                    size == 0
                            ? "buffer_size must be at least 1, was 0: a buffer with no room can never take a message"
                            : "buffer_size must be at least 1, was " + size,
                    "use 1 for a hand-off, or leave it out for the default " + ConnectionDefaults.defaultBufferSize(c));
        }
        OverflowPolicy policy = c.overflowPolicy();
        if (c.overflow() != null && policy == null) {
            state.problem(
                    c.position("overflow"),
                    "unknown overflow policy '" + c.overflow() + "'",
                    Suggestions.didYouMean(c.overflow(), OVERFLOW_NAMES, "one of"));
        }
        if (from != null
                && IngressSends.isIngress(from.recipe())
                && c.from() != null
                && IngressSends.carriesRequests(c.from().port())) {
            ingressOptions(state, c, from, policy);
        }
        if (c.timeoutMs() != null) {
            if (c.timeoutMs() < 1) {
                state.problem(
                        c.position("timeout_ms"),
                        "timeout_ms must be at least 1, was " + c.timeoutMs(),
                        "how long a block_with_timeout send waits, in milliseconds; the default is 2000");
            } else {
                OverflowPolicy effective = policy != null
                        ? policy
                        : c.overflow() == null && from != null ? ConnectionDefaults.defaultPolicy(from.recipe()) : null;
                if (effective != null && effective != OverflowPolicy.BLOCK_WITH_TIMEOUT) {
                    state.problem(
                            c.position("timeout_ms"),
                            "timeout_ms only applies to overflow: block_with_timeout, but this" + " connection uses "
                                    + effective.name().toLowerCase(Locale.ROOT),
                            "add overflow: block_with_timeout, or remove timeout_ms");
                }
            }
        }
        String transport = c.transport();
        if (transport != null && !TRANSPORTS.contains(transport)) {
            state.problem(
                    c.position("transport"),
                    "unknown transport '" + transport + "'",
                    Suggestions.didYouMean(transport, TRANSPORTS, "one of"));
        } else {
            if (c.isKafka()) {
                kafkaOptions(state, c, policy);
            } else {
                kafkaOnly(state, c);
            }
            diskOptions(state, c, policy);
        }
    }

    /**
     * A connection that takes an ingress's accepted requests: never {@code drop_oldest} (a request
     * answered 202 would be lost), and no {@code timeout_ms} longer than the endpoint's own, which
     * bounds every request's wait (see {@link IngressSends}).
     */
    private static void ingressOptions(
            ValidationState state, ConnectionSpec c, Resolved from, @Nullable OverflowPolicy policy) {
        if (policy == OverflowPolicy.DROP_OLDEST && !c.isKafka() && !c.isDisk()) { // they say it in their own words
            state.problem(
                    c.position("overflow"),
                    "overflow drop_oldest cannot apply to a connection from api_endpoint '"
                            + from.spec().name() + "': a request answered 202 must not be dropped afterwards",
                    "use block_with_timeout (the default; a full buffer answers 503 + Retry-After after the wait),"
                            + " or drop_newest or fail to answer 503 at once");
        }
        OverflowPolicy effective =
                policy != null ? policy : c.overflow() == null ? ConnectionDefaults.defaultPolicy(from.recipe()) : null;
        if (effective == OverflowPolicy.BLOCK_WITH_TIMEOUT
                && c.timeoutMs() != null
                && from.configOk()
                && from.config().has("timeout_ms")) {
            long ingress = from.config().getLong("timeout_ms");
            if (c.timeoutMs() > ingress) {
                state.problem(
                        c.position("timeout_ms"),
                        "timeout_ms " + c.timeoutMs() + " never applies: api_endpoint '"
                                + from.spec().name() + "' answers 503 after its own timeout_ms (" + ingress + " ms)",
                        "a request waits for the shorter of the two; leave timeout_ms out here, or raise the"
                                + " api_endpoint's timeout_ms");
            }
        }
    }

    /** What a Kafka connection may say: a valid topic, partitions and key, no drop_oldest. */
    private static void kafkaOptions(ValidationState state, ConnectionSpec c, @Nullable OverflowPolicy policy) {
        kafkaScaleOut(state, c);
        String topic = c.topic();
        Endpoint from = c.from();
        String pipeline = state.blueprint.name();
        if (topic != null) {
            if (!KafkaEdge.isTopicName(topic)) {
                state.problem(
                        c.position("topic"),
                        "'" + topic + "' is not a Kafka topic name",
                        "1 to 249 characters of a-z A-Z 0-9 . _ -, not . or ..");
            }
        } else if (from != null && pipeline != null) {
            String defaultTopic = ConnectionSpec.defaultTopic(pipeline, from);
            if (!KafkaEdge.isTopicName(defaultTopic)) {
                state.problem(
                        c.position("transport"),
                        "the default topic '" + defaultTopic + "' is not a Kafka topic name",
                        "give the connection a topic: (1 to 249 of a-z A-Z 0-9 . _ -)");
            }
        }
        if (policy == OverflowPolicy.DROP_OLDEST) {
            state.problem(
                    c.position("overflow"),
                    "overflow drop_oldest cannot apply to a kafka connection: a record"
                            + " in a topic cannot be taken back",
                    "use drop_newest, block, block_with_timeout or fail; buffer_size is the consumer lag allowed");
        }
    }

    /** The options only a Kafka connection has, on a connection that is not one. */
    private static void kafkaOnly(ValidationState state, ConnectionSpec c) {
        if (c.topic() != null) {
            state.problem(
                    c.position("topic"),
                    "topic only applies to transport: kafka",
                    "add transport: kafka, or remove topic");
        }
        if (c.partitions() != null) {
            state.problem(
                    c.position("partitions"),
                    "partitions only applies to transport: kafka: it is the partition count of the connection's"
                            + " topic",
                    "add transport: kafka, or remove partitions");
        }
        if (c.key() != null) {
            state.problem(
                    c.position("key"),
                    "key only applies to transport: kafka: it is the record key of the connection's topic",
                    "add transport: kafka, or remove key; to keep messages with one key in order on a component"
                            + " with several workers, give that component ordering: key and key: <field>");
        }
    }

    /**
     * A Kafka connection's {@code partitions} (1 to {@value KafkaEdge#MAX_PARTITIONS}) and {@code key}
     * (a top-level field name, {@link JsonFieldKey#FIELD_NAME_RULE}).
     */
    private static void kafkaScaleOut(ValidationState state, ConnectionSpec c) {
        Long partitions = c.partitions();
        if (partitions != null && (partitions < 1 || partitions > KafkaEdge.MAX_PARTITIONS)) {
            state.problem(
                    c.position("partitions"),
                    partitions < 1
                            ? "partitions must be at least 1, was " + partitions
                                    + ": a topic needs a partition to hold records"
                            : "partitions must be at most " + KafkaEdge.MAX_PARTITIONS + ", was " + partitions,
                    "the partitions the topic is created with when it does not exist (up to as many receiving"
                            + " processes as partitions share the work); leave it out for the broker's default");
        }
        String key = c.key();
        if (key != null && !JsonFieldKey.isFieldName(key)) {
            state.problem(
                    c.position("key"),
                    key.isEmpty()
                            ? "key must name a field of the message, was empty"
                            : "key '" + key + "' is not a field name",
                    key.contains(".")
                            ? "the key is a top-level field of the JSON message (a nested one cannot be named):"
                                    + " copy it to the top level with a map component before the connection, e.g."
                                    + " fields: {" + key.replace('.', '_') + ": \"" + key + "\"}"
                            : "the key is a top-level field of the JSON message: " + JsonFieldKey.FIELD_NAME_RULE);
        }
    }

    /**
     * What a disk connection may say, and what only a disk connection may: no drop_oldest, and a
     * {@code max_bytes} of at least {@link DiskEdge#MIN_MAX_BYTES}.
     */
    private static void diskOptions(ValidationState state, ConnectionSpec c, @Nullable OverflowPolicy policy) {
        Long maxBytes = c.maxBytes();
        if (maxBytes != null && !c.isDisk()) {
            state.problem(
                    c.position("max_bytes"),
                    "max_bytes only applies to transport: disk",
                    "add transport: disk, or remove max_bytes");
        } else if (maxBytes != null && maxBytes < DiskEdge.MIN_MAX_BYTES) {
            state.problem(
                    c.position("max_bytes"),
                    "max_bytes must be at least " + DiskEdge.MIN_MAX_BYTES + " (1 MiB), was " + maxBytes,
                    "the bytes the connection's log may take on disk; leave it out for the default "
                            + DiskEdge.DEFAULT_MAX_BYTES + " (1 GiB)");
        }
        if (c.isDisk() && policy == OverflowPolicy.DROP_OLDEST) {
            state.problem(
                    c.position("overflow"),
                    "overflow drop_oldest cannot apply to a disk connection: a record on disk is acknowledged as"
                            + " durable; it cannot be evicted",
                    "use drop_newest, block, block_with_timeout or fail; buffer_size is the records its log may hold");
        }
    }
}
