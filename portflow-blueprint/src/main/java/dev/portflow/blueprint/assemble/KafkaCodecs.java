package dev.portflow.blueprint.assemble;

import dev.portflow.EventTimed;
import dev.portflow.blueprint.validate.BlueprintValidator;
import dev.portflow.http.DecodedMessage;
import dev.portflow.http.JsonSchemaDecoder;
import dev.portflow.json.StrictJson;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.PortName;
import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the messages of one Kafka connection become records: decided from the blueprint alone, so the
 * sending and the receiving process agree without talking to each other.
 *
 * <ul>
 *   <li>a recipe at either end: {@link JsonMessage}s ({@link MessageCodec#jsonMessages()}); what a
 *       user class sends that is not one is made into one as the sinks do (an {@link ErrorEnvelope}
 *       as its fields, anything else as Jackson renders it, with a fresh id);
 *   <li>user classes at both ends: JSON of the type the sender's output port carries (its type
 *       argument), else the type the receiver's input port takes, else any JSON value
 *       ({@code Object}: maps, lists, strings, numbers); {@code JsonMessage} as above.
 * </ul>
 *
 * <p>When the connection's ports declare a JSON Schema, messages are checked against it on both
 * sides: an invalid message is refused before it is sent and skipped when received.
 */
final class KafkaCodecs {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private KafkaCodecs() {}

    /** The codec of {@code edge}, checked against {@code schema} unless it is {@code null}. */
    @SuppressWarnings("unchecked")
    static MessageCodec<Object> forEdge(BlueprintValidator.Edge edge, @Nullable JsonNode schema) {
        Class<?> type = messageType(edge);
        MessageCodec<Object> codec =
                type == JsonMessage.class ? new AsJsonMessages() : (MessageCodec<Object>) MessageCodec.json(type);
        if (schema != null) {
            JsonSchemaDecoder decoder = JsonSchemaDecoder.of(schema);
            codec = codec.checked(message -> violation(decoder, message));
        }
        return codec;
    }

    /** The Java type a Kafka connection's records carry. */
    static Class<?> messageType(BlueprintValidator.Edge edge) {
        BlueprintValidator.Resolved from = edge.from();
        BlueprintValidator.Resolved to = edge.to();
        if (from.recipe() != null || to.recipe() != null) {
            return JsonMessage.class;
        }
        Class<?> sent = PortName.isError(edge.fromEnd().port())
                ? ErrorEnvelope.class
                : ComponentTypes.outputType(from.userClass(), from.kind());
        return sent != Object.class ? sent : ComponentTypes.inputType(to.userClass(), to.kind());
    }

    /** Why {@code message} fails {@code decoder}'s schema, or {@code null} when it passes. */
    private static @Nullable String violation(JsonSchemaDecoder decoder, Object message) {
        Object body = message instanceof JsonMessage json
                ? json.body()
                : asJsonMessage(message).body();
        JsonNode tree = MAPPER.valueToTree(body);
        DecodedMessage<JsonMessage> decoded = decoder.decode(tree, "schema-check", Instant.EPOCH);
        if (decoded.isValid()) {
            return null;
        }
        return decoded.violations().stream()
                .map((SchemaViolation v) ->
                        v.field() == null || v.field().isEmpty() ? v.message() : v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
    }

    /** A message as the recipes see it (what their sinks make of one). */
    static JsonMessage asJsonMessage(Object message) {
        return switch (message) {
            case JsonMessage json -> json;
            case ErrorEnvelope envelope ->
                new JsonMessage(UUID.randomUUID().toString(), envelope.time(), null, envelope.toMap());
            default ->
                new JsonMessage(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        message instanceof EventTimed timed ? timed.eventTime() : null,
                        MAPPER.convertValue(message, Object.class));
        };
    }

    /** {@link MessageCodec#jsonMessages()} that also takes messages of other types (made into JsonMessages). */
    private static final class AsJsonMessages implements MessageCodec<Object> {

        private final MessageCodec<JsonMessage> inner = MessageCodec.jsonMessages();

        @Override
        public Class<Object> type() {
            return Object.class;
        }

        @Override
        public byte @Nullable [] key(Object message) {
            // a JsonMessage is keyed by its id; another message has no id until it is encoded
            return message instanceof JsonMessage json ? inner.key(json) : null;
        }

        @Override
        public byte[] encode(Object message, Headers headers) {
            return inner.encode(asJsonMessage(message), headers);
        }

        @Override
        public Object decode(ConsumerRecord<byte[], byte[]> record) {
            return inner.decode(record);
        }
    }
}
