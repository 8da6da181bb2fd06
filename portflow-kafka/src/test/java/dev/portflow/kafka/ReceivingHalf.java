package dev.portflow.kafka;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import java.util.List;

/** The receiving half of a Kafka edge in these tests: the edge's receiver feeding a sink that records ids. */
final class ReceivingHalf {

    private ReceivingHalf() {}

    /**
     * Builds it on {@code builder} (a pipeline's name, and its registry or tracing, set by the test):
     * a source {@code kafka_in} taking the edge's records (prefetch 50), connected to the edge's
     * receiving port, which is bound to the consumer group's backlog.
     */
    static Pipeline build(PipelineBuilder builder, KafkaEdge edge, KafkaTransport kafka, List<String> ids) {
        KafkaReceiver<JsonMessage> in = kafka.receiver(edge, MessageCodec.jsonMessages(), 50);
        String to = edge.toComponent() + "." + edge.toPort();
        Pipeline p = builder.source("kafka_in", JsonMessage.class, in)
                .sink(edge.toComponent(), JsonMessage.class, m -> ids.add(m.id()))
                .connect(
                        "kafka_in.out_records", to, ConnectionOptions.defaults().capacity(in.prefetch()))
                .bindRemote(to, in.backlog())
                .build();
        in.watch(p);
        return p;
    }
}
