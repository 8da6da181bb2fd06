package dev.portflow.port;

import dev.portflow.channel.BoundedChannel;
import dev.portflow.channel.ReceiverWakeup;
import dev.portflow.internal.PortMeasurements;
import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.PortCounters;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.time.Ticker;
import dev.portflow.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The receiving end of one or more connections. With several connections (fan-in) messages are
 * taken round-robin, one per connection per turn, so no upstream can starve another.
 *
 * <p>One thread receives from a port (its component). Receiving measures queue wait and message
 * age; messages that fail the port type's Bean Validation constraints are counted
 * ({@code reason=invalid} and an error), reported, and skipped.
 *
 * @param <T> the message type
 */
public final class InputPort<T> {

    private final String name;
    private final Class<T> type;
    private final PortMeasurements measurements;
    private final MessageValidator validator;

    @SuppressWarnings("unchecked") // a generic array: only BoundedChannel<T>s are ever stored in it
    private volatile BoundedChannel<T>[] channels = (BoundedChannel<T>[]) new BoundedChannel<?>[0];

    private volatile List<Connection<?>> connections = List.of();
    private ReceiverWakeup wakeup = new ReceiverWakeup();
    private volatile ErrorReporter errorReporter = ErrorReporter.logging();
    private Ticker ticker = Ticker.system(); // set before the port carries messages
    private @Nullable Inbox ownInbox; // created on the first receive
    private Object @Nullable [] drainBuffer; // drain()'s, allocated by its first call with the arrays below
    // drain(): the stamps of the messages taken, recorded at one clock read once the batch is taken.
    // Allocated with drainBuffer; read only while stamped >= 0, i.e. inside drain(), after that.
    @SuppressWarnings("NullAway.Init")
    private long[] batchEnqueued;

    @SuppressWarnings("NullAway.Init")
    private long[] batchOrigins;

    @SuppressWarnings("NullAway.Init")
    private int[] batchChannels;

    private int stamped = -1; // >= 0 while drain() takes a batch
    private static final int MAX_DRAIN = 1024;
    private int next; // round-robin position over channels

    // Set on the receiving thread for the message last returned.
    private long handedOut; // messages taken from the channels so far, valid or not
    private long lastReceivedAt;
    // Sampling (docs/metrics-fast-path.md), receiving thread only. Per channel: the queue wait and
    // age of its last exactly timed message (-1: none yet), which stand for its untimed ones, and
    // how many untimed ones it has taken since the last exact reading (counted into the histograms
    // at that reading: one histogram update per stretch instead of two per message).
    private long[] sampleWait = new long[0];
    private long[] sampleAge = new long[0];
    private int[] repeats = new int[0];
    // Untimed messages taken since the last exact reading: how many, and their earliest enqueue
    // stamp and origin, so the next reading bounds their wait and age from above.
    private int pending;
    private long pendingEnqueued;
    private long pendingOrigin;
    private long lastExactAt = Long.MIN_VALUE;
    private boolean lastUntimed; // the last message came through a timed connection, not timed
    /** An untimed message is settled by an exact reading within this long (coarse clock). */
    static final long SETTLE_NANOS = 500_000;

    private long lastOrigin = OutputPort.NO_ORIGIN;
    // Tracing only (carryTraceContexts): the last message's trace context and exact enqueue time.
    private boolean tracing;
    private @Nullable TraceContext lastContext;
    private long lastEnqueuedAt;

    /**
     * @param name {@code in_*}
     * @param type the message type; records with Bean Validation constraints are validated on receive
     */
    public InputPort(String name, Class<T> type) {
        this.name = PortName.requireInput(name);
        this.type = Objects.requireNonNull(type, "type");
        this.measurements = new PortMeasurements(name, PortCounters.Direction.INPUT);
        this.validator = MessageValidator.forType(type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public boolean isConnected() {
        return channels.length > 0;
    }

    public List<Connection<?>> connections() {
        return connections;
    }

    /**
     * Waits for the next message.
     *
     * @return the message, or {@code null} at end of stream (every upstream closed and all buffered
     *     messages received; {@link #isEndOfStream()} is then true)
     * @throws IllegalStateException if the port is not connected
     */
    public @Nullable T receive() throws InterruptedException {
        return type.cast(inbox().receive());
    }

    /**
     * Waits up to {@code timeout} for the next message.
     *
     * @return the message, or {@code null} on timeout or at end of stream (tell them apart with
     *     {@link #isEndOfStream()})
     */
    public @Nullable T receive(Duration timeout) throws InterruptedException {
        return type.cast(inbox().receive(timeout));
    }

    /** The next message if one is buffered now, else {@code null}; never waits. */
    public @Nullable T poll() {
        requireConnected();
        T message = pollOnce(0L);
        countUntimed();
        return message;
    }

    /**
     * Takes up to {@code max} messages that are buffered now and hands them to {@code handler}, in
     * order, with a single clock read for the whole batch: the batched receive for consumers that
     * process many small messages. The messages leave the buffers before the handler sees the first
     * one and the clock is read after the last has left, so depth, queue wait and age are exact at
     * that instant (a read before the last poll would receive a message sent meanwhile before it was
     * sent: a negative wait, counted as clock skew). If the handler throws, the rest of
     * the batch is still handed over (nothing taken is lost) and the first exception is rethrown.
     *
     * @param max at most this many messages, 1 to 1024
     * @return how many messages were handed over; 0 when none was buffered
     */
    public int drain(Consumer<? super T> handler, int max) {
        if (max < 1 || max > MAX_DRAIN) {
            throw new IllegalArgumentException("drain size must be 1.." + MAX_DRAIN + ", was " + max);
        }
        requireConnected();
        Object[] batch = drainBuffer;
        if (batch == null || batch.length < max) {
            batch = new Object[Math.max(max, 64)];
            drainBuffer = batch;
            batchEnqueued = new long[batch.length];
            batchOrigins = new long[batch.length];
            batchChannels = new int[batch.length];
        }
        int n = 0;
        stamped = 0;
        try {
            while (n < max) {
                T message = pollOnce(0L);
                if (message == null) {
                    break;
                }
                batch[n++] = message;
            }
        } finally {
            recordStamped();
            stamped = -1;
        }
        RuntimeException failure = null;
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            T message = (T) batch[i];
            batch[i] = null;
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return n;
    }

    /**
     * Refuses every later message on every connection into this port: senders, including ones
     * blocked on a full buffer, get {@link SendOutcome#CLOSED} (counted as a drop with reason
     * {@code closed} on their side). Messages already buffered stay receivable and count as left
     * over when the pipeline drains. For a receiver that stopped for good (its component died), so
     * nothing upstream waits for it. Idempotent.
     */
    public void refuseMessages() {
        for (BoundedChannel<T> channel : channels) {
            channel.close();
        }
    }

    /** Whether every upstream has closed and every buffered message has been received. */
    public boolean isEndOfStream() {
        BoundedChannel<T>[] cs = channels;
        if (cs.length == 0) {
            return false;
        }
        for (BoundedChannel<T> c : cs) {
            if (!c.isDrained()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The messages still buffered in this port's in-process channels, oldest first per connection,
     * without receiving them (no metric changes): for a drain that timed out, once the receiving
     * component has stopped.
     */
    public List<T> remaining() {
        List<T> left = new ArrayList<>();
        for (BoundedChannel<T> channel : channels) {
            left.addAll(channel.remaining());
        }
        return left;
    }

    /** A snapshot of this port's metrics. */
    public PortMetrics metrics() {
        return measurements.metrics();
    }

    /** This port's live counts, read at each call (cheaper than {@link #metrics()}). */
    public PortCounters counters() {
        return measurements;
    }

    /**
     * The live measurements behind this port's meters, for the runtime: not API. Its type is in
     * {@code dev.portflow.internal}, which the module does not export, so no other module can use it
     * (and {@code ArchitectureTest} fails when one of Portflow's does); read {@link #counters()}.
     * Public, rather than reached through an accessor, because the runtime reads it for every
     * message (an indirection measured 0.75x with metrics off).
     */
    @SuppressWarnings("exports")
    public PortMeasurements measurements() {
        return measurements;
    }

    /**
     * The time source of this port's measurements, {@link Ticker#system()} by default. Set it before
     * the port carries messages (a pipeline sets its own on every port it builds).
     */
    public void ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        measurements.ticker(ticker);
    }

    /** Where envelopes of invalid messages go; logs them by default. */
    public void onError(ErrorReporter reporter) {
        this.errorReporter = Objects.requireNonNull(reporter);
    }

    ErrorReporter errorReporter() {
        return errorReporter;
    }

    /** Whether any connection into this port is timed (measures queue wait and age per message). */
    public boolean isTimed() {
        for (var channel : measurements.channels()) {
            if (channel.isTimed()) {
                return true;
            }
        }
        return false;
    }

    /** The {@link #ticker(Ticker) ticker} reading at which the last message was taken (0 when timing is off). */
    public long lastReceivedAt() {
        return lastReceivedAt;
    }

    /**
     * Whether the last message came through a timed connection that did not time it (sampling at
     * high rates, docs/metrics-fast-path.md): {@link #lastReceivedAt()} is then 0 and the runtime
     * may count its processing time as the last timed one's.
     */
    public boolean lastUntimed() {
        return lastUntimed;
    }

    /** The place of the last message in the order this port handed messages out (from 0; invalid ones count). */
    public long lastSequence() {
        return handedOut - 1;
    }

    /** Origin (event or ingest time, nanoTime scale) of the last message, for messages derived from it. */
    public long lastOrigin() {
        return lastOrigin;
    }

    /**
     * Makes this port's connections carry trace contexts beside messages ({@link #lastContext()}).
     * The runtime calls it while it builds a traced pipeline, before any thread sends or receives.
     */
    public void carryTraceContexts() {
        tracing = true;
        for (var channel : measurements.channels()) {
            channel.carryTraceContexts();
        }
    }

    /** The trace context the last message carried, or null (untraced, or the pipeline traces nothing). */
    public @Nullable TraceContext lastContext() {
        return lastContext;
    }

    /**
     * When the last message entered its buffer, on the port's ticker, in a pipeline that traces (0
     * otherwise, or on an untimed connection): exact for a message with a {@link #lastContext() trace
     * context} (traced messages are timed exactly), a lower bound for others.
     */
    public long lastEnqueuedAt() {
        return lastEnqueuedAt;
    }

    // ---- package internals used by Inbox and Ports ----

    private Inbox inbox() {
        requireConnected();
        Inbox inbox = ownInbox;
        if (inbox == null) {
            inbox = new Inbox(List.of(this), false);
            ownInbox = inbox;
        }
        return inbox;
    }

    private void requireConnected() {
        if (channels.length == 0) {
            throw new IllegalStateException(
                    "input port '" + name + "' of component '" + measurements.component() + "' is not connected");
        }
    }

    ReceiverWakeup wakeup() {
        return wakeup;
    }

    synchronized void shareWakeup(ReceiverWakeup shared) {
        if (channels.length > 0) {
            throw new IllegalStateException(
                    "input port '" + name + "' is already connected; group ports in an Inbox before connecting them");
        }
        this.wakeup = shared;
    }

    boolean isConnectedTo(OutputPort<?> out) {
        for (Connection<?> c : connections) {
            if (c.from() == out) {
                return true;
            }
        }
        return false;
    }

    synchronized void attach(Connection<?> connection, BoundedChannel<T> channel) {
        BoundedChannel<T>[] next = Arrays.copyOf(channels, channels.length + 1);
        next[next.length - 1] = channel;
        measurements.addChannel(channel);
        List<Connection<?>> list = new java.util.ArrayList<>(connections);
        list.add(connection);
        connections = List.copyOf(list);
        channels = next;
    }

    /**
     * Takes the next published message, if any, round-robin over this port's channels.
     *
     * @param nowHint a reading of the port's ticker the caller just took, or 0 to read the clock here
     */
    @Nullable
    T pollOnce(long nowHint) {
        BoundedChannel<T>[] cs = channels;
        int n = cs.length;
        for (int k = 0; k < n; k++) {
            int i = next + k;
            if (i >= n) {
                i -= n;
            }
            BoundedChannel<T> channel = cs[i];
            T message = channel.poll();
            while (message != null) {
                next = i + 1 == n ? 0 : i + 1;
                if (tracing) {
                    traced(channel); // before accept: its exact timing gives the histograms exemplars
                }
                accept(channel, i, nowHint);
                if (!validator.isActive() || isValid(message)) {
                    return message;
                }
                message = channel.poll(); // invalid: counted and reported; try the next one
            }
        }
        if (pending > 0 && stamped < 0) {
            settle(ticker.read()); // about to wait, perhaps long: count and bound the untimed ones now
        }
        return null;
    }

    private void traced(BoundedChannel<T> channel) {
        lastContext = (TraceContext) channel.polledContext();
        lastEnqueuedAt = channel.isTimed() ? BoundedChannel.stampNanos(channel.polledEnqueuedAt()) : 0L;
    }

    private void accept(BoundedChannel<T> channel, int index, long nowHint) {
        handedOut++;
        if (!channel.isTimed()) {
            lastUntimed = false;
            lastReceivedAt = 0L;
            lastOrigin = OutputPort.NO_ORIGIN;
            return;
        }
        long stamp = channel.polledEnqueuedAt();
        long origin = channel.polledOriginAt();
        lastOrigin = origin;
        // The common case at high rates, kept small so that it compiles into the receive loop: a
        // message its sender did not time, on a connection with a timed one to stand for it, within
        // 0.5 ms of the last exact reading, outside drain(). Everything else is acceptTimed's.
        if (!BoundedChannel.isExact(stamp)
                && stamped < 0
                && index < repeats.length
                && sampleWait[index] >= 0
                && ticker.coarse() - lastExactAt < SETTLE_NANOS) {
            recordUntimed(index, BoundedChannel.stampNanos(stamp), origin);
            lastReceivedAt = 0L;
            lastUntimed = true;
            return;
        }
        acceptTimed(index, nowHint, stamp, origin);
    }

    private void acceptTimed(int index, long nowHint, long stamp, long origin) {
        lastUntimed = false;
        if (index >= sampleWait.length) {
            int old = sampleWait.length;
            sampleWait = Arrays.copyOf(sampleWait, index + 1);
            sampleAge = Arrays.copyOf(sampleAge, index + 1);
            repeats = Arrays.copyOf(repeats, index + 1);
            Arrays.fill(sampleWait, old, index + 1, -1L);
        }
        if (stamped >= 0) { // drain(): recorded once the whole batch is taken
            if (stamped == batchEnqueued.length) {
                recordStamped(); // more invalid messages than the batch holds: a read after them is as good
            }
            batchEnqueued[stamped] = stamp;
            batchOrigins[stamped] = origin;
            batchChannels[stamped++] = index;
            lastReceivedAt = 0L;
            return;
        }
        long enqueued = BoundedChannel.stampNanos(stamp);
        if (timesExactly(stamp, index)) {
            // The hint is a reading taken before this poll. It is the receive time only if the message
            // was enqueued by then; one sent after it would be received before it was sent (a negative
            // wait and age, counted as clock skew), so read the clock anew.
            long now = nowHint != 0L && enqueued - nowHint <= 0 ? nowHint : ticker.read();
            recordExact(index, now, enqueued, origin);
            TraceContext context = lastContext;
            if (context != null) { // a traced message (tracing on): the trace its wait and age point at
                long at = ticker.toEpochMillis(now);
                measurements.queueWait.exemplar(sampleWait[index], context, at);
                measurements.messageAge.exemplar(sampleAge[index], context, at);
            }
        } else {
            // Untimed, 0.5 ms after the last exact reading: a slow receiver. Settle at a reading taken
            // now, and let the runner time this one.
            recordUntimed(index, enqueued, origin);
            long now = ticker.read();
            settle(now);
            lastReceivedAt = now;
            lastUntimed = true;
        }
    }

    private void recordStamped() {
        if (stamped > 0) {
            long now = ticker.read();
            for (int i = 0; i < stamped; i++) {
                long stamp = batchEnqueued[i];
                int index = batchChannels[i];
                if (timesExactly(stamp, index)) {
                    recordExact(index, now, BoundedChannel.stampNanos(stamp), batchOrigins[i]);
                } else {
                    recordUntimed(index, BoundedChannel.stampNanos(stamp), batchOrigins[i]);
                }
            }
            settle(now);
            stamped = 0;
        }
    }

    /**
     * Whether a message is recorded from its own stamps: the sender timed it, or its connection has
     * no timed message yet to stand for it (its lower-bound stamp then gives an upper-bound wait).
     */
    private boolean timesExactly(long stamp, int channelIndex) {
        return BoundedChannel.isExact(stamp) || sampleWait[channelIndex] < 0;
    }

    /** A message received at the exact reading {@code now}. */
    private void recordExact(int index, long now, long enqueued, long origin) {
        settle(now);
        long wait = Math.max(0L, now - enqueued);
        measurements.queueWait.record(wait);
        long age = now - origin;
        if (age < 0) {
            measurements.clockSkew(); // an event time ahead of this clock
            age = 0;
        }
        measurements.messageAge.record(age);
        sampleWait[index] = wait;
        sampleAge[index] = age;
        lastReceivedAt = now;
    }

    /**
     * A message the sender did not time: it will count as its connection's last timed message
     * (quantiles are estimated) and its stamps (a lower bound of its enqueue time, its origin) bound
     * its wait and age from above, both at the next exact reading ({@link #settle}).
     */
    private void recordUntimed(int index, long enqueuedAtLeast, long origin) {
        repeats[index]++;
        if (pending == 0) {
            pendingEnqueued = enqueuedAtLeast;
            pendingOrigin = origin;
        } else {
            if (enqueuedAtLeast - pendingEnqueued < 0) {
                pendingEnqueued = enqueuedAtLeast;
            }
            if (origin - pendingOrigin < 0) {
                pendingOrigin = origin;
            }
        }
        pending++;
    }

    /**
     * The receiving thread read the clock exactly at {@code now}, after every message it has taken:
     * the untimed ones taken since the last exact reading are counted, each as its connection's last
     * timed message, and they waited and aged at most until now, so max wait and max age are raised
     * to those bounds (never below the real maximum).
     */
    private void settle(long now) {
        if (pending > 0) {
            countUntimed();
            measurements.queueWait.raiseMax(now - pendingEnqueued);
            long age = now - pendingOrigin;
            if (age > 0) {
                measurements.messageAge.raiseMax(age);
            }
            pending = 0;
        }
        if (now - lastExactAt > 0 || lastExactAt == Long.MIN_VALUE) {
            lastExactAt = now;
            measurements.touch(now);
        }
    }

    /**
     * Counts the untimed messages taken so far, each as its connection's last timed message (count
     * and sum); their bound on max waits for the next exact reading. Called at every exact reading,
     * and after every receive through the public API ({@link #receive()}, {@link #poll()}, an
     * {@link Inbox}'s), so a port used directly counts every message at once; a pipeline's runner
     * receives through the runtime's calls and leaves the counting to the next exact reading.
     */
    void countUntimed() {
        if (pending == 0) {
            return;
        }
        int[] counts = repeats;
        for (int i = 0; i < counts.length; i++) {
            int n = counts[i];
            if (n > 0) {
                measurements.queueWait.recordRepeats(sampleWait[i], n);
                measurements.messageAge.recordRepeats(sampleAge[i], n);
                counts[i] = 0;
            }
        }
    }

    private boolean isValid(T message) {
        List<SchemaViolation> violations = validator.validate(message);
        if (violations.isEmpty()) {
            return true;
        }
        measurements.drop(DropReason.INVALID);
        if (measurements.finishesInAnyOrder()) {
            measurements.finished(handedOut - 1); // refused: finished at once, in its place in the order
        }
        measurements.error(InvalidMessageException.class.getSimpleName());
        InvalidMessageException error = new InvalidMessageException(violations);
        errorReporter.report(ErrorEnvelope.of(measurements.pipeline(), measurements.component(), name, error, message)
                .at(Instant.ofEpochSecond(0, ticker.wallNanos())));
        return false;
    }

    @Override
    public String toString() {
        return "InputPort[" + measurements.component() + "." + name + "]";
    }
}
