package dev.portflow.bench;

import dev.portflow.kafka.KafkaEdge;
import dev.portflow.kafka.KafkaReceiver;
import dev.portflow.kafka.KafkaTransport;
import dev.portflow.kafka.MessageCodec;
import dev.portflow.message.JsonMessage;
import dev.portflow.port.AcknowledgedSequence;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OutputPort;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.port.RemoteLink;
import dev.portflow.runtime.Pipeline;
import java.time.Duration;
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
 * Messages per second through one Kafka edge. Mode {@code e2e}: a sending pipeline whose source
 * sends from {@code senders} threads into an output port bound to the topic (pipelined: the
 * producer batches, acknowledgements come back by hand-off number), and a receiving pipeline
 * (consumer group, commit after the sink finished) counting arrivals. Mode {@code send}: the
 * sending pipeline alone, timed to the broker's acknowledgements ({@code acks=all}). Both run in
 * this JVM; the broker runs in another process. {@link KafkaBaselines} is the raw client beside it.
 *
 * <pre>java -cp benchmarks.jar dev.portflow.bench.KafkaEdgeThroughput BOOTSTRAP MESSAGES SENDERS [PARTITIONS [e2e|send]]</pre>
 *
 * Prints one line: mode, senders, messages, seconds from the warm-up's end to the last arrival (or
 * acknowledgement), messages/s. The first 10 % of the messages are a warm-up and are not timed.
 */
public final class KafkaEdgeThroughput {

    private KafkaEdgeThroughput() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int messages = Integer.parseInt(args[1]);
        int senders = Integer.parseInt(args[2]);
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        boolean endToEnd = args.length <= 4 || args[4].equals("e2e");
        if (!endToEnd && !args[4].equals("send")) {
            throw new IllegalArgumentException("mode is e2e or send, was " + args[4]);
        }
        int warmup = messages / 10;
        String topic = "bench-" + UUID.randomUUID();
        KafkaEdge edge = new KafkaEdge("bench", "gen", "out_x", "sink", "in_x", topic, Long.MAX_VALUE / 4);
        try (KafkaTransport kafka = KafkaTransport.create(KafkaBaselines.settings(bootstrap))) {
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

            RemoteLink<JsonMessage> link = kafka.sendingLink(edge, MessageCodec.jsonMessages());
            AcknowledgedSequence acks = Objects.requireNonNull(link.acknowledgements(), "the Kafka link is pipelined");
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
                                        out.send(KafkaBaselines.message(i));
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
                    .connect("gen.out_x", link, ConnectionOptions.defaults().overflow(OverflowPolicy.BLOCK))
                    .build();
            double seconds;
            if (endToEnd) {
                receiver.start();
                sender.start();
                if (!done.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException(
                            "only " + arrived.get() + " of " + messages + " arrived in 10 minutes");
                }
                seconds = (System.nanoTime() - timedStart.get()) / 1e9;
            } else {
                sender.start();
                seconds = awaitAcknowledged(acks, warmup, messages);
            }
            int timed = messages - warmup;
            System.out.printf(
                    Locale.ROOT,
                    "mode=%s senders=%d messages=%d partitions=%d seconds=%.2f msgs_per_s=%.0f%n",
                    endToEnd ? "e2e" : "send",
                    senders,
                    timed,
                    partitions,
                    seconds,
                    timed / seconds);
            sender.drain(Duration.ofSeconds(30));
            if (endToEnd) {
                receiver.drain(Duration.ofSeconds(30));
            }
        }
    }

    /** Seconds from the {@code warmup}-th acknowledgement to the {@code messages}-th (looked at every 0.2 ms). */
    private static double awaitAcknowledged(AcknowledgedSequence acks, int warmup, int messages)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long start = 0;
        while (acks.acknowledged() < messages) {
            if (start == 0 && acks.acknowledged() >= warmup) {
                start = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + acks.acknowledged() + " of " + messages + " acknowledged in 10 minutes");
            }
            Thread.sleep(Duration.ofNanos(200_000));
        }
        return (System.nanoTime() - start) / 1e9;
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
