package dev.portflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.trace.RecordingTracing;
import dev.portflow.trace.RecordingTracing.Span;
import dev.portflow.trace.TracedAndPlain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces across a Kafka edge (docs/kafka-transport.md, "Trace context"): a traced message's record
 * carries its {@code traceparent} header, and the receiving stage's spans continue the trace as
 * children of the sending stage's span, its wait span covering the time in the topic.
 */
@Timeout(120)
class KafkaTraceContextTest {

    private static final long MS = 1_000_000L;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** The receiving half, traced with {@code tracer}: the Kafka receiver feeding a sink that records ids. */
    private Pipeline receiver(KafkaEdge edge, KafkaTransport kafka, RecordingTracing tracer, List<String> ids) {
        return KAFKA.closeAfterTest(
                ReceivingHalf.build(Pipeline.builder("orders").tracing(tracer), edge, kafka, ids));
    }

    /** Every record of {@code topic}, read by a consumer of its own, by message id. */
    private static Map<String, ConsumerRecord<byte[], byte[]>> records(String topic, int count) {
        Map<String, ConsumerRecord<byte[], byte[]>> byId = new HashMap<>();
        KafkaSettings settings = KafkaSettings.of(KAFKA.broker().bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings.consumerProperties(topic + "-reader", topic + "-reader", 500))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (byId.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Header id = r.headers().lastHeader(JsonMessageCodec.ID);
                    byId.put(new String(id.value(), StandardCharsets.UTF_8), r);
                }
            }
        }
        return byId;
    }

    @Test
    void aTracedMessageContinuesItsTraceAcrossTheTopicAndAnUntracedOneCarriesNoHeader() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "orders", "map", "out_orders", "store", "in_orders", EmbeddedKafkaBroker.uniqueTopic("traced"), 1000);
        KAFKA.broker().createTopic(edge.topic(), 1);
        KafkaTransport kafka = KAFKA.transport();
        // what "traced" emits is sampled at its entry, what "plain" emits is not; both go through map
        RecordingTracing sending = TracedAndPlain.sampler();
        Pipeline sender = TracedAndPlain.throughMap("orders", sending)
                .connect(
                        "map.out_orders",
                        kafka.sendingLink(edge, MessageCodec.jsonMessages()),
                        ConnectionOptions.defaults().capacity(1000).overflow(OverflowPolicy.BLOCK))
                .build();
        KAFKA.closeAfterTest(sender);
        sender.start();
        assertThat(sender.awaitTermination(Duration.ofSeconds(30))).isTrue();
        List<Span> mapSpans = sending.allNamed("map");
        assertThat(mapSpans).hasSize(5);

        Thread.sleep(500); // the records wait in the topic before anyone reads them
        RecordingTracing receiving = new RecordingTracing(source -> false, Long.MAX_VALUE);
        List<String> ids = new CopyOnWriteArrayList<>();
        receiver(edge, kafka, receiving, ids).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.size() == 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiving.spans().size() == 10);

        // the sampled ones' records name map's span of their trace; the others' carry no trace header
        Map<String, ConsumerRecord<byte[], byte[]>> records = records(edge.topic(), 10);
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Header traced = Objects.requireNonNull(records.get("t-" + i), "t-" + i)
                    .headers()
                    .lastHeader("traceparent");
            assertThat(traced).as("t-%d", i).isNotNull();
            headers.add(new String(traced.value(), StandardCharsets.US_ASCII));
            // its produce time to the nanosecond too, the same instant as the millisecond header
            var tracedHeaders = Objects.requireNonNull(records.get("t-" + i)).headers();
            long producedNanos = headerValue(tracedHeaders.lastHeader("portflow-produced-at-nanos"));
            assertThat(Math.floorDiv(producedNanos, MS))
                    .isEqualTo(headerValue(tracedHeaders.lastHeader("portflow-produced-at")));
            var plainHeaders =
                    Objects.requireNonNull(records.get("p-" + i), "p-" + i).headers();
            assertThat(plainHeaders.lastHeader("traceparent"))
                    .as("p-%d was not traced: its record has no traceparent", i)
                    .isNull();
            assertThat(plainHeaders.lastHeader("portflow-produced-at-nanos"))
                    .as("p-%d was not traced: its record is as before tracing", i)
                    .isNull();
            assertThat(plainHeaders.lastHeader("portflow-produced-at")).isNotNull();
        }
        assertThat(headers)
                .containsExactlyInAnyOrderElementsOf(mapSpans.stream()
                        .map(map -> "00-" + map.traceId() + "-" + map.spanId() + "-01")
                        .toList());
        // not a new entry at the receiver: a continuation, whose spans are children of map's
        assertThat(receiving.spans()).noneMatch(s -> s.name().startsWith("enter"));
        for (Span map : mapSpans) {
            Span wait = receiving.childNamed("wait store.in_orders", map);
            Span store = receiving.childNamed("store", map);
            assertThat(wait.traceId()).isEqualTo(map.traceId());
            assertThat(store.traceId()).isEqualTo(map.traceId());
            assertThat(store.start()).isEqualTo(wait.end());
            // the wait starts when the record was produced, inside the sending span (to the nanosecond of
            // the produced-at header, give or take the wall clock's mapping to nanoTime: to the millisecond
            // it started up to 1 ms before map did), so it covers the half second in the topic
            assertThat(wait.start()).isBetween(map.start() - MS / 2, map.end() + MS / 2);
            assertThat(wait.nanos()).isGreaterThanOrEqualTo(500 * MS);
        }
    }

    private static long headerValue(@Nullable Header header) {
        assertThat(header).isNotNull();
        return Long.parseLong(new String(Objects.requireNonNull(header).value(), StandardCharsets.US_ASCII));
    }

    @Test
    void aMalformedOrUnsampledTraceparentIsIgnoredAndItsMessageDelivered() throws Exception {
        KafkaEdge edge = new KafkaEdge(
                "orders",
                "api",
                "out_orders",
                "store",
                "in_orders",
                EmbeddedKafkaBroker.uniqueTopic("malformed"),
                1000);
        KAFKA.broker().createTopic(edge.topic(), 1);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String span = "00f067aa0ba902b7";
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("garbage", "not a traceparent");
        headers.put("upper", "00-" + trace.toUpperCase(java.util.Locale.ROOT) + "-" + span + "-01");
        headers.put("zero-trace", "00-" + "0".repeat(32) + "-" + span + "-01");
        headers.put("version-ff", "ff-" + trace + "-" + span + "-01");
        headers.put("too-long", "00-" + trace + "-" + span + "-01-more");
        headers.put("unsampled", "00-" + trace + "-" + span + "-00");
        headers.put("sampled", "00-" + trace + "-" + span + "-01");
        headers.put("later-version", "01-" + trace + "-" + span + "-01-what-comes-next");
        KafkaSettings settings = KafkaSettings.of(KAFKA.broker().bootstrapServers());
        MessageCodec<JsonMessage> codec = MessageCodec.jsonMessages();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producerProperties("malformed"))) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                RecordHeaders recordHeaders = new RecordHeaders();
                byte[] value = codec.encode(new JsonMessage(e.getKey(), Instant.now(), null, Map.of()), recordHeaders);
                recordHeaders.add("traceparent", e.getValue().getBytes(StandardCharsets.US_ASCII));
                producer.send(new ProducerRecord<>(edge.topic(), null, null, (byte[]) null, value, recordHeaders))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        RecordingTracing receiving = new RecordingTracing(source -> false, Long.MAX_VALUE);
        List<String> ids = new CopyOnWriteArrayList<>();
        Pipeline in = receiver(edge, KAFKA.transport(), receiving, ids).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.size() == headers.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> receiving.spans().size() == 4);

        assertThat(ids).containsExactlyElementsOf(headers.keySet()); // none refused, none failed
        assertThat(in.outputPort("kafka_in", "out_records").counters().errorsTotal())
                .isZero();
        // only the two valid sampled ones continue their trace (a later version's extra fields are allowed)
        assertThat(receiving.allNamed("store")).hasSize(2).allSatisfy(s -> {
            assertThat(s.traceId()).isEqualTo(trace);
            assertThat(s.parentId()).isEqualTo(span);
        });
    }
}
