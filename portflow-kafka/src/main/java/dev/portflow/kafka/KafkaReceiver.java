package dev.portflow.kafka;

import dev.portflow.component.Source;
import dev.portflow.component.SourceContext;
import dev.portflow.metrics.RemoteBuffer;
import dev.portflow.port.OutputPort;
import dev.portflow.runtime.CompletionWatermark;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.ReceivedRecords;
import dev.portflow.time.NanoWallClock;
import dev.portflow.trace.TraceContext;
import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * The receiving end of a Kafka edge: a source that reads the topic in the consumer group
 * {@link KafkaEdge#groupId()} and feeds the receiving component's input port through a small
 * in-process prefetch buffer.
 *
 * <p>At-least-once: an offset is committed only once the record's message is done with in this
 * process: finished by the receiving component and by every component downstream that it led to
 * ({@link CompletionWatermark}), in the order received. A crash redelivers what was not finished; an idempotent sink (the
 * {@code store} recipe upserts by id) makes that exactly-once in effect. A record that is not a
 * valid message is logged, counted as an error of this source ({@code invalid_record}) and
 * committed past, so one bad record cannot stop the edge.
 *
 * <p>On drain it stops reading, waits (up to {@link #FINISH_TIMEOUT}) for the component to finish
 * what it was given, commits, and ends. When the pipeline refuses a record while running (the
 * receiving component died and its input refuses messages), it stops reading the same way, but
 * waits only while what is still being handled keeps finishing. The input port it feeds reports the
 * group's lag as its depth ({@link #backlog()}).
 *
 * <p>In a pipeline that traces, a record's {@code traceparent} header (written by the sending
 * link for a traced message) goes with its message: the receiving stage's spans continue the
 * sender's trace, and its wait span starts when the record was produced (to the nanosecond). A
 * malformed header is ignored (logged at most once a minute); the message is delivered untraced.
 */
public final class KafkaReceiver<T> implements Source<T> {

    /** How long a draining receiver waits for its messages to be finished before it stops committing. */
    public static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);
    /** After the pipeline refused a record: how long the commit waits for finishing to make progress. */
    private static final Duration STALL_AFTER_REFUSAL = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger("dev.portflow.kafka");
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long TRACE_WARNING_EVERY_NANOS = 60_000_000_000L;
    /**
     * While running, finished records are committed at most this often: a commit is a broker round
     * trip on the reading thread (committing after every poll took a tenth of it in
     * {@code bench/run-kafka}); a crash redelivers at most this much more. Revocation and drain
     * commit at once.
     */
    static final long COMMIT_INTERVAL_NANOS = 100_000_000L;
    /** The gauge of the partitions a receiving edge's consumer owns: the process's share of the group. */
    public static final String PARTITIONS_ASSIGNED = "portflow.kafka.partitions.assigned";

    private final KafkaSettings settings;
    private final KafkaEdge edge;
    private final MessageCodec<T> codec;
    private final ConsumerLag lag;
    private final int prefetch;
    private volatile @Nullable CompletionWatermark watermark;
    // partitions this process's consumer owns now: its share of the group's work
    private final AtomicInteger partitionsAssigned = new AtomicInteger();

    /** A record given to the pipeline (or skipped), waiting to be committed. */
    private record Pending(TopicPartition partition, long offset) {}

    KafkaReceiver(KafkaSettings settings, KafkaEdge edge, MessageCodec<T> codec, ConsumerLag lag, int prefetch) {
        this.settings = settings;
        this.edge = edge;
        this.codec = codec;
        this.lag = lag;
        this.prefetch = prefetch;
    }

    public KafkaEdge edge() {
        return edge;
    }

    /** The group's lag on the topic: bind the fed input port to it ({@code PipelineBuilder#bindRemote}). */
    public RemoteBuffer backlog() {
        return lag;
    }

    /** The prefetch buffer's size: records read ahead of the component, at most. */
    public int prefetch() {
        return prefetch;
    }

    /**
     * The pipeline this receiver feeds (it must hold the edge's receiving component); required after
     * {@code build()} and before {@code start()}, since commits wait for the work of each message to
     * be complete in it ({@link Pipeline#completionWatermark}).
     */
    public void watch(Pipeline pipeline) {
        this.watermark = pipeline.completionWatermark(edge.toComponent(), edge.toPort());
        Gauge.builder(PARTITIONS_ASSIGNED, partitionsAssigned, AtomicInteger::get)
                .description("partitions of the Kafka edge's topic this process's consumer owns now")
                .tag("pipeline", edge.pipeline())
                .tag("component", edge.toComponent())
                .tag("port", edge.toPort())
                .tag("topic", edge.topic())
                .register(pipeline.meterRegistry());
    }

    /** Partitions of the topic this process's consumer owns now ({@value #PARTITIONS_ASSIGNED}). */
    public int partitionsAssigned() {
        return partitionsAssigned.get();
    }

    @Override
    public void run(SourceContext<T> context) throws Exception {
        CompletionWatermark fed = watermark;
        if (fed == null) {
            throw new IllegalStateException("the Kafka receiver of " + edge.describe()
                    + " does not know the pipeline it feeds (call watch(pipeline) before start)");
        }
        Properties properties = settings.consumerProperties(
                edge.groupId(), edge.groupId() + "-" + ProcessHandle.current().pid(), prefetch);
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            new Reading(consumer, context, fed).run();
        } finally {
            partitionsAssigned.set(0); // the consumer has left (or, a static member, stopped)
        }
    }

    /** One run's state: what was given to the pipeline and not yet committed. */
    private final class Reading implements ConsumerRebalanceListener {
        private final Consumer<byte[], byte[]> consumer;
        private final SourceContext<T> context;
        private final OutputPort<T> out;
        private final ReceivedRecords<Pending> pending;
        private final Set<TopicPartition> assigned = new HashSet<>();
        private boolean refused; // the pipeline refused a message: what it holds will not finish
        private final boolean traced; // the pipeline traces: records' trace headers are read
        private long lastTraceWarning = System.nanoTime() - TRACE_WARNING_EVERY_NANOS;

        Reading(Consumer<byte[], byte[]> consumer, SourceContext<T> context, CompletionWatermark fed) {
            this.consumer = consumer;
            this.context = context;
            this.out = Objects.requireNonNull(context.outputPort(), "a KafkaReceiver needs exactly one output port");
            this.pending = new ReceivedRecords<>(fed);
            this.traced = context.tracer() != null;
        }

        void run() throws InterruptedException {
            consumer.subscribe(List.of(edge.topic()), this);
            long lastCommit = System.nanoTime();
            try {
                reading:
                while (context.isRunning()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        if (!give(record)) {
                            // The pipeline refuses (it is closing, or the receiving component died):
                            // stop reading. Reading on would fetch records past this one that can
                            // never be given; only what was given and finished gets committed.
                            break reading;
                        }
                    }
                    long now = System.nanoTime();
                    if (now - lastCommit >= COMMIT_INTERVAL_NANOS) {
                        lastCommit = now;
                        commitFinished();
                    }
                }
            } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                if (context.isRunning()) {
                    throw e;
                }
            }
            // A drain interrupts sources once to wake them; the client refuses to work while the
            // flag is set, and the last commits are still to be made.
            Thread.interrupted();
            finishAndCommit();
        }

        /** Hands one record's message to the pipeline; {@code false} if the pipeline no longer takes any. */
        private boolean give(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            T message;
            try {
                message = codec.decode(record);
            } catch (RuntimeException invalid) {
                out.countError("invalid_record");
                LOG.log(
                        System.Logger.Level.WARNING,
                        "skipping record " + partition + "@" + record.offset() + " of " + edge.describe() + ": "
                                + invalid.getMessage());
                pending.skipped(new Pending(partition, record.offset()));
                return true;
            }
            long now = System.nanoTime();
            long origin = NanoWallClock.toNanoTime(Instant.ofEpochMilli(record.timestamp()), now);
            // only a pipeline that traces reads the trace header: a traced message continues its trace here
            TraceContext trace = traced ? traceContext(record, partition) : null;
            // queue wait counts from when the record was produced: its wait in the topic is the edge's
            // (and a traced message's wait span covers it too)
            if (!out.send(message, origin, producedAt(record, now), trace).isAccepted()) {
                // Only a closing pipeline or a dead receiving component refuses (the prefetch edge
                // blocks): reading stops here and this record and the rest of the batch stay
                // uncommitted, to be read again by the next run.
                refused = true;
                return false;
            }
            pending.given(new Pending(partition, record.offset()));
            return true;
        }

        /**
         * The trace context in the record's {@value Traceparent#HEADER} header: null when it has none or
         * it is not sampled, and when it is malformed (logged, at most once a minute: the message is
         * delivered untraced, never refused for it).
         */
        private @Nullable TraceContext traceContext(ConsumerRecord<byte[], byte[]> record, TopicPartition partition) {
            Header header = record.headers().lastHeader(Traceparent.HEADER);
            if (header == null || header.value() == null) {
                return null;
            }
            try {
                return Traceparent.parse(header.value());
            } catch (IllegalArgumentException malformed) {
                long now = System.nanoTime();
                if (now - lastTraceWarning >= TRACE_WARNING_EVERY_NANOS) {
                    lastTraceWarning = now;
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "ignoring the malformed " + Traceparent.HEADER + " header of record " + partition + "@"
                                    + record.offset() + " of " + edge.describe() + " (" + malformed.getMessage()
                                    + "): its message goes on untraced; further ones are not logged for a minute");
                }
                return null;
            }
        }

        /**
         * When the record was produced, on the nanoTime scale: to the nanosecond for a traced message's
         * record ({@value KafkaSendingLink#PRODUCED_AT_NANOS}), else to the millisecond (its {@value
         * KafkaSendingLink#PRODUCED_AT} header), else its timestamp; never after {@code now}.
         */
        private long producedAt(ConsumerRecord<byte[], byte[]> record, long now) {
            Header nanos = record.headers().lastHeader(KafkaSendingLink.PRODUCED_AT_NANOS);
            if (nanos != null && nanos.value() != null) {
                try {
                    long epochNanos = Long.parseLong(new String(nanos.value(), StandardCharsets.US_ASCII).trim());
                    return Math.min(now, NanoWallClock.fromEpochNanos(epochNanos, now));
                } catch (NumberFormatException ignored) {
                    // not ours: the millisecond header, or the timestamp
                }
            }
            Header header = record.headers().lastHeader(KafkaSendingLink.PRODUCED_AT);
            long millis = record.timestamp();
            if (header != null && header.value() != null) {
                try {
                    millis = Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII).trim());
                } catch (NumberFormatException ignored) {
                    // not ours: keep the record's timestamp
                }
            }
            return Math.min(now, NanoWallClock.toNanoTime(Instant.ofEpochMilli(millis), now));
        }

        /**
         * Commits, in order, every pending record whose message the component has finished (and the
         * skipped ones before them). They leave the pending list only once the commit succeeded, so a
         * failed commit is retried by the next one.
         */
        private void commitFinished() {
            List<Pending> done = pending.done();
            if (done.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            for (Pending p : done) {
                if (assigned.contains(p.partition())) {
                    offsets.put(p.partition(), new OffsetAndMetadata(p.offset() + 1));
                }
            }
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets);
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    Thread.currentThread().interrupt(); // a drain woke us: the next commit retries these
                    return;
                } catch (KafkaException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "commit on " + edge.describe() + " failed (retried with the" + " next one): " + e);
                    return;
                }
            }
            pending.removeDone(done.size());
        }

        private void finishAndCommit() throws InterruptedException {
            int left = pending.settleAll(FINISH_TIMEOUT, refused, STALL_AFTER_REFUSAL, this::commitFinished);
            if (left > 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        left + " records of " + edge.describe() + " were not finished in " + FINISH_TIMEOUT.toSeconds()
                                + " s; they will be read again");
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitFinished(); // what is finished is committed while we still own it
            assigned.removeAll(partitions);
            partitionsAssigned.set(assigned.size());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member owns them already (this one missed its session): nothing may be committed
            assigned.removeAll(partitions);
            partitionsAssigned.set(assigned.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            partitionsAssigned.set(assigned.size());
        }
    }
}
