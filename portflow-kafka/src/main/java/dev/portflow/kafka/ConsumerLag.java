package dev.portflow.kafka;

import dev.portflow.metrics.RemoteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka edge's buffer as the ports see it: the receiving consumer group's lag on the topic (the
 * records written but not yet committed as handled), read with the Admin API every
 * {@code refresh} on one background thread, so metric scrapes and senders only read a field.
 *
 * <p>Lag counts, per partition, the end offset minus the group's committed offset (the earliest
 * offset where the group has not committed yet, since its consumer starts there).
 *
 * <p>On the sending side the link adds the records it produced since the last read, so senders
 * see their own writes at once and cannot overshoot the capacity between two reads by more than
 * the records produced by other processes meanwhile. "Since the last read" counts from the records
 * the broker had acknowledged when the read started: a record still in flight then may or may not
 * be in the offsets the read found, so it is counted as produced since (at worst twice: a
 * conservative depth, never one that lets a sender past the capacity).
 */
final class ConsumerLag implements RemoteBuffer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.portflow.kafka");
    private static final long READ_TIMEOUT_SECONDS = 10;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Admin admin;
    private final KafkaEdge edge;
    private final Duration refresh;
    // records this process reserved room for, or null on the receiving side
    private final @Nullable AtomicLong produced;
    // of those, the ones the broker acknowledged; null on the receiving side
    private final @Nullable AtomicLong written;
    private final ScheduledExecutorService reader;
    private volatile @Nullable ScheduledFuture<?> periodicRead; // set by start(), cancelled by close()
    // One reference, so a sender reads the lag and the count it goes with as one pair.
    private volatile Reading reading = new Reading(0, 0);
    private volatile boolean measured;
    private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

    /** The group's lag at a read, and how many of this process's records the broker had acknowledged before it. */
    private record Reading(long lag, long writtenBefore) {}

    /**
     * @param produced records this process reserved room for (sending side), or null
     * @param written  of those, the ones the broker acknowledged (sending side), or null
     */
    ConsumerLag(
            Admin admin,
            KafkaEdge edge,
            Duration refresh,
            @Nullable AtomicLong produced,
            @Nullable AtomicLong written) {
        this.admin = admin;
        this.edge = edge;
        this.refresh = refresh;
        this.produced = produced;
        this.written = written;
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portflow-kafka-lag-" + edge.topic());
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the lag once now (so the first depth is real), then every {@code refresh}. */
    ConsumerLag start() {
        read();
        long period = refresh.toNanos();
        periodicRead = reader.scheduleWithFixedDelay(this::read, period, period, TimeUnit.NANOSECONDS);
        return this;
    }

    @Override
    public String transport() {
        return "kafka";
    }

    /** The last lag read plus, on the sending side, what this process produced since. */
    @Override
    public long depth() {
        return produced == null ? reading.lag() : depthIfProduced(produced.get());
    }

    /** What {@link #depth()} would be had this process produced {@code producedCount} records in all. */
    long depthIfProduced(long producedCount) {
        Reading r = reading;
        return r.lag() + Math.max(0, producedCount - r.writtenBefore());
    }

    @Override
    public long capacity() {
        return edge.capacity();
    }

    /** Whether the lag has been read at least once. */
    boolean measured() {
        return measured;
    }

    /** What the last read found, without this process's later writes. */
    long lastRead() {
        return reading.lag();
    }

    private void read() {
        try {
            // Acknowledged before the query, so in the offsets it finds; a record in flight is counted as
            // produced since the read even if the query found it (twice at worst: a conservative depth).
            long before = written == null ? 0 : written.get();
            long value = query();
            reading = new Reading(value, before);
            measured = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // keep the last value: a broker hiccup must not read as an empty (or full) buffer
            long now = System.nanoTime();
            if (now - lastWarning >= WARN_EVERY_NANOS) {
                lastWarning = now;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot read the lag of group " + edge.groupId() + " on topic " + edge.topic()
                                + " (keeping the last value, " + reading.lag() + "): " + e);
            }
        }
    }

    /** The group's lag on the topic now; 0 while the topic does not exist. */
    long query() throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions;
        try {
            // the answer describes the one topic asked for (an unknown topic fails the future instead)
            TopicDescription description = Objects.requireNonNull(
                    admin.describeTopics(List.of(edge.topic()))
                            .allTopicNames()
                            .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .get(edge.topic()),
                    edge.topic());
            partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(edge.topic(), p.partition()))
                    .toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(edge.groupId())
                .partitionsToOffsetAndMetadata()
                .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition p : partitions) {
            latest.put(p, OffsetSpec.latest());
            if (committed.get(p) == null) {
                earliest.put(p, OffsetSpec.earliest());
            }
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = earliest.isEmpty()
                ? Map.of()
                : admin.listOffsets(earliest).all().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long total = 0;
        for (TopicPartition p : partitions) {
            // ends has every partition, starts every one without a committed offset: both were asked for them
            OffsetAndMetadata c = committed.get(p);
            long from = c != null
                    ? c.offset()
                    : Objects.requireNonNull(starts.get(p), "earliest offset").offset();
            total += Math.max(
                    0, Objects.requireNonNull(ends.get(p), "latest offset").offset() - from);
        }
        return total;
    }

    @Override
    public void close() {
        ScheduledFuture<?> task = periodicRead;
        if (task != null) {
            task.cancel(false); // a read under way is interrupted by shutdownNow() below
        }
        reader.shutdownNow();
    }
}
