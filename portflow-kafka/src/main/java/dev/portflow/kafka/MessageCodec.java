package dev.portflow.kafka;

import dev.portflow.message.JsonMessage;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * How messages of one type become Kafka records and back. JSON by default: {@link #jsonMessages()}
 * for the blueprints' {@link JsonMessage}s, {@link #json(Class)} for any Jackson-mappable type.
 *
 * @param <T> the message type
 */
public interface MessageCodec<T> {

    /** The message type. */
    Class<T> type();

    /**
     * The record key (records with one key go to one partition and keep their order), or {@code null}
     * for none (the producer spreads unkeyed records over the partitions).
     */
    byte @Nullable [] key(T message);

    /** The record value; may add {@code headers}. */
    byte[] encode(T message, Headers headers);

    /**
     * The message in {@code record}.
     *
     * @throws IllegalArgumentException saying why, when the record is not a valid message
     */
    T decode(ConsumerRecord<byte[], byte[]> record);

    /** JSON documents as {@link JsonMessage}s, their id and times in headers, keyed by id. */
    static MessageCodec<JsonMessage> jsonMessages() {
        return new JsonMessageCodec();
    }

    /**
     * JSON documents as {@link JsonMessage}s, as {@link #jsonMessages()}, but keyed by the value of their
     * top-level field {@code keyField} ({@link JsonFieldKey}: a string as UTF-8, a number or boolean as
     * its JSON text), so documents with one value there keep their order; a document without a usable
     * value there is sent unkeyed (and logged).
     *
     * @throws IllegalArgumentException if {@code keyField} is not a field name ({@link JsonFieldKey#FIELD_NAME_RULE})
     */
    static MessageCodec<JsonMessage> jsonMessages(String keyField) {
        JsonFieldKey key = JsonFieldKey.of(keyField);
        return jsonMessages().keyedBy(key::keyOf);
    }

    /** {@code type} as JSON (Jackson), unkeyed. */
    static <T> MessageCodec<T> json(Class<T> type) {
        return new JacksonCodec<>(type);
    }

    /**
     * This codec with another record key: {@code key} gives a message's key, or {@code null} to send
     * it unkeyed (e.g. {@code JsonFieldKey.of("customer_id")::keyOf}). Decoding is unchanged.
     */
    default MessageCodec<T> keyedBy(Function<? super T, byte @Nullable []> key) {
        MessageCodec<T> inner = this;
        return new MessageCodec<>() {
            @Override
            public Class<T> type() {
                return inner.type();
            }

            @Override
            public byte @Nullable [] key(T message) {
                return key.apply(message);
            }

            @Override
            public byte[] encode(T message, Headers headers) {
                return inner.encode(message, headers);
            }

            @Override
            public T decode(ConsumerRecord<byte[], byte[]> record) {
                return inner.decode(record);
            }
        };
    }

    /**
     * This codec, checking each message on both sides: {@code violation} returns why a message is
     * invalid, or {@code null} when it is valid. An invalid message is refused before it is sent
     * ({@link IllegalArgumentException} to the sender) and skipped (counted, logged) when received.
     */
    default MessageCodec<T> checked(Function<? super T, @Nullable String> violation) {
        MessageCodec<T> inner = this;
        return new MessageCodec<>() {
            @Override
            public Class<T> type() {
                return inner.type();
            }

            @Override
            public byte @Nullable [] key(T message) {
                return inner.key(message);
            }

            @Override
            public byte[] encode(T message, Headers headers) {
                refuseInvalid(message);
                return inner.encode(message, headers);
            }

            @Override
            public T decode(ConsumerRecord<byte[], byte[]> record) {
                T message = inner.decode(record);
                refuseInvalid(message);
                return message;
            }

            private void refuseInvalid(T message) {
                String problem = violation.apply(message);
                if (problem != null) {
                    throw new IllegalArgumentException("message fails its schema: " + problem);
                }
            }
        };
    }
}
