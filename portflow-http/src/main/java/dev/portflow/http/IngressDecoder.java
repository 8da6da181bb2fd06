package dev.portflow.http;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * Turns a parsed JSON body into the message the ingress sends, checking it against a schema.
 *
 * @param <T> the message type
 */
public interface IngressDecoder<T> {

    /**
     * Decodes a parsed body into a message, or into the schema violations that reject it.
     *
     * @param body       the parsed body
     * @param id         the id the client will get back
     * @param ingestTime when the ingress accepted the request
     */
    DecodedMessage<T> decode(JsonNode body, String id, Instant ingestTime);

    /** The message type this decoder produces. */
    Class<T> messageType();
}
