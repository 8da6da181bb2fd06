package dev.portflow.kafka;

import dev.portflow.port.RemoteLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
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
    private static final System.Logger LOG = System.getLogger("dev.portflow.kafka");

    private final KafkaSettings settings;
    private final Admin admin;
    private final String clientId = "portflow-" + ProcessHandle.current().pid();
    private final List<AutoCloseable> owned = new ArrayList<>();
    // "topic/asked" whose existing partition count was compared: both ends of an edge ensure its topic
    private final Set<String> partitionsCompared = ConcurrentHashMap.newKeySet();
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
     * not exist (with the edge's {@link KafkaEdge#partitions()}, else the broker's default partitions;
     * the broker's default replication) and reads the lag once. Records are keyed by
     * {@link MessageCodec#key}: records with one key go to one partition and keep their order.
     */
    public synchronized <T> RemoteLink<T> sendingLink(KafkaEdge edge, MessageCodec<T> codec) {
        ensureTopic(edge.topic(), edge.partitions());
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

    /**
     * As {@link #receiver(KafkaEdge, MessageCodec)} with {@code prefetch} records read ahead at most.
     * Creates the topic if it does not exist, as {@link #sendingLink} does (whichever end starts first
     * creates it, so both take the edge's partitions).
     */
    public synchronized <T> KafkaReceiver<T> receiver(KafkaEdge edge, MessageCodec<T> codec, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, was " + prefetch);
        }
        ensureTopic(edge.topic(), edge.partitions());
        ConsumerLag lag = new ConsumerLag(admin, edge, settings.lagRefresh(), null, null).start();
        owned.add(lag);
        return new KafkaReceiver<>(settings, edge, codec, lag, prefetch);
    }

    /** Creates {@code topic} with the broker's defaults unless it exists. */
    public void ensureTopic(String topic) {
        ensureTopic(topic, OptionalInt.empty());
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions (and the broker's default replication)
     * unless it exists. An existing topic is left as it is: when it has another number of partitions,
     * a warning names the topic, the count it has and the count asked for (once per topic and count in
     * this transport, though both ends of an edge ensure it). Portflow does not add partitions itself:
     * that moves keys to other partitions while records with those keys may still be unread, so per-key
     * order would break; it is an operator's decision ({@code kafka-topics.sh --alter --partitions}).
     *
     * @throws IllegalArgumentException if {@code partitions} is not between 1 and {@value KafkaEdge#MAX_PARTITIONS}
     * @throws KafkaTransportException  if the topic cannot be created or Kafka does not answer
     */
    public void ensureTopic(String topic, int partitions) {
        KafkaEdge.checkPartitions(topic, partitions);
        ensureTopic(topic, OptionalInt.of(partitions));
    }

    private void ensureTopic(String topic, OptionalInt partitions) {
        Optional<Integer> count = partitions.isPresent() ? Optional.of(partitions.getAsInt()) : Optional.empty();
        try {
            admin.createTopics(List.of(new NewTopic(topic, count, Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaTransportException(
                        "cannot create topic " + topic + " on " + settings.bootstrapServers() + ": " + e.getCause(),
                        e.getCause());
            }
            if (partitions.isPresent()) {
                comparePartitions(topic, partitions.getAsInt());
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

    /**
     * Warns when the existing {@code topic} does not have the {@code asked} partitions. Advisory: a
     * topic that exists works whatever its count, so a failure to read the count is a warning too,
     * never a failure to start.
     */
    private void comparePartitions(String topic, int asked) {
        if (!partitionsCompared.add(topic + "/" + asked)) {
            return; // the other end of an edge in this process, or another edge: said once
        }
        int has;
        try {
            has = partitionCount(topic);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not read how many partitions topic " + topic + " has, to compare with the " + asked
                            + " asked for: " + cause);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaTransportException("interrupted while reading topic " + topic, e);
        }
        if (has != asked) {
            String remedy = has < asked
                    ? "add partitions with kafka-topics.sh --alter --partitions " + asked
                            + " once its consumers have caught up, or ask for " + has
                    : "Kafka cannot take partitions away: recreate the topic, or ask for " + has;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "topic " + topic + " exists with " + has + " partition" + (has == 1 ? "" : "s") + ", not the "
                            + asked + " asked for; it is used as it is (Portflow does not change an existing topic:"
                            + " adding partitions moves keys to other partitions, which breaks per-key order for"
                            + " records not yet read); " + remedy);
        }
    }

    /**
     * The partitions of existing {@code topic}. Retried for a while when the broker does not know the
     * topic yet: another process may have just created it, and its metadata may still be on the way.
     */
    private int partitionCount(String topic) throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(topic);
                if (description == null) {
                    throw new ExecutionException(
                            "no description of " + topic, new UnknownTopicOrPartitionException(topic));
                }
                return description.partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
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
