package dev.portflow.disk;

import dev.portflow.message.JsonMessage;

/**
 * How messages of one type become the payload of a disk record and back. JSON:
 * {@link #jsonMessages()} for the blueprints' {@link JsonMessage}s (id and times kept),
 * {@link #json(Class)} for any Jackson-mappable type.
 *
 * @param <T> the message type
 */
public interface DiskCodec<T> {

    /** The message type. */
    Class<T> type();

    /**
     * The payload of {@code message}.
     *
     * @throws IllegalArgumentException saying why, when the message cannot be written
     */
    byte[] encode(T message);

    /**
     * The message in {@code payload}.
     *
     * @throws IllegalArgumentException saying why, when the payload is not a valid message
     */
    T decode(byte[] payload);

    /** {@link JsonMessage}s with their id, ingest time, event time and body. */
    static DiskCodec<JsonMessage> jsonMessages() {
        return new JsonMessageDiskCodec();
    }

    /** {@code type} as JSON (Jackson). */
    static <T> DiskCodec<T> json(Class<T> type) {
        return new JacksonDiskCodec<>(type);
    }
}
