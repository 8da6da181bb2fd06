package dev.portflow.kafka;

import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JsonMessage}s as records other Kafka tools can read: the value is the JSON body itself,
 * the key is the message id, and the id and times travel in headers ({@value #ID},
 * {@value #INGEST_TIME}, {@value #SOURCE_TIME}; epoch milliseconds as decimal text).
 */
final class JsonMessageCodec implements MessageCodec<JsonMessage> {

    static final String ID = "portflow-id";
    static final String INGEST_TIME = "portflow-ingest-time";
    static final String SOURCE_TIME = "portflow-source-time";

    private static final JsonMapper MAPPER = StrictJson.mapper();

    @Override
    public Class<JsonMessage> type() {
        return JsonMessage.class;
    }

    @Override
    public byte[] key(JsonMessage message) {
        return message.id().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encode(JsonMessage message, Headers headers) {
        headers.add(ID, message.id().getBytes(StandardCharsets.UTF_8));
        headers.add(INGEST_TIME, millis(message.ingestTime()));
        if (message.declaredEventTime() != null) {
            headers.add(SOURCE_TIME, millis(message.declaredEventTime()));
        }
        return MAPPER.writeValueAsBytes(message.body());
    }

    @Override
    public JsonMessage decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("the record has no value (a tombstone)");
        }
        Object body;
        try {
            body = MAPPER.readValue(record.value(), Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the record's value is not JSON: " + e.getOriginalMessage());
        }
        String id = text(record.headers().lastHeader(ID));
        if (id == null) {
            id = record.key() != null
                    ? new String(record.key(), StandardCharsets.UTF_8)
                    : record.topic() + "-" + record.partition() + "-" + record.offset();
        }
        Instant ingest = instant(record.headers().lastHeader(INGEST_TIME));
        Instant source = instant(record.headers().lastHeader(SOURCE_TIME));
        JsonMessage message =
                new JsonMessage(id, ingest != null ? ingest : Instant.ofEpochMilli(record.timestamp()), source, body);
        return message;
    }

    private static byte[] millis(Instant instant) {
        return Long.toString(instant.toEpochMilli()).getBytes(StandardCharsets.US_ASCII);
    }

    private static @Nullable String text(@Nullable Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static @Nullable Instant instant(@Nullable Header header) {
        String text = text(header);
        if (header == null || text == null) { // text is null when header is
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + header.key() + " is not epoch milliseconds: '" + text + "'");
        }
    }
}
