package dev.portflow.bench;

import dev.portflow.kafka.KafkaEdge;
import dev.portflow.kafka.KafkaReceiver;
import dev.portflow.kafka.KafkaSettings;
import dev.portflow.kafka.KafkaTransport;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages per second through one Kafka edge, end to end: a sending pipeline whose source sends
 * from {@code senders} threads into an output port bound to the topic (each send waits for the
 * broker's {@code acks=all}), and a receiving pipeline (consumer group, commit after the sink
 * finished) counting arrivals. Both run in this JVM; the broker runs in another process.
 *
 * <pre>java -cp benchmarks.jar dev.portflow.bench.KafkaEdgeThroughput BOOTSTRAP MESSAGES SENDERS [PARTITIONS]</pre>
 *
 * Prints one line: senders, messages, seconds from the first send to the last arrival, messages/s.
 * The first 10 % of the messages are a warm-up and are not timed.
 */
public final class KafkaEdgeThroughput {

    private KafkaEdgeThroughput() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int messages = Integer.parseInt(args[1]);
        int senders = Integer.parseInt(args[2]);
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int warmup = messages / 10;
        String topic = "bench-" + UUID.randomUUID();
        KafkaEdge edge = new KafkaEdge("bench", "gen", "out_x", "sink", "in_x", topic, Long.MAX_VALUE / 4);
        try (KafkaTransport kafka = KafkaTransport.create(KafkaSettings.of(bootstrap))) {
            createTopic(kafka, topic, partitions);
            AtomicLong arrived = new AtomicLong();
            AtomicLong timedStart = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            KafkaReceiver<JsonMessage> in = kafka.receiver(edge, MessageCodec.jsonMessages(), 1000);
            Pipeline receiver = Pipeline.builder("bench_in")
                    .source("kafka_in", JsonMessage.class, in)
                    .sink("sink", JsonMessage.class, m -> {
                        long n = arrived.incrementAndGet();
                        if (n == warmup) {
                            timedStart.set(System.nanoTime());
                        }
                        if (n == messages) {
                            done.countDown();
                        }
                    })
                    .connect(
                            "kafka_in.out_records",
                            "sink.in_x",
                            ConnectionOptions.defaults().capacity(1000))
                    .bindRemote("sink.in_x", in.backlog())
                    .build();
            in.watch(receiver);

            Pipeline sender = Pipeline.builder("bench_out")
                    .source("gen", JsonMessage.class, context -> {
                        OutputPort<JsonMessage> out =
                                Objects.requireNonNull(context.outputPort(), "gen has a single output port");
                        List<Thread> threads = new ArrayList<>();
                        for (int s = 0; s < senders; s++) {
                            int first = s;
                            threads.add(Thread.ofVirtual().start(() -> {
                                for (int i = first; i < messages; i += senders) {
                                    try {
                                        out.send(new JsonMessage(
                                                "m-" + i,
                                                Instant.now(),
                                                null,
                                                Map.of("n", i, "payload", "0123456789abcdef0123456789abcdef")));
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            }));
                        }
                        for (Thread t : threads) {
                            t.join();
                        }
                    })
                    .connect(
                            "gen.out_x",
                            kafka.sendingLink(edge, MessageCodec.jsonMessages()),
                            ConnectionOptions.defaults().overflow(OverflowPolicy.BLOCK))
                    .build();
            receiver.start();
            sender.start();
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + arrived.get() + " of " + messages + " arrived in 10 minutes");
            }
            double seconds = (System.nanoTime() - timedStart.get()) / 1e9;
            int timed = messages - warmup;
            System.out.printf(
                    Locale.ROOT,
                    "senders=%d messages=%d partitions=%d seconds=%.2f msgs_per_s=%.0f%n",
                    senders,
                    timed,
                    partitions,
                    seconds,
                    timed / seconds);
            sender.drain(Duration.ofSeconds(30));
            receiver.drain(Duration.ofSeconds(30));
        }
    }

    private static void createTopic(KafkaTransport kafka, String topic, int partitions) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafka.settings().bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
