package dev.portflow.kafka;

import dev.portflow.port.RemoteLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;

/**
 * One process's connection to Kafka: a producer shared by every sending edge, an admin client for
 * lag reads and topic creation, and the edges' ends. Close it after the pipeline has drained.
 *
 * <pre>{@code
 * try (KafkaTransport kafka = KafkaTransport.create(KafkaSettings.of("127.0.0.1:9092"))) {
 *     KafkaEdge edge = new KafkaEdge("orders", "api", "out_requests", "store", "in_orders", "orders", 10_000);
 *     Pipeline sender = Pipeline.builder("orders")
 *             .source("api", JsonMessage.class, api)
 *             .connect("api.out_requests", kafka.sendingLink(edge, MessageCodec.jsonMessages()), options)
 *             .build();
 *     ...
 * }
 * }</pre>
 */
public final class KafkaTransport implements AutoCloseable {

    /** Default prefetch of a receiving edge: records read ahead of the receiving component. */
    public static final int DEFAULT_PREFETCH = 500;

    private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final Admin admin;
    private final String clientId = "portflow-" + ProcessHandle.current().pid();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private @Nullable Producer<byte[], byte[]> producer;
    // sends again the records the producer gave up on (one thread: resends are rare and back off)
    private @Nullable ScheduledExecutorService resender;

    private KafkaTransport(KafkaSettings settings) {
        this.settings = settings;
        this.admin = Admin.create(settings.admin(clientId));
    }

    /** Connects lazily: no broker is contacted until an edge is made. */
    public static KafkaTransport create(KafkaSettings settings) {
        return new KafkaTransport(settings);
    }

    public KafkaSettings settings() {
        return settings;
    }

    /**
     * The sending end of {@code edge}, for the sender's output port. Creates the topic if it does
     * not exist (with the broker's default partitions and replication) and reads the lag once.
     */
    public synchronized <T> RemoteLink<T> sendingLink(KafkaEdge edge, MessageCodec<T> codec) {
        ensureTopic(edge.topic());
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producerProperties(clientId));
            resender = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "portflow-kafka-resend");
                t.setDaemon(true);
                return t;
            });
        }
        AtomicLong produced = new AtomicLong();
        AtomicLong written = new AtomicLong();
        ConsumerLag lag = new ConsumerLag(admin, edge, settings.lagRefresh(), produced, written).start();
        owned.add(lag);
        return new KafkaSendingLink<>(
                edge,
                codec,
                producer,
                produced,
                written,
                lag,
                Objects.requireNonNull(resender),
                KafkaSendingLink.STALL_NANOS);
    }

    /** The receiving end of {@code edge}: a source to add to the pipeline, feeding the receiving port. */
    public synchronized <T> KafkaReceiver<T> receiver(KafkaEdge edge, MessageCodec<T> codec) {
        return receiver(edge, codec, DEFAULT_PREFETCH);
    }

    /** As {@link #receiver(KafkaEdge, MessageCodec)} with {@code prefetch} records read ahead at most. */
    public synchronized <T> KafkaReceiver<T> receiver(KafkaEdge edge, MessageCodec<T> codec, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, was " + prefetch);
        }
        ensureTopic(edge.topic());
        ConsumerLag lag = new ConsumerLag(admin, edge, settings.lagRefresh(), null, null).start();
        owned.add(lag);
        return new KafkaReceiver<>(settings, edge, codec, lag, prefetch);
    }

    /** Creates {@code topic} with the broker's defaults unless it exists. */
    public void ensureTopic(String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaTransportException(
                        "cannot create topic " + topic + " on " + settings.bootstrapServers() + ": " + e.getCause(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaTransportException(
                    "Kafka at " + settings.bootstrapServers() + " did not answer within 30 s (creating topic " + topic
                            + ")",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaTransportException("interrupted while creating topic " + topic, e);
        }
    }

    /** Stops the lag reads, flushes and closes the producer and the admin client. */
    @Override
    public synchronized void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a lag reader does not fail
            }
        }
        owned.clear();
        if (resender != null) {
            resender.shutdownNow(); // a record still waiting was not acknowledged: its upstream was not committed
            resender = null;
        }
        // bounded: a broker gone at shutdown must not hold the process
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
        admin.close(CLOSE_TIMEOUT);
    }
}
