package dev.portflow.port;

import dev.portflow.EventTimed;
import dev.portflow.channel.BoundedChannel;
import dev.portflow.internal.PortMeasurements;
import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.PortCounters;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.time.Ticker;
import dev.portflow.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sending end of one or more connections. A message sent here is offered to every connection
 * (broadcast); each applies its own overflow policy, and {@link #send} returns what happened.
 *
 * <p>Thread-safe: any number of threads may send concurrently (an HTTP ingress does).
 *
 * @param <T> the message type
 */
public final class OutputPort<T> {

    /** Pass to {@link #send(Object, long)} when the message has no inherited origin: it is aged from now. */
    public static final long NO_ORIGIN = Long.MIN_VALUE;

    private final String name;
    private final Class<T> type;
    private final PortMeasurements measurements;
    /*
     * Copy-on-write: written under this port's lock (attach, attachRemote), each array fully built
     * before the volatile store that publishes it, so a sender reading it without the lock sees
     * every element.
     */
    @SuppressWarnings("unchecked") // a generic array: only Connection<T>s are ever stored in it
    private volatile Connection<T>[] connections = (Connection<T>[]) new Connection<?>[0];

    private volatile boolean timed;
    /*
     * Set under this port's lock, which attach also holds from its check of closed to its store of
     * connections: close() then reads the connections under the lock too, so every connection is
     * either refused by attach or closed by close(). Senders read it without the lock (a send that
     * misses it finds the channel closed).
     */
    private volatile boolean closed;
    private volatile BackpressureListener backpressureListener = BackpressureListener.NONE;
    private Ticker ticker = Ticker.system(); // set before the port carries messages

    /**
     * @param name {@code out_*} or {@code err_*}
     * @param type the message type; sends of other types are refused
     */
    public OutputPort(String name, Class<T> type) {
        this.name = PortName.requireOutput(name);
        this.type = Objects.requireNonNull(type, "type");
        this.measurements = new PortMeasurements(name, PortCounters.Direction.OUTPUT);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public boolean isConnected() {
        return connections.length > 0;
    }

    public List<Connection<T>> connections() {
        return List.of(connections);
    }

    /**
     * When this port is bound to a buffer outside the process that refuses messages now (a disk edge
     * on a full or read-only disk): {@code "<target> refuses messages: <why>"}; else {@code null}. The
     * ingress answers its 503 with it, and pipeline health reports it.
     */
    public @Nullable String refusal() {
        Connection<T>[] current = connections;
        RemoteLink<T> link = current.length == 1 ? current[0].remote() : null; // a bound port has one connection
        if (link == null) {
            return null;
        }
        String why = link.unavailableReason();
        return why == null ? null : link.target() + " refuses messages: " + why;
    }

    /**
     * Sends {@code message}, aged from its {@link EventTimed#eventTime() event time} if it has one,
     * else from now.
     *
     * @return the outcome; only {@link SendOutcome#isAccepted()} means the message is in the pipeline
     * @throws PortOverflowException if a {@link OverflowPolicy#FAIL} connection is full
     * @throws IllegalStateException if the port is not connected
     * @throws InterruptedException  if interrupted while waiting for room
     */
    public SendOutcome send(T message) throws InterruptedException {
        return send(message, NO_ORIGIN);
    }

    /**
     * Sends {@code message} whose age counts from {@code originNanoTime} (on the port's
     * {@link #ticker(Ticker) ticker} scale, {@code System.nanoTime()} by default) unless it carries its
     * own event time. Runtimes use this to carry the ingest time of an input message over to the
     * messages derived from it.
     */
    public SendOutcome send(T message, long originNanoTime) throws InterruptedException {
        return send(message, originNanoTime, Long.MAX_VALUE, NO_ORIGIN, false, null);
    }

    /**
     * As {@link #send(Object, long)}, for a message that carries a trace context: the context travels
     * beside it to the stage that takes it (see {@link dev.portflow.trace}), and the message is timed
     * exactly whatever the port's sampling. A null context is a plain send. Runtimes and transports use
     * this; a component's emitter does it for the component.
     */
    public SendOutcome send(T message, long originNanoTime, @Nullable TraceContext context)
            throws InterruptedException {
        return send(message, originNanoTime, Long.MAX_VALUE, NO_ORIGIN, false, context);
    }

    /**
     * Sends {@code message} as {@link #send(Object, long)} does, but counts its queue wait from
     * {@code enqueuedNanoTime} (on the port's ticker scale) instead of from now: for a
     * transport that delivers a message which already waited in a buffer outside the process (a
     * Kafka receiver passes the time the record was produced), so the receiving port's queue wait
     * covers that wait too.
     */
    public SendOutcome send(T message, long originNanoTime, long enqueuedNanoTime) throws InterruptedException {
        return send(message, originNanoTime, Long.MAX_VALUE, enqueuedNanoTime, false, null);
    }

    /**
     * As {@link #send(Object, long, long)}, for a message that arrives with a trace context from
     * outside the process (a Kafka receiver reads it from the record's {@code traceparent} header, a
     * disk receiver from the record): the receiving stage's wait span then covers the time outside
     * the process too, from {@code enqueuedNanoTime}. A null context is a plain send.
     */
    public SendOutcome send(T message, long originNanoTime, long enqueuedNanoTime, @Nullable TraceContext context)
            throws InterruptedException {
        return send(message, originNanoTime, Long.MAX_VALUE, enqueuedNanoTime, false, context);
    }

    /**
     * Sends {@code message} but waits at most {@code maxWait} for room, whatever the policy: a
     * {@code BLOCK} connection then gives up like {@code BLOCK_WITH_TIMEOUT} ({@link SendOutcome#TIMED_OUT},
     * reason {@code timeout}), and a {@code BLOCK_WITH_TIMEOUT} connection waits for the shorter of
     * its own timeout and {@code maxWait}. An HTTP ingress uses this so no request waits longer than
     * its {@code timeout_ms}.
     */
    public SendOutcome send(T message, Duration maxWait) throws InterruptedException {
        return send(message, NO_ORIGIN, Math.max(0, Deadlines.nanos(maxWait)), NO_ORIGIN, false, null);
    }

    /**
     * As {@link #send(Object, Duration)}, and when the port is bound to a pipelined link
     * ({@link RemoteLink#acknowledgements()}), {@link SendOutcome#ACCEPTED} only once the remote
     * buffer has acknowledged this message, waiting for that within the same {@code maxWait}. If
     * the acknowledgement does not come in time the outcome is {@link SendOutcome#TIMED_OUT}
     * although the message was handed over and may still be stored (not counted as a drop). An HTTP
     * ingress sends with this, so its 202 means stored whatever the link.
     */
    public SendOutcome sendAcknowledged(T message, Duration maxWait) throws InterruptedException {
        return send(message, NO_ORIGIN, Math.max(0, Deadlines.nanos(maxWait)), NO_ORIGIN, true, null);
    }

    /**
     * As {@link #sendAcknowledged(Object, Duration)}, for a traced message: {@code context} is its
     * entry span's (an HTTP ingress in a traced pipeline), and {@code handOffNanoTime} the reading at
     * which that span ends. The message's queue wait, and so the receiving stage's wait span, start
     * at that reading (a wait for room in a full buffer is part of it); spans then tile the
     * message's life ({@link dev.portflow.trace.MessageTracer}).
     */
    public SendOutcome sendAcknowledged(T message, Duration maxWait, long handOffNanoTime, TraceContext context)
            throws InterruptedException {
        return send(message, NO_ORIGIN, Math.max(0, Deadlines.nanos(maxWait)), handOffNanoTime, true, context);
    }

    /**
     * @param enqueuedAt   when the message's queue wait starts, or {@code NO_ORIGIN} for when it enters the buffer
     * @param acknowledged whether a pipelined link's acknowledgement is awaited (see {@link #sendAcknowledged})
     */
    private SendOutcome send(
            T message,
            long originNanoTime,
            long maxWaitNanos,
            long enqueuedAt,
            boolean acknowledged,
            @Nullable TraceContext context)
            throws InterruptedException {
        if (message == null) { // not requireNonNull with a lambda: that may allocate per call
            throw new NullPointerException("cannot send null to port '" + name + "'");
        }
        if (!type.isInstance(message)) {
            throw new IllegalArgumentException(
                    "port '" + name + "' of component '" + measurements.component() + "' carries " + type.getName()
                            + ", not " + message.getClass().getName());
        }
        Connection<T>[] cs = connections;
        if (cs.length == 0) {
            throw new IllegalStateException(
                    "output port '" + name + "' of component '" + measurements.component() + "' is not connected");
        }
        if (closed) {
            measurements.drop(DropReason.CLOSED);
            return SendOutcome.CLOSED;
        }
        boolean clock = timed;
        if (clock && cs.length == 1 && enqueuedAt == NO_ORIGIN && context == null) {
            BoundedChannel<T> channel = cs[0].channel();
            if (channel != null) {
                // The fast path: no clock read unless the channel times this message exactly (its
                // sampling rule, docs/metrics-fast-path.md); a full buffer takes the path below.
                long coarse = ticker.coarse();
                int result = channel.offerSampled(
                        message,
                        originOf(message, originNanoTime, coarse, false, BoundedChannel.FRESH),
                        coarse,
                        ticker);
                if (result == BoundedChannel.OFFERED) {
                    measurements.touch(coarse);
                    return SendOutcome.ACCEPTED;
                }
                if (result == BoundedChannel.CLOSED) {
                    measurements.drop(DropReason.CLOSED);
                    return SendOutcome.CLOSED;
                }
            }
        }
        long now = clock ? ticker.read() : 0L;
        long origin = clock ? originOf(message, originNanoTime, now, true, now) : 0L;
        long waitLimit =
                maxWaitNanos == Deadlines.NONE ? Deadlines.NONE : Deadlines.after(realNow(clock, now), maxWaitNanos);
        if (cs.length == 1) {
            SendOutcome outcome =
                    sendTo(cs[0], message, now, origin, Long.MIN_VALUE, waitLimit, enqueuedAt, acknowledged, context);
            if (outcome == null) {
                throw overflow(cs[0]);
            }
            return outcome;
        }
        SendOutcome worst = SendOutcome.ACCEPTED;
        Connection<T> failed = null;
        long sharedDeadline = Long.MIN_VALUE; // one deadline for all BLOCK_WITH_TIMEOUT connections
        for (Connection<T> c : cs) {
            if (c.options().overflow() == OverflowPolicy.BLOCK_WITH_TIMEOUT && sharedDeadline == Long.MIN_VALUE) {
                sharedDeadline = Deadlines.after(
                        realNow(clock, now), Deadlines.nanos(c.options().timeout()));
            }
            SendOutcome outcome =
                    sendTo(c, message, now, origin, sharedDeadline, waitLimit, enqueuedAt, acknowledged, context);
            if (outcome == null) {
                failed = c;
            } else {
                worst = worst.worst(outcome);
            }
        }
        if (failed != null) {
            throw overflow(failed);
        }
        return worst;
    }

    /**
     * The origin to stamp: the event time, else the inherited origin, else {@code fresh}. {@code now}
     * is an exact reading, or a coarse one ({@code exact} false): enough for the system ticker, which
     * uses it only to decide when to re-calibrate; another ticker maps an event time through "wall
     * time minus reading", which needs the exact reading.
     */
    private long originOf(Object message, long inherited, long now, boolean exact, long fresh) {
        if (message instanceof EventTimed timed) {
            Instant eventTime = timed.eventTime();
            if (eventTime != null) {
                return ticker.toNanoTime(eventTime, exact || ticker == Ticker.system() ? now : ticker.read());
            }
        }
        return inherited == NO_ORIGIN ? fresh : inherited;
    }

    /**
     * One connection; {@code null} means a FAIL connection was full (the caller throws).
     *
     * @param deadline  the shared BLOCK_WITH_TIMEOUT deadline of a fanned-out send, or MIN_VALUE
     * @param waitLimit the caller's own limit on waiting, or MAX_VALUE
     */
    private @Nullable SendOutcome sendTo(
            Connection<T> c,
            T message,
            long now,
            long origin,
            long deadline,
            long waitLimit,
            long enqueuedAt,
            boolean acknowledged,
            @Nullable TraceContext context)
            throws InterruptedException {
        BoundedChannel<T> channel = c.channel();
        if (channel == null) {
            return sendRemote(c, message, now, origin, deadline, waitLimit, acknowledged, context);
        }
        int result = channel.offer(message, enqueuedAt == NO_ORIGIN ? now : enqueuedAt, origin, context);
        if (result == BoundedChannel.OFFERED) {
            if (timed) {
                measurements.touch(now);
            }
            return SendOutcome.ACCEPTED;
        }
        if (result == BoundedChannel.CLOSED) {
            measurements.drop(DropReason.CLOSED);
            return SendOutcome.CLOSED;
        }
        return switch (c.options().overflow()) {
            case DROP_NEWEST -> {
                measurements.drop(DropReason.DROP_NEWEST);
                yield SendOutcome.DROPPED;
            }
            case FAIL -> {
                measurements.drop(DropReason.FAIL);
                yield null;
            }
            case DROP_OLDEST ->
                evictAndOffer(channel, message, enqueuedAt == NO_ORIGIN ? now : enqueuedAt, origin, context);
            case BLOCK -> waitAndOffer(channel, message, origin, waitLimit, enqueuedAt, context);
            case BLOCK_WITH_TIMEOUT ->
                waitAndOffer(
                        channel,
                        message,
                        origin,
                        Math.min(
                                waitLimit,
                                deadline != Long.MIN_VALUE
                                        ? deadline
                                        : Deadlines.after(
                                                realNow(timed, now),
                                                Deadlines.nanos(c.options().timeout()))),
                        enqueuedAt,
                        context);
        };
    }

    private SendOutcome evictAndOffer(
            BoundedChannel<T> channel, T message, long now, long origin, @Nullable TraceContext context) {
        // Evicting and accepting are one step with respect to close(): a send told CLOSED evicted nothing.
        int evictions = channel.offerEvicting(message, now, origin, context);
        if (evictions < 0) {
            measurements.drop(DropReason.CLOSED);
            return SendOutcome.CLOSED;
        }
        for (int k = 0; k < evictions; k++) {
            measurements.drop(DropReason.DROP_OLDEST);
        }
        if (timed) {
            measurements.touch(now);
        }
        // Only a send that really evicted a message says so; if the receiver made the room first,
        // nothing was dropped on this send's account.
        return evictions > 0 ? SendOutcome.ACCEPTED_AFTER_EVICTING : SendOutcome.ACCEPTED;
    }

    private SendOutcome waitAndOffer(
            BoundedChannel<T> channel,
            T message,
            long origin,
            long deadline,
            long enqueuedAtOrNone,
            @Nullable TraceContext context)
            throws InterruptedException {
        long start = ticker.read();
        BackpressureListener listener = backpressureListener;
        listener.waitStarted(start);
        try {
            while (true) {
                if (!channel.awaitRoom(deadline)) {
                    measurements.drop(DropReason.TIMEOUT);
                    return SendOutcome.TIMED_OUT;
                }
                long now = ticker.read(); // queue wait starts when the message is in the queue
                int result =
                        channel.offer(message, enqueuedAtOrNone == NO_ORIGIN ? now : enqueuedAtOrNone, origin, context);
                if (result == BoundedChannel.OFFERED) {
                    measurements.touch(now);
                    return SendOutcome.ACCEPTED;
                }
                if (result == BoundedChannel.CLOSED) {
                    measurements.drop(DropReason.CLOSED);
                    return SendOutcome.CLOSED;
                }
            }
        } finally {
            long end = ticker.read();
            measurements.blocked.record(end - start);
            listener.waitEnded(start, end);
        }
    }

    /** {@link #sendTo} for a connection leaving the process: the same policies around its remote buffer. */
    private @Nullable SendOutcome sendRemote(
            Connection<T> c,
            T message,
            long now,
            long origin,
            long deadline,
            long waitLimit,
            boolean acknowledged,
            @Nullable TraceContext context)
            throws InterruptedException {
        RemoteLink<T> link = Objects.requireNonNull(c.remote()); // sendTo found no channel: the connection leads out
        long originNanos;
        if (timed) {
            originNanos = origin;
        } else {
            long read = ticker.read();
            originNanos = originOf(message, NO_ORIGIN, read, true, read);
        }
        // A pipelined link's hand-off is numbered before the offer, so the completion watermark,
        // reading the hand-offs once this component is done, waits for it; a send that hands
        // nothing over settles its number at once (finally), leaving nothing to wait for.
        AcknowledgedSequence acks = link.acknowledgements();
        long handOff = acks == null ? RemoteLink.NOT_PIPELINED : acks.handOff();
        boolean handedOver = false;
        try {
            RemoteLink.Offer offer = link.offer(message, originNanos, handOff, context);
            if (offer == RemoteLink.Offer.FULL) {
                switch (c.options().overflow()) {
                    case DROP_NEWEST,
                            DROP_OLDEST -> { // DROP_OLDEST cannot evict from a remote buffer: refused at attach
                        measurements.drop(DropReason.DROP_NEWEST);
                        return SendOutcome.DROPPED;
                    }
                    case FAIL -> {
                        measurements.drop(DropReason.FAIL);
                        return null;
                    }
                    case BLOCK, BLOCK_WITH_TIMEOUT -> {
                        long limit = c.options().overflow() == OverflowPolicy.BLOCK
                                ? waitLimit
                                : Math.min(
                                        waitLimit,
                                        deadline != Long.MIN_VALUE
                                                ? deadline
                                                : Deadlines.after(
                                                        realNow(timed, now),
                                                        Deadlines.nanos(
                                                                c.options().timeout())));
                        offer = waitRemote(link, message, originNanos, handOff, limit, context);
                        if (offer == null) {
                            return SendOutcome.TIMED_OUT;
                        }
                    }
                }
            }
            if (offer == RemoteLink.Offer.CLOSED) {
                measurements.drop(DropReason.CLOSED);
                return SendOutcome.CLOSED;
            }
            handedOver = true;
            measurements.sentRemotely();
            measurements.touch(ticker.read());
            if (acknowledged && acks != null && !acks.awaitAcknowledged(handOff, waitLimit)) {
                return SendOutcome.TIMED_OUT; // handed over and not yet acknowledged: it may still be stored
            }
            return SendOutcome.ACCEPTED;
        } finally {
            if (acks != null && !handedOver) {
                acks.acknowledge(handOff);
            }
        }
    }

    /** Waits for room in a remote buffer; {@code null} (counted as a timeout) if {@code deadline} passed first. */
    private RemoteLink.@Nullable Offer waitRemote(
            RemoteLink<T> link,
            T message,
            long originNanos,
            long handOff,
            long deadline,
            @Nullable TraceContext context)
            throws InterruptedException {
        long start = ticker.read();
        BackpressureListener listener = backpressureListener;
        listener.waitStarted(start);
        try {
            while (true) {
                if (!link.awaitRoom(deadline)) {
                    measurements.drop(DropReason.TIMEOUT);
                    return null;
                }
                RemoteLink.Offer offer = link.offer(message, originNanos, handOff, context);
                if (offer != RemoteLink.Offer.FULL) {
                    return offer;
                }
            }
        } finally {
            long end = ticker.read();
            measurements.blocked.record(end - start);
            listener.waitEnded(start, end);
        }
    }

    /**
     * {@code System.nanoTime()} for a deadline: how long a send waits is real time whatever the
     * ticker, so the measurement clock read is reused only when it is the system clock.
     */
    private long realNow(boolean clockRead, long now) {
        return clockRead && ticker == Ticker.system() ? now : System.nanoTime();
    }

    private PortOverflowException overflow(Connection<T> c) {
        return new PortOverflowException(
                "buffer of " + c + " is full (" + c.capacity() + " messages) and its overflow policy is FAIL");
    }

    /**
     * Closes every connection of this port: receivers see end of stream once they have taken what
     * is buffered. Later sends return {@link SendOutcome#CLOSED}. Idempotent.
     */
    public void close() {
        Connection<T>[] cs;
        synchronized (this) { // not between an attach's check of closed and its store of connections
            closed = true;
            cs = connections;
        }
        for (Connection<T> c : cs) { // outside the lock: a remote link's close may block
            RemoteLink<T> link = c.remote();
            if (link != null) {
                link.close();
            } else {
                Objects.requireNonNull(c.channel()).close(); // no remote link: an in-process buffer
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** A snapshot of this port's metrics. */
    public PortMetrics metrics() {
        return measurements.metrics();
    }

    /**
     * Counts a failure that belongs to this port though no send failed: a source that could not make
     * a message of what it read (e.g. a Kafka record that does not decode) counts it here, under
     * {@code errorType} ({@code portflow.port.errors{error_type}}).
     */
    public void countError(String errorType) {
        measurements.error(Objects.requireNonNull(errorType, "errorType"));
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

    /**
     * A reading of this port's ticker to hand a traced message off at: what its entry span ends at
     * and what it is sent with ({@link #sendAcknowledged(Object, Duration, long, TraceContext)}), at
     * the precision an exact enqueue stamp keeps (its lowest bit is the stamp's flag), so the
     * receiving stage's wait span starts exactly where the entry ends.
     */
    public long handOffReading() {
        return BoundedChannel.stampNanos(ticker.read());
    }

    /** Told when a send starts and stops waiting for room (runtimes account backpressure with it). */
    public void onBackpressure(BackpressureListener listener) {
        this.backpressureListener = Objects.requireNonNull(listener);
    }

    /**
     * Connects this port to a buffer outside the process (e.g. a Kafka topic) under {@code options}'
     * overflow policy, which the port applies around {@link RemoteLink#offer}: {@code BLOCK} waits
     * for room, {@code BLOCK_WITH_TIMEOUT} up to its timeout, {@code DROP_NEWEST} and {@code FAIL}
     * refuse. {@code DROP_OLDEST} is refused: a remote buffer's oldest message cannot be taken back.
     * The port's meters then carry the link's transport tag; attach before they are registered.
     */
    public synchronized Connection<T> attachRemote(RemoteLink<T> link, ConnectionOptions options) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(options, "options");
        if (options.overflow() == OverflowPolicy.DROP_OLDEST) {
            throw new IllegalArgumentException(
                    "overflow DROP_OLDEST cannot apply to " + link.target()
                            + ": a remote buffer's oldest message cannot be evicted; use DROP_NEWEST, BLOCK or BLOCK_WITH_TIMEOUT");
        }
        if (closed) {
            throw new IllegalStateException("output port '" + name + "' is closed and cannot be connected");
        }
        if (connections.length > 0) {
            throw new IllegalStateException("output port '" + name + "' is already connected; a port bound to "
                    + link.target() + " carries that connection only");
        }
        Connection<T> connection = new Connection<>(this, link, options);
        measurements.bindRemote(link);
        timed = timed || options.timed();
        @SuppressWarnings("unchecked")
        Connection<T>[] next = (Connection<T>[]) new Connection<?>[] {connection};
        connections = next; // publish the array after its element: senders read it without the lock
        return connection;
    }

    synchronized void attach(Connection<T> connection) {
        if (connections.length == 1 && connections[0].remote() != null) {
            throw new IllegalStateException("output port '" + name + "' is bound to "
                    + connections[0].remote().target() + " and carries that connection only");
        }
        if (closed) {
            throw new IllegalStateException("output port '" + name + "' is closed and cannot be connected");
        }
        for (Connection<T> c : connections) {
            if (c.to() == connection.to()) {
                throw new IllegalStateException("output port '" + name + "' is already connected to input port '"
                        + Objects.requireNonNull(connection.to()).name() + "'");
            }
        }
        Connection<T>[] next = Arrays.copyOf(connections, connections.length + 1);
        next[next.length - 1] = connection;
        // attach takes in-process connections only (Ports.connect); attachRemote the others
        measurements.addChannel(Objects.requireNonNull(connection.channel()));
        timed = timed || connection.options().timed();
        connections = next;
    }

    @Override
    public String toString() {
        return "OutputPort[" + measurements.component() + "." + name + "]";
    }
}
