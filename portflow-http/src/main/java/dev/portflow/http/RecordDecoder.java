package dev.portflow.http;

import dev.portflow.port.MessageValidator;
import dev.portflow.port.SchemaViolation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;

/**
 * Decodes bodies into a Java type (typically a record) with Jackson, then checks its Jakarta Bean
 * Validation constraints. A body Jackson cannot map (missing creator property, wrong type) is a
 * violation on the offending field, never a server error.
 *
 * @param <T> the message type
 */
public final class RecordDecoder<T> implements IngressDecoder<T> {

    private final Class<T> type;
    private final MessageValidator validator;

    public RecordDecoder(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.validator = MessageValidator.forType(type);
    }

    @Override
    public DecodedMessage<T> decode(JsonNode body, String id, Instant ingestTime) {
        T message;
        try {
            message = JsonCodec.MAPPER.treeToValue(body, type);
        } catch (DatabindException e) {
            return DecodedMessage.invalid(List.of(new SchemaViolation(path(e), e.getOriginalMessage())));
        }
        if (message == null) {
            return DecodedMessage.invalid(List.of(new SchemaViolation("", "must be a JSON object")));
        }
        List<SchemaViolation> violations = validator.validate(message);
        return violations.isEmpty() ? DecodedMessage.of(message) : DecodedMessage.invalid(violations);
    }

    private static String path(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    @Override
    public Class<T> messageType() {
        return type;
    }
}
