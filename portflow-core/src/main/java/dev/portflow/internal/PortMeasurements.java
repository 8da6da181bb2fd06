package dev.portflow.internal;

import dev.portflow.channel.BoundedChannel;
import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.HistogramSnapshot;
import dev.portflow.metrics.LatencyHistogram;
import dev.portflow.metrics.PortCounters;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.metrics.RemoteBuffer;
import dev.portflow.time.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Everything one port measures. Owned by the port, which updates it on its hot path; read by
 * {@link PortMetrics} snapshots and by the Micrometer meters bound to it ({@link PortMeterBinder}).
 *
 * <p>Counts of accepted and received messages are not kept here at all: they are read from the
 * channels' indices, which advance anyway. The buffer gauges (depth, capacity, utilization, oldest
 * age) read the live channels, so they stay exact when a buffer drains with no further sends.
 */
public final class PortMeasurements implements PortCounters {

    private static final VarHandle LAST_ACTIVITY;
    private static final VarHandle FINISHED;

    static {
        try {
            LAST_ACTIVITY =
                    MethodHandles.lookup().findVarHandle(PortMeasurements.class, "lastActivityNanos", long.class);
            FINISHED = MethodHandles.lookup().findVarHandle(PortMeasurements.class, "finished", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final double NANOS_PER_MS = 1_000_000.0;

    private final String portName;
    private final Direction direction;
    private final List<BoundedChannel<?>> channels = new CopyOnWriteArrayList<>();
    private final EnumMap<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder clockSkew = new LongAdder();
    private final LongAdder sentRemotely = new LongAdder();

    /** Receive side: enqueue to dequeue. */
    public final LatencyHistogram queueWait = new LatencyHistogram();
    /** Receive side: event (or ingest) time to receive. */
    public final LatencyHistogram messageAge = new LatencyHistogram();
    /** Receive side: time the component spent handling one message from this port. */
    public final LatencyHistogram processDuration = new LatencyHistogram();
    /** Send side: time a send waited on a full buffer (only sends that waited are recorded). */
    public final LatencyHistogram blocked = new LatencyHistogram();

    private volatile String pipeline = "standalone";
    private volatile String component = "standalone";

    @SuppressWarnings("unused") // accessed through LAST_ACTIVITY
    private long lastActivityNanos = Long.MIN_VALUE;

    @SuppressWarnings("unused") // accessed through FINISHED
    private long finished;

    private volatile Runnable onErrorTypeAdded = () -> {};
    private volatile @Nullable RemoteBuffer remote;
    private volatile @Nullable FinishedPrefix prefix; // null: one thread finishes messages in order
    private volatile Ticker ticker = Ticker.system();

    public PortMeasurements(String portName, Direction direction) {
        this.portName = Objects.requireNonNull(portName);
        this.direction = Objects.requireNonNull(direction);
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    @Override
    public String portName() {
        return portName;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    public String pipeline() {
        return pipeline;
    }

    public void pipeline(String name) {
        this.pipeline = Objects.requireNonNull(name);
    }

    @Override
    public String component() {
        return component;
    }

    public void component(String name) {
        this.component = Objects.requireNonNull(name);
    }

    public void addChannel(BoundedChannel<?> channel) {
        channels.add(channel);
    }

    public List<BoundedChannel<?>> channels() {
        return channels;
    }

    /**
     * Binds this port to a buffer outside the process (e.g. a Kafka topic): from now on its depth
     * and capacity are the remote buffer's, any local channels being only its prefetch, and its
     * meters are tagged with the remote's transport. Bind before the meters are registered.
     */
    public void bindRemote(RemoteBuffer buffer) {
        this.remote = Objects.requireNonNull(buffer);
    }

    /** The time source of this port's measurements; its port reads it on the hot path. */
    public Ticker ticker() {
        return ticker;
    }

    /** Set by the port ({@code port.ticker(...)}), before it carries messages. */
    public void ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker);
    }

    /** The remote buffer this port is bound to, or {@code null} when its buffers are in process. */
    public @Nullable RemoteBuffer remote() {
        return remote;
    }

    /** {@code memory} for in-process buffers, else the remote buffer's transport (e.g. {@code kafka}). */
    @Override
    public String transport() {
        RemoteBuffer r = remote;
        return r == null ? PortMeterBinder.TRANSPORT_MEMORY : r.transport();
    }

    // ---- updates (hot path) ----

    @SuppressWarnings("NullAway") // the constructor puts every DropReason in drops; no check on the hot path
    public void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    public void error(String errorType) {
        LongAdder adder = errors.get(errorType);
        if (adder == null) {
            adder = errors.computeIfAbsent(errorType, k -> new LongAdder());
            onErrorTypeAdded.run();
        }
        adder.increment();
    }

    /**
     * Messages the component of this input port has finished with, as counted by the runtime: handled
     * (successfully or not) or refused as invalid, with none before them unfinished. A transport that
     * acknowledges its source only after the component is done (e.g. commits Kafka offsets) counts on
     * it. With one worker it is a plain count, exact because one thread handles the port's messages
     * in the order they were received; with several ({@link #finishInAnyOrder}) it is the finished
     * prefix in the order the port handed the messages out.
     */
    public long messagesFinished() {
        FinishedPrefix p = prefix;
        // acquire, paired with finishedOne's release: a reader that sees a message finished sees
        // what handling it sent (CompletionWatermark reads the output buffers after this)
        return p != null ? p.completed() : (long) FINISHED.getAcquire(this) + dropped(DropReason.INVALID);
    }

    /**
     * The component has finished handling one message of this port (runtime, the port's one
     * receiving thread only: a plain single-writer increment, published with a release store).
     */
    public void finishedOne() {
        FINISHED.setRelease(this, (long) FINISHED.getOpaque(this) + 1); // after the message's sends
    }

    /**
     * Several workers finish this port's messages, in any order: from now on messages are finished by
     * {@link #finished(long)}. Before the port receives anything.
     */
    public void finishInAnyOrder() {
        prefix = new FinishedPrefix();
    }

    /** Whether finishing goes by sequence ({@link #finishInAnyOrder}). */
    public boolean finishesInAnyOrder() {
        return prefix != null;
    }

    /** Message {@code sequence} (the port's hand-out order, from 0) is finished: handled, or refused as invalid. */
    @SuppressWarnings("NullAway") // called only after finishInAnyOrder() set prefix; no check on the hot path
    public void finished(long sequence) {
        prefix.finished(sequence);
    }

    /** A message was accepted by the remote buffer of a connection leaving the process. */
    public void sentRemotely() {
        sentRemotely.increment();
    }

    public void clockSkew() {
        clockSkew.increment();
    }

    /**
     * Records activity at {@code nowNanos}. Stores at most once per millisecond: concurrent senders
     * would otherwise bounce this cache line between cores on every message. A racy store is fine,
     * the gauge only needs a recent value.
     */
    public void touch(long nowNanos) {
        long previous = (long) LAST_ACTIVITY.getOpaque(this);
        if (nowNanos - previous >= 1_000_000L || previous == Long.MIN_VALUE) {
            LAST_ACTIVITY.setOpaque(this, nowNanos);
        }
    }

    /** Called when the first error of a new type is counted, so a binder can register its counter. */
    public void onErrorTypeAdded(Runnable listener) {
        this.onErrorTypeAdded = Objects.requireNonNull(listener);
    }

    // ---- reads ----

    @Override
    public long dropped(DropReason reason) {
        return Objects.requireNonNull(drops.get(reason)).sum(); // every reason is put in the constructor
    }

    @Override
    public long droppedTotal() {
        long total = 0;
        for (LongAdder adder : drops.values()) {
            total += adder.sum();
        }
        return total;
    }

    public Map<String, LongAdder> errorsByType() {
        return errors;
    }

    @Override
    public long errorsTotal() {
        long total = 0;
        for (LongAdder adder : errors.values()) {
            total += adder.sum();
        }
        return total;
    }

    public long clockSkewCount() {
        return clockSkew.sum();
    }

    /** Messages handed to the receiver by this port's channels (input ports). */
    @Override
    public long messagesIn() {
        long total = 0;
        for (BoundedChannel<?> c : channels) {
            total += c.receivedCount();
        }
        return total;
    }

    /**
     * Messages that have left this port's in-process buffers, received or evicted ({@code DROP_OLDEST}):
     * never decreases, so two readings give the rate at which the buffers drain.
     */
    @Override
    public long removedFromBuffers() {
        long total = 0;
        for (BoundedChannel<?> c : channels) {
            total += c.receivedCount() + c.evictedCount();
        }
        return total;
    }

    /** Messages accepted by this port's channels (output ports). */
    @Override
    public long messagesOut() {
        long total = sentRemotely.sum();
        for (BoundedChannel<?> c : channels) {
            total += c.acceptedCount();
        }
        return total;
    }

    /** Messages buffered now in this port's in-process channels, whether or not it is bound to a remote buffer. */
    public int localDepth() {
        int total = 0;
        for (BoundedChannel<?> c : channels) {
            total += c.depth();
        }
        return total;
    }

    /** Messages buffered now in this port's channels (or waiting in its remote buffer). */
    @Override
    public int depth() {
        RemoteBuffer r = remote;
        if (r != null) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, r.depth()));
        }
        return localDepth();
    }

    @Override
    public int capacity() {
        RemoteBuffer r = remote;
        if (r != null) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, r.capacity()));
        }
        int total = 0;
        for (BoundedChannel<?> c : channels) {
            total += c.capacity();
        }
        return total;
    }

    /** depth / capacity in [0, 1]; 0 when unconnected. */
    @Override
    public double utilization() {
        if (remote != null) {
            int capacity = capacity();
            return capacity == 0 ? 0.0 : Math.min(1.0, (double) depth() / capacity);
        }
        int depth = 0;
        int capacity = 0;
        for (BoundedChannel<?> c : channels) {
            depth += c.depth();
            capacity += c.capacity();
        }
        return capacity == 0 ? 0.0 : Math.min(1.0, (double) depth / capacity);
    }

    /** Age in nanoseconds of the oldest message at the head of any of this port's buffers, 0 if empty. */
    @Override
    public long oldestMessageAgeNanos(long nowNanos) {
        long oldest = Long.MAX_VALUE;
        for (BoundedChannel<?> c : channels) {
            long origin = c.headOriginAt();
            if (origin != Long.MIN_VALUE && origin < oldest) {
                oldest = origin;
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, nowNanos - oldest);
    }

    /** Last send or receive as epoch milliseconds, or 0 when the port has seen no traffic. */
    public long lastActivityEpochMillis() {
        long nanos = (long) LAST_ACTIVITY.getOpaque(this);
        return nanos == Long.MIN_VALUE ? 0 : ticker.toEpochMillis(nanos);
    }

    @Override
    public HistogramSnapshot messageAges() {
        return messageAge.snapshot();
    }

    @Override
    public double blockedNanos() {
        return blocked.sumNanos();
    }

    /** A snapshot of this port's metrics, read now. */
    public PortMetrics metrics() {
        PortMeasurements m = this;
        long now = m.ticker().read();
        HistogramSnapshot process = m.processDuration.snapshot();
        HistogramSnapshot age = m.messageAge.snapshot();
        HistogramSnapshot wait = m.queueWait.snapshot();
        boolean input = m.direction() == Direction.INPUT;

        Map<String, Long> drops = new LinkedHashMap<>();
        long dropped = 0;
        for (DropReason reason : DropReason.values()) {
            if (reason.countedOn(direction)) {
                long n = m.dropped(reason);
                drops.put(reason.tag(), n);
                dropped += n;
            }
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        m.errorsByType().forEach((type, adder) -> errors.put(type, adder.sum()));

        int depth = m.depth();
        int capacity = m.capacity();
        long lastActivityMillis = m.lastActivityEpochMillis();
        return new PortMetrics(
                m.portName(),
                m.component(),
                m.direction(),
                input ? m.messagesIn() : 0,
                input ? 0 : m.messagesOut(),
                dropped,
                java.util.Collections.unmodifiableMap(drops),
                m.errorsTotal(),
                java.util.Collections.unmodifiableMap(errors),
                depth,
                capacity,
                capacity == 0 ? 0.0 : Math.min(1.0, (double) depth / capacity),
                process.meanNanos() / NANOS_PER_MS,
                process.percentileNanos(0.99) / NANOS_PER_MS,
                age.meanNanos() / NANOS_PER_MS,
                age.percentileNanos(0.50) / NANOS_PER_MS,
                age.percentileNanos(0.99) / NANOS_PER_MS,
                age.maxNanos() / NANOS_PER_MS,
                m.oldestMessageAgeNanos(now) / NANOS_PER_MS,
                wait.meanNanos() / NANOS_PER_MS,
                wait.percentileNanos(0.99) / NANOS_PER_MS,
                m.blocked.sumNanos() / NANOS_PER_MS,
                m.clockSkewCount(),
                lastActivityMillis / 1000.0);
    }
}
