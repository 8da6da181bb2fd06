/**
 * Kafka-bound connections: a connection whose buffer is a Kafka topic, measured with the same port metrics as
 * an in-memory one ({@link dev.portflow.kafka.KafkaTransport} makes the sending end, a
 * {@link dev.portflow.port.RemoteLink}, and the receiving end, a {@link dev.portflow.kafka.KafkaReceiver}). It
 * exports its one package, {@code dev.portflow.kafka}; its public types are the API (listed in
 * {@code docs/api.md}), the sending link, the lag reader and the JSON codecs are package-private.
 */
module dev.portflow.kafka {
    // KafkaReceiver is a Source; RemoteLink, RemoteBuffer, Pipeline, JsonMessage and @Nullable in the API
    requires transitive dev.portflow.core;
    requires transitive org.jspecify;
    // MessageCodec encodes to and decodes from Kafka's Headers and ConsumerRecord
    requires transitive kafka.clients;
    requires dev.portflow.json;
    requires tools.jackson.databind;
    requires tools.jackson.core;

    exports dev.portflow.kafka;
}
