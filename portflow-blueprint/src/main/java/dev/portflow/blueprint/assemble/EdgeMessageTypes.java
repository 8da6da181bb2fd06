package dev.portflow.blueprint.assemble;

import dev.portflow.EventTimed;
import dev.portflow.blueprint.validate.BlueprintValidator;
import dev.portflow.json.StrictJson;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.PortName;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which Java type travels on a connection whose messages leave the process's memory (a Kafka topic,
 * a disk log), decided from the blueprint alone, so both ends agree without talking to each other:
 *
 * <ul>
 *   <li>a recipe at either end: {@link JsonMessage}s; what a user class sends that is not one is made
 *       into one as the sinks do ({@link #asJsonMessage});
 *   <li>user classes at both ends: the type the sender's output port carries (its type argument),
 *       else the type the receiver's input port takes, else {@code Object} (any JSON value: maps,
 *       lists, strings, numbers); an {@code err_*} port carries {@link ErrorEnvelope}s.
 * </ul>
 */
final class EdgeMessageTypes {

    private static final JsonMapper MAPPER = StrictJson.mapper();

    private EdgeMessageTypes() {}

    /** The Java type the connection's records carry. */
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

    /**
     * A message as the recipes see it (what their sinks make of one): a {@link JsonMessage} as it is,
     * an {@link ErrorEnvelope} as its fields, anything else as Jackson renders it, with a fresh id.
     */
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
}
