package dev.portflow.blueprint.spi;

/**
 * One key of a component's {@code config:}, as written.
 *
 * @param key         the key
 * @param keyPosition where the key is
 * @param value       the value with the positions of its parts
 */
public record ConfigEntry(String key, Position keyPosition, YamlNode value) {

    /** Where the value starts. */
    public Position valuePosition() {
        return value.position();
    }
}
