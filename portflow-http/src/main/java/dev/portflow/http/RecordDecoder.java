package dev.portflow.http;

import dev.portflow.json.StrictJson;
import dev.portflow.port.MessageValidator;
import dev.portflow.port.SchemaViolation;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Decodes bodies into a Java type (typically a record) with Jackson, then checks its Jakarta Bean
 * Validation constraints. A body Jackson cannot map (a wrong type, a number out of range, a missing
 * primitive) is a violation on the offending field, described in JSON terms ({@code must be an
 * integer}), never in Jackson's, and never a server error.
 *
 * @param <T> the message type
 */
final class RecordDecoder<T> implements IngressDecoder<T> {

    /** Where Jackson stands when a primitive field is absent ({@code END_OBJECT}) or {@code null}. */
    private static final Set<JsonToken> MISSING_OR_NULL = EnumSet.of(JsonToken.END_OBJECT, JsonToken.VALUE_NULL);

    private final Class<T> type;
    private final MessageValidator validator;

    RecordDecoder(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
        this.validator = MessageValidator.forType(type);
    }

    @Override
    public DecodedMessage<T> decode(JsonNode body, String id, Instant ingestTime) {
        T message;
        try {
            message = StrictJson.mapper().treeToValue(body, type);
        } catch (InvalidDefinitionException e) {
            throw e; // the type cannot be mapped at all: a programming error, not the client's
        } catch (JacksonException e) {
            // anything else is the body's: a wrong type, a number out of range, a missing primitive
            return DecodedMessage.invalid(List.of(new SchemaViolation(path(e), describe(e))));
        }
        if (message == null) {
            return DecodedMessage.invalid(List.of(new SchemaViolation("", "must be a JSON object")));
        }
        List<SchemaViolation> violations = validator.validate(message);
        return violations.isEmpty() ? DecodedMessage.of(message) : DecodedMessage.invalid(violations);
    }

    /** What the field must be, in JSON terms: Jackson's messages name Java classes and parser tokens. */
    private static String describe(JacksonException e) {
        if (e instanceof InvalidNullException
                || (e instanceof MismatchedInputException mismatch
                        && mismatch.getTargetType() != null
                        && mismatch.getTargetType().isPrimitive()
                        && MISSING_OR_NULL.contains(mismatch.getCurrentToken()))) {
            return "is required"; // missing (the object ended) or null where a number or boolean is needed
        }
        if (e instanceof InputCoercionException coercion) {
            return outOfRange(coercion.getTargetType());
        }
        if (e instanceof ValueInstantiationException
                && e.getCause() != null
                && e.getCause().getMessage() != null) {
            return "is invalid: " + e.getCause().getMessage(); // the type's own check, e.g. in a record constructor
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return expected(mismatch.getTargetType());
        }
        return "has an invalid value";
    }

    private static String outOfRange(Class<?> target) {
        if (target == int.class || target == Integer.class) {
            return "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (target == long.class || target == Long.class) {
            return "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (target == short.class || target == Short.class) {
            return "must be an integer from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        }
        if (target == byte.class || target == Byte.class) {
            return "must be an integer from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
        }
        return "is out of range";
    }

    private static String expected(Class<?> target) {
        if (target.isEnum()) {
            return "must be one of "
                    + String.join(
                            ", ",
                            Arrays.stream(target.getEnumConstants())
                                    .map(c -> ((Enum<?>) c).name())
                                    .toList());
        }
        if (target == boolean.class || target == Boolean.class) {
            return "must be true or false";
        }
        if (target == int.class
                || target == long.class
                || target == short.class
                || target == byte.class
                || target == Integer.class
                || target == Long.class
                || target == Short.class
                || target == Byte.class
                || target == BigInteger.class) {
            return "must be an integer";
        }
        if (target.isPrimitive() || Number.class.isAssignableFrom(target)) {
            return "must be a number"; // double, float (char is taken by CharSequence below)
        }
        if (CharSequence.class.isAssignableFrom(target)
                || target == char.class
                || target == Character.class
                || target == UUID.class) {
            return "must be a string";
        }
        if (Temporal.class.isAssignableFrom(target) || TemporalAmount.class.isAssignableFrom(target)) {
            return "must be an ISO-8601 "
                    + (target == LocalDate.class
                            ? "date"
                            : target == LocalTime.class
                                    ? "time"
                                    : TemporalAmount.class.isAssignableFrom(target) ? "duration" : "date-time");
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return "must be an array";
        }
        return "must be an object";
    }

    private static String path(JacksonException e) {
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
