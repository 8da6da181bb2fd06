package dev.portflow.blueprint;

/**
 * The optional {@code kafka:} section, kept as written until the Kafka transport lands.
 *
 * @param settings the section's keys and values with their positions
 */
public record KafkaSpec(YamlNode.Mapping settings) {

    public Position position() {
        return settings.position();
    }
}
