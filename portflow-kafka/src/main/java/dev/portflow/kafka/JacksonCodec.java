package dev.portflow.kafka;

import dev.portflow.json.StrictJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Any Jackson-mappable type (records included) as a JSON value, unkeyed. */
final class JacksonCodec<T> implements MessageCodec<T> {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private final Class<T> type;

    JacksonCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public byte @Nullable [] key(T message) {
        return null;
    }

    @Override
    public byte[] encode(T message, Headers headers) {
        return MAPPER.writeValueAsBytes(message);
    }

    @Override
    public T decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("the record has no value (a tombstone)");
        }
        try {
            return MAPPER.readValue(record.value(), type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "the record's value is not a " + type.getSimpleName() + " in JSON: " + e.getOriginalMessage());
        }
    }
}
