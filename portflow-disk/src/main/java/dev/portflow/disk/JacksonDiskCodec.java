package dev.portflow.disk;

import dev.portflow.json.StrictJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Any Jackson-mappable type (records included) as a JSON value. */
final class JacksonDiskCodec<T> implements DiskCodec<T> {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private final Class<T> type;

    JacksonDiskCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] encode(T message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "a " + message.getClass().getSimpleName() + " cannot be written as JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    @Override
    public T decode(byte[] payload) {
        try {
            return MAPPER.readValue(payload, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "the record is not a " + type.getSimpleName() + " in JSON: " + e.getOriginalMessage(), e);
        }
    }
}
