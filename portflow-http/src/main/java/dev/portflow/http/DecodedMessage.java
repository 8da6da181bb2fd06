package dev.portflow.http;

import dev.portflow.port.SchemaViolation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of decoding a request body: the message to send, or why the body is not acceptable.
 *
 * @param message    the decoded message, {@code null} when {@code violations} is not empty
 * @param violations why the body failed its schema; empty on success
 * @param <T>        the message type
 */
public record DecodedMessage<T>(@Nullable T message, List<SchemaViolation> violations) {

    public static <T> DecodedMessage<T> of(T message) {
        return new DecodedMessage<>(message, List.of());
    }

    public static <T> DecodedMessage<T> invalid(List<SchemaViolation> violations) {
        return new DecodedMessage<>(null, List.copyOf(violations));
    }

    public boolean isValid() {
        return violations.isEmpty();
    }
}
