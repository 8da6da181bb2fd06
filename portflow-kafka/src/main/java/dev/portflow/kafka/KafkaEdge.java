package dev.portflow.kafka;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One pipeline connection bound to a Kafka topic: who sends, who receives, the topic, the
 * consumer-group lag allowed before the sender's overflow policy applies, and the partitions the
 * topic is created with when it does not exist yet.
 *
 * @param pipeline      the pipeline's name
 * @param fromComponent the sending component
 * @param fromPort      its output port
 * @param toComponent   the receiving component
 * @param toPort        its input port
 * @param topic         the topic holding the connection's messages
 * @param capacity      the lag allowed (the edge's buffer size)
 * @param partitions    the partitions the topic is created with when it is missing (1 to
 *                      {@value #MAX_PARTITIONS}), or empty for the broker's default; an existing topic
 *                      is never changed (see {@link KafkaTransport#ensureTopic(String, int)})
 */
public record KafkaEdge(
        String pipeline,
        String fromComponent,
        String fromPort,
        String toComponent,
        String toPort,
        String topic,
        long capacity,
        OptionalInt partitions) {

    /** The most partitions an edge may ask its topic to be created with. */
    public static final int MAX_PARTITIONS = 10_000;

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaEdge {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(fromComponent, "fromComponent");
        Objects.requireNonNull(fromPort, "fromPort");
        Objects.requireNonNull(toComponent, "toComponent");
        Objects.requireNonNull(toPort, "toPort");
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(
                    "'" + topic + "' is not a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("the lag allowed on " + topic + " must be >= 1, was " + capacity);
        }
        Objects.requireNonNull(partitions, "partitions");
        if (partitions.isPresent()) {
            checkPartitions(topic, partitions.getAsInt());
        }
    }

    /** An edge whose topic, when missing, is created with the broker's default partitions. */
    public KafkaEdge(
            String pipeline,
            String fromComponent,
            String fromPort,
            String toComponent,
            String toPort,
            String topic,
            long capacity) {
        this(pipeline, fromComponent, fromPort, toComponent, toPort, topic, capacity, OptionalInt.empty());
    }

    /**
     * This edge with its topic created with {@code count} partitions when it is missing: both ends
     * create it if they find it missing, so both must be given the same count.
     *
     * @throws IllegalArgumentException if {@code count} is not between 1 and {@value #MAX_PARTITIONS}
     */
    public KafkaEdge withPartitions(int count) {
        return new KafkaEdge(
                pipeline, fromComponent, fromPort, toComponent, toPort, topic, capacity, OptionalInt.of(count));
    }

    /** Throws unless {@code count} partitions (for {@code topic}) is between 1 and {@value #MAX_PARTITIONS}. */
    static void checkPartitions(String topic, int count) {
        if (count < 1 || count > MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "the partitions of topic " + topic + " must be 1 to " + MAX_PARTITIONS + ", was " + count);
        }
    }

    /** Whether {@code name} is a valid topic name. */
    public static boolean isTopicName(String name) {
        return name != null && TOPIC.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /**
     * The receiver's consumer group, named after the pipeline and the receiving component and port
     * (so two Kafka inputs of one merger do not disturb each other's group).
     */
    public String groupId() {
        return "portflow." + pipeline + "." + toComponent + "." + toPort;
    }

    /** {@code kafka:topic}, how the edge's far end is named in graphs and messages. */
    public String target() {
        return "kafka:" + topic;
    }

    /** {@code from.port -> to.port}. */
    public String describe() {
        return fromComponent + "." + fromPort + " -> " + toComponent + "." + toPort + " (kafka topic " + topic + ")";
    }
}
