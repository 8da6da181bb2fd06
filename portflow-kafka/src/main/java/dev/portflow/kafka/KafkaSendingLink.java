package dev.portflow.kafka;

import dev.portflow.port.AcknowledgedSequence;
import dev.portflow.port.RemoteLink;
import dev.portflow.time.NanoWallClock;
import dev.portflow.trace.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The sending end of a Kafka edge, bound to the sender's output port
 * ({@link dev.portflow.port.OutputPort#attachRemote}). The link is pipelined: {@link #offer} hands
 * the record to the producer, which batches it with others, and returns at once; the broker's
 * acknowledgement ({@code acks=all}, idempotent producer) is reported to
 * {@link #acknowledgements()} by hand-off number. The completion watermark therefore counts the
 * sending component's message as finished only once every record it led to is acknowledged, and the
 * HTTP ingress waits for its own record's acknowledgement before it answers 202.
 *
 * <p>The edge is full while the receiving group's lag ({@link ConsumerLag}, plus what this process
 * produced since it was read) is at its capacity; the port's overflow policy then applies as for
 * any buffer. Room is reserved before the record is sent (a compare-and-set on the count of records
 * produced), so concurrent senders never take more room than there is.
 *
 * <p>A record the producer fails to deliver after it was handed over (its {@code delivery.timeout.ms}
 * passed, e.g. while the broker is down) is sent again, with backoff, until it is acknowledged or
 * the link closes: its hand-off number stays unacknowledged meanwhile, so nothing upstream of it is
 * committed (at-least-once). A re-sent record lands after records sent later (per-key order holds
 * across the producer's own retries, not across these). A record refused before it was handed over
 * (e.g. larger than {@code max.request.size}) fails the send instead, except for want of topic
 * metadata within {@code max.block.ms} (1 s by default here; the broker is out of reach), which is
 * reported as no room.
 *
 * <p>While records are in flight and none has been acknowledged for {@link #STALL_NANOS}, or a send
 * failed and waits to be sent again, the link reports itself unavailable: senders see it as full (their
 * overflow policy applies), the ingress answers 503 naming the reason, and health is degraded.
 *
 * <p>A traced message's record carries its W3C {@code traceparent} in the header of that name, and its
 * produce time to the nanosecond ({@value #PRODUCED_AT_NANOS}); an untraced one's carries neither
 * (docs/kafka-transport.md, "Trace context").
 */
final class KafkaSendingLink<T> implements RemoteLink<T> {

    private static final System.Logger LOG = System.getLogger("dev.portflow.kafka");
    private static final long AWAIT_STEP_NANOS = 5_000_000L; // a blocked sender looks again every 5 ms
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long FIRST_RESEND_DELAY_MILLIS = 100;
    private static final long MAX_RESEND_DELAY_MILLIS = 5_000;
    /** Records in flight and no acknowledgement for this long (by default): the broker is taken as unreachable. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(3);
    /**
     * After the producer could not take a record (no metadata within {@code max.block.ms}), the edge
     * reports itself unavailable this long before a send tries again, so senders do not each block
     * for {@code max.block.ms} in turn.
     */
    static final long UNREACHABLE_HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Header with the epoch milliseconds at which the record was produced: the receiver's queue wait starts there. */
    static final String PRODUCED_AT = "portflow-produced-at";
    /**
     * Header of a traced message's record with the same instant in epoch nanoseconds (as precise as the
     * wall clock): the receiver starts the wait span there, so the spans on either side of the hop meet
     * where the sending stage handed the record over, not up to a millisecond before it.
     */
    static final String PRODUCED_AT_NANOS = "portflow-produced-at-nanos";

    private final KafkaEdge edge;
    private final MessageCodec<T> codec;
    private final Producer<byte[], byte[]> producer;
    private final AtomicLong produced; // records given room (reserved), written or being written
    private final AtomicLong written; // of those, the ones the broker acknowledged (ConsumerLag counts from these)
    private final ConsumerLag lag;
    private final AcknowledgedSequence acknowledgements = new AcknowledgedSequence();
    private final ScheduledExecutorService resender;
    private final long stallNanos;
    private final AtomicInteger waitingToResend = new AtomicInteger();
    private final AtomicLong resends = new AtomicLong();
    private volatile long lastAcknowledgedNanos = System.nanoTime();
    private volatile @Nullable String lastFailure;
    private volatile long unreachableSince = System.nanoTime() - Long.MAX_VALUE / 2; // long ago: reachable
    private volatile long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;
    private volatile boolean closed;

    KafkaSendingLink(
            KafkaEdge edge,
            MessageCodec<T> codec,
            Producer<byte[], byte[]> producer,
            AtomicLong produced,
            AtomicLong written,
            ConsumerLag lag,
            ScheduledExecutorService resender,
            long stallNanos) {
        this.edge = edge;
        this.codec = codec;
        this.producer = producer;
        this.produced = produced;
        this.written = written;
        this.lag = lag;
        this.resender = resender;
        this.stallNanos = stallNanos;
    }

    KafkaEdge edge() {
        return edge;
    }

    @Override
    public AcknowledgedSequence acknowledgements() {
        return acknowledgements;
    }

    /** Records sent again after the producer gave up on them, since the link was made. */
    long resends() {
        return resends.get();
    }

    @Override
    public Offer offer(T message, long originNanoTime, long handOff) throws InterruptedException {
        return offer(message, originNanoTime, handOff, null);
    }

    /** Sends as {@link #offer(Object, long, long)}; a traced message's record carries its {@code traceparent} header. */
    @Override
    public Offer offer(T message, long originNanoTime, long handOff, @Nullable TraceContext context)
            throws InterruptedException {
        if (closed) {
            return Offer.CLOSED;
        }
        if (unavailableReason() != null || !reserve()) {
            return Offer.FULL;
        }
        ProducerRecord<byte[], byte[]> record;
        try {
            RecordHeaders headers = new RecordHeaders();
            byte[] value = codec.encode(message, headers);
            if (context == null) {
                headers.add(
                        PRODUCED_AT, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
            } else { // only a traced message: an untraced one carries no trace header at all
                Instant now = Instant.now();
                headers.add(PRODUCED_AT, Long.toString(now.toEpochMilli()).getBytes(StandardCharsets.US_ASCII));
                // its wait span starts here: to the millisecond it could start before the span that sent it
                headers.remove(PRODUCED_AT_NANOS);
                headers.add(
                        PRODUCED_AT_NANOS,
                        Long.toString(NanoWallClock.epochNanos(now)).getBytes(StandardCharsets.US_ASCII));
                headers.remove(Traceparent.HEADER); // the link's, not one a codec may have added
                headers.add(Traceparent.HEADER, context.traceparent().getBytes(StandardCharsets.US_ASCII));
            }
            // the record's timestamp is when the message's age started, so the receiver's age continues it
            record = new ProducerRecord<>(
                    edge.topic(),
                    null,
                    NanoWallClock.toEpochMillis(originNanoTime),
                    codec.key(message),
                    value,
                    headers);
        } catch (RuntimeException e) {
            produced.decrementAndGet();
            throw e;
        }
        Delivery delivery = new Delivery(record, handOff);
        try {
            Future<?> unused = producer.send(record, delivery); // completion comes to the callback
        } catch (InterruptException e) { // Kafka's: thrown with the interrupt flag set again
            produced.decrementAndGet();
            Thread.interrupted();
            InterruptedException interrupted = new InterruptedException("interrupted while handing a record to Kafka");
            interrupted.initCause(e);
            throw interrupted;
        } catch (RuntimeException e) {
            produced.decrementAndGet();
            throw failure(e);
        }
        Exception refused = delivery.handedOver();
        if (refused != null) { // the producer refused it in send(): not handed over, the port settles the number
            produced.decrementAndGet();
            if (refused instanceof TimeoutException) {
                // no topic metadata (or no buffer) within max.block.ms: the broker is out of reach, which
                // is the edge being unable to take messages (the overflow policy applies), not a failed send
                unreachableSince = System.nanoTime();
                lastFailure = refused.toString();
                warn("Kafka did not take a record for " + edge.target() + " within max.block.ms: " + refused);
                return Offer.FULL;
            }
            throw failure(refused);
        }
        return Offer.ACCEPTED;
    }

    private KafkaTransportException failure(Exception e) {
        return new KafkaTransportException("could not write to " + edge.describe() + ": " + e, e);
    }

    /**
     * One record's delivery: acknowledges its hand-off when the broker has it, and sends it again
     * when the producer gives up after it was handed over. A failure reported before
     * {@link #handedOver()} (inside {@code send}, or racing it) belongs to the offer, which throws.
     */
    private final class Delivery implements Callback {
        private static final int SENDING = 0;
        private static final int HANDED_OVER = 1;
        private static final int REFUSED = 2;

        private final ProducerRecord<byte[], byte[]> record;
        private final long handOff;
        private final AtomicInteger state = new AtomicInteger(SENDING);
        private volatile @Nullable Exception refusal;
        private long nextDelayMillis = FIRST_RESEND_DELAY_MILLIS; // touched by one resend at a time

        Delivery(ProducerRecord<byte[], byte[]> record, long handOff) {
            this.record = record;
            this.handOff = handOff;
        }

        /** Marks the record handed over; the refusal if the producer already failed it. */
        @Nullable
        Exception handedOver() {
            return state.compareAndSet(SENDING, HANDED_OVER) ? null : refusal;
        }

        @Override
        public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
            if (exception == null) {
                written.incrementAndGet();
                lastAcknowledgedNanos = System.nanoTime();
                lastFailure = null;
                if (handOff != NOT_PIPELINED) {
                    acknowledgements.acknowledge(handOff);
                }
                return;
            }
            if (state.get() == SENDING) {
                refusal = exception; // written before the state, which the offer reads after its own CAS fails
                if (state.compareAndSet(SENDING, REFUSED)) {
                    return;
                }
            }
            lastFailure = exception.toString();
            warn("resending a record to " + edge.target() + " that Kafka did not acknowledge: " + exception);
            waitingToResend.incrementAndGet();
            long delay = nextDelayMillis;
            nextDelayMillis = Math.min(MAX_RESEND_DELAY_MILLIS, delay * 2);
            try {
                Future<?> unused = resender.schedule(this::resend, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                waitingToResend.decrementAndGet(); // the transport closed: the record stays unacknowledged
            }
        }

        private void resend() {
            waitingToResend.decrementAndGet();
            if (closed) {
                return; // not acknowledged: the upstream message is not committed and comes again
            }
            resends.incrementAndGet();
            try {
                Future<?> unused = producer.send(record, this);
            } catch (RuntimeException e) {
                onCompletion(null, e); // state is HANDED_OVER: scheduled again
            }
        }
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (now - lastWarning >= WARN_EVERY_NANOS) {
            lastWarning = now;
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    /** Takes one message of room if the lag leaves some. */
    private boolean reserve() {
        long capacity = edge.capacity();
        while (true) {
            long current = produced.get();
            if (lag.depthIfProduced(current + 1) > capacity) {
                return false;
            }
            if (produced.compareAndSet(current, current + 1)) {
                if (current == written.get()) {
                    lastAcknowledgedNanos = System.nanoTime(); // nothing was in flight: the stall clock starts now
                }
                return true;
            }
        }
    }

    @Override
    public boolean awaitRoom(long deadlineNanoTime) throws InterruptedException {
        while ((lag.depth() >= edge.capacity() || unavailableReason() != null) && !closed) {
            long left = deadlineNanoTime - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(left, AWAIT_STEP_NANOS) / 1_000_000L));
        }
        return true;
    }

    /**
     * Why the edge takes no records now: the producer could not take one within {@code max.block.ms}
     * in the last {@link #UNREACHABLE_HOLD_NANOS}, a record waits to be sent again, or records are in
     * flight and none was acknowledged for the stall time ({@link #STALL_NANOS}); {@code null} otherwise.
     */
    @Override
    public @Nullable String unavailableReason() {
        if (System.nanoTime() - unreachableSince < UNREACHABLE_HOLD_NANOS) {
            return "Kafka did not take a record for " + edge.target() + " within max.block.ms (" + lastFailure + ")";
        }
        if (waitingToResend.get() > 0) {
            return "Kafka did not acknowledge a record for " + edge.target() + " (" + lastFailure
                    + "); sending it again";
        }
        long inFlight = produced.get() - written.get();
        if (inFlight > 0) {
            long quiet = System.nanoTime() - lastAcknowledgedNanos;
            if (quiet >= stallNanos) {
                return String.format(
                        Locale.ROOT,
                        "Kafka has acknowledged none of %d records for %s in %.1f s",
                        inFlight,
                        edge.target(),
                        quiet / 1e9);
            }
        }
        return null;
    }

    @Override
    public String target() {
        return edge.target();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String transport() {
        return "kafka";
    }

    @Override
    public long depth() {
        return lag.depth();
    }

    @Override
    public long capacity() {
        return edge.capacity();
    }
}
