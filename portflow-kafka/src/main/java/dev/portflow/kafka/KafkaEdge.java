package dev.portflow.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One pipeline connection bound to a Kafka topic: who sends, who receives, the topic, and the
 * consumer-group lag allowed before the sender's overflow policy applies.
 *
 * @param pipeline      the pipeline's name
 * @param fromComponent the sending component
 * @param fromPort      its output port
 * @param toComponent   the receiving component
 * @param toPort        its input port
 * @param topic         the topic holding the connection's messages
 * @param capacity      the lag allowed (the edge's buffer size)
 */
public record KafkaEdge(
        String pipeline,
        String fromComponent,
        String fromPort,
        String toComponent,
        String toPort,
        String topic,
        long capacity) {

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
