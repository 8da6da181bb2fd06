package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.validate.BlueprintValidator;
import dev.portflow.http.DecodedMessage;
import dev.portflow.http.JsonSchemaDecoder;
import dev.portflow.json.StrictJson;
import dev.portflow.kafka.JsonFieldKey;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the messages of one Kafka connection become records: decided from the blueprint alone, so the
 * sending and the receiving process agree without talking to each other. The type is
 * {@link EdgeMessageTypes#messageType}'s:
 *
 * <ul>
 *   <li>{@link JsonMessage}s ({@link MessageCodec#jsonMessages()}) when a recipe is at either end;
 *       what a user class sends that is not one is made into one as the sinks do
 *       ({@link EdgeMessageTypes#asJsonMessage});
 *   <li>else JSON of that type ({@link MessageCodec#json}).
 * </ul>
 *
 * <p>When the connection's ports declare a JSON Schema, messages are checked against it on both
 * sides: an invalid message is refused before it is sent and skipped when received.
 *
 * <p>Records are keyed by the message id, or with {@code key: <field>} by the value of that top-level
 * field of the message as the records' value has it ({@link JsonFieldKey}; unkeyed when a message has
 * no usable value there), which needs messages that are JSON objects ({@link #keyProblem}).
 */
final class KafkaCodecs {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private KafkaCodecs() {}

    /** The codec of {@code edge}, checked against {@code schema} unless it is {@code null}. */
    @SuppressWarnings("unchecked")
    static MessageCodec<Object> forEdge(BlueprintValidator.Edge edge, @Nullable JsonNode schema) {
        Class<?> type = EdgeMessageTypes.messageType(edge);
        MessageCodec<Object> codec =
                type == JsonMessage.class ? new AsJsonMessages() : (MessageCodec<Object>) MessageCodec.json(type);
        String keyField = edge.spec().key();
        if (keyField != null) { // validated: a field name
            JsonFieldKey key = JsonFieldKey.of(
                    keyField, "records of kafka connection " + edge.spec().describe());
            codec = type == JsonMessage.class
                    // what the record's value will be: a user class's message as the recipes see it
                    ? codec.keyedBy(message -> key.keyOf(
                            message instanceof JsonMessage ? message : EdgeMessageTypes.asJsonMessage(message)))
                    : codec.keyedBy(key::keyOf); // Jackson renders the value, and the key reads that rendering
        }
        if (schema != null) {
            JsonSchemaDecoder decoder = JsonSchemaDecoder.of(schema);
            codec = codec.checked(message -> violation(decoder, message));
        }
        return codec;
    }

    /**
     * Why {@code edge}'s {@code key:} cannot apply to the messages it carries, or {@code null} when it
     * can (or there is none): a key is read from a field of a JSON object, and a type Jackson renders as a
     * string, a number, a list (the JDK's value types, arrays, enums) has none. {@code Object} and JSON
     * trees may hold objects: they are keyed, or sent unkeyed, message by message.
     */
    static @Nullable String keyProblem(BlueprintValidator.Edge edge) {
        String key = edge.spec().key();
        if (key == null) {
            return null;
        }
        Class<?> type = EdgeMessageTypes.messageType(edge);
        if (rendersAsObject(type)) {
            return null;
        }
        return "key '" + key + "' needs messages that are JSON objects, but connection "
                + edge.spec().describe() + " carries " + type.getName() + " messages, which have no fields";
    }

    /** Whether messages of {@code type} may be JSON objects as Jackson renders them. */
    private static boolean rendersAsObject(Class<?> type) {
        if (type == Object.class || JsonNode.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) {
            return true;
        }
        if (type.isPrimitive() || type.isArray() || type.isEnum()) {
            return false;
        }
        if (type.isRecord()) {
            return true;
        }
        String pkg = type.getPackageName();
        return !pkg.startsWith("java.") && !pkg.startsWith("javax."); // String, Long, List, Instant, UUID: values
    }

    /** Why {@code message} fails {@code decoder}'s schema, or {@code null} when it passes. */
    private static @Nullable String violation(JsonSchemaDecoder decoder, Object message) {
        Object body = message instanceof JsonMessage json
                ? json.body()
                : EdgeMessageTypes.asJsonMessage(message).body();
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
            return inner.encode(EdgeMessageTypes.asJsonMessage(message), headers);
        }

        @Override
        public Object decode(ConsumerRecord<byte[], byte[]> record) {
            return inner.decode(record);
        }
    }
}
