package dev.portflow.bench;

import dev.portflow.kafka.KafkaSettings;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.message.JsonMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The raw Kafka client beside {@link KafkaEdgeThroughput}, with the producer and consumer
 * properties Portflow's edges use ({@link KafkaSettings#producerProperties},
 * {@link KafkaSettings#consumerProperties}) and records of the same size: the value and headers
 * of the message {@code KafkaEdgeThroughput} sends, encoded once; the key is the message id.
 *
 * <ul>
 *   <li>{@code producer-json}, {@code pair-json}: as below, but each record's message is made and
 *       encoded (and, in the pair, decoded) with the edge's codec, the work a user's own loop does.
 *   <li>{@code producer}: one thread sends in a loop, each record with a callback (pipelined, as
 *       {@code KafkaProducer} is meant to be used); timed to the broker's acknowledgements.
 *   <li>{@code pair}: that loop and, in another thread, a consumer in a group that polls, counts
 *       and commits after each poll; timed to the last arrival.
 * </ul>
 *
 * <pre>java -cp benchmarks.jar dev.portflow.bench.KafkaBaselines BOOTSTRAP MESSAGES producer|pair|producer-json|pair-json [PARTITIONS]</pre>
 *
 * Prints one line like {@link KafkaEdgeThroughput}; the first 10 % of the records are not timed.
 */
public final class KafkaBaselines {

    private KafkaBaselines() {}

    /**
     * Portflow's Kafka settings for {@code bootstrap}, with client properties from the environment
     * variable {@code KAFKA_CLIENT} ({@code key=value,key=value}, e.g. {@code linger.ms=5}) so one
     * run can compare producer settings on both sides alike.
     */
    static KafkaSettings settings(String bootstrap) {
        Map<String, String> client = new java.util.LinkedHashMap<>();
        String given = System.getenv().getOrDefault("KAFKA_CLIENT", "");
        for (String pair : given.split(",", -1)) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("KAFKA_CLIENT takes key=value pairs, got '" + pair + "'");
            }
            client.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return KafkaSettings.of(bootstrap).withClientProperties(client);
    }

    /** The message {@code KafkaEdgeThroughput} sends as number {@code n}. */
    static JsonMessage message(int n) {
        return new JsonMessage(
                "m-" + n, Instant.now(), null, Map.of("n", n, "payload", "0123456789abcdef0123456789abcdef"));
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int messages = Integer.parseInt(args[1]);
        String mode = args[2];
        boolean json = mode.endsWith("-json");
        String base = json ? mode.substring(0, mode.length() - "-json".length()) : mode;
        if (!base.equals("producer") && !base.equals("pair")) {
            throw new IllegalArgumentException("mode is producer, pair, producer-json or pair-json, was " + mode);
        }
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int warmup = messages / 10;
        String topic = "baseline-" + UUID.randomUUID();
        KafkaSettings settings = settings(bootstrap);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        // the same bytes KafkaEdgeThroughput's message encodes to
        MessageCodec<JsonMessage> codec = MessageCodec.jsonMessages();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = codec.encode(message(0), headers);
        Header[] headerArray = headers.toArray();

        AtomicLong timedStart = new AtomicLong();
        AtomicLong timedEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong arrived = new AtomicLong();
        boolean pair = base.equals("pair");
        if (pair) {
            Thread.ofPlatform().start(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        settings.consumerProperties("baseline-" + topic, "baseline-consumer", 1000))) {
                    consumer.subscribe(List.of(topic));
                    while (arrived.get() < messages && !Thread.currentThread().isInterrupted()) {
                        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                        for (var record : records) {
                            if (json) {
                                codec.decode(record);
                            }
                            long n = arrived.incrementAndGet();
                            if (n == warmup) {
                                timedStart.set(System.nanoTime());
                            }
                        }
                        if (!records.isEmpty()) {
                            consumer.commitAsync();
                        }
                    }
                    timedEnd.set(System.nanoTime());
                    consumer.commitSync();
                    done.countDown();
                }
            });
        }
        AtomicLong acknowledged = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings.producerProperties("baseline-producer"))) {
            for (int i = 0; i < messages; i++) {
                ProducerRecord<byte[], byte[]> record;
                if (json) { // the work a user's own loop does: make the message, encode it
                    JsonMessage m = message(i);
                    RecordHeaders h = new RecordHeaders();
                    byte[] v = codec.encode(m, h);
                    record = new ProducerRecord<>(topic, null, System.currentTimeMillis(), codec.key(m), v, h);
                } else {
                    byte[] key = ("m-" + i).getBytes(StandardCharsets.UTF_8);
                    record = new ProducerRecord<>(
                            topic, null, System.currentTimeMillis(), key, value, new RecordHeaders(headerArray));
                }
                Future<?> unused = producer.send( // the callback counts it
                        record, (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                                return;
                            }
                            long n = acknowledged.incrementAndGet();
                            if (!pair) {
                                if (n == warmup) {
                                    timedStart.set(System.nanoTime());
                                } else if (n == messages) {
                                    timedEnd.set(System.nanoTime());
                                    done.countDown();
                                }
                            }
                        });
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(
                        "not done in 10 minutes: " + acknowledged.get() + " acknowledged, " + arrived.get()
                                + " arrived",
                        failure.get());
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a send failed", failure.get());
        }
        double seconds = (timedEnd.get() - timedStart.get()) / 1e9;
        int timed = messages - warmup;
        System.out.printf(
                Locale.ROOT,
                "mode=raw-%s senders=1 messages=%d partitions=%d record_bytes=%d seconds=%.2f msgs_per_s=%.0f%n",
                mode,
                timed,
                partitions,
                value.length,
                seconds,
                timed / seconds);
    }
}
