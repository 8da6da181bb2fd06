package dev.portflow.kafka;

import dev.portflow.port.RemoteLink;
import dev.portflow.time.NanoWallClock;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The sending end of a Kafka edge, bound to the sender's output port
 * ({@link dev.portflow.port.OutputPort#attachRemote}). A message is {@link Offer#ACCEPTED} only
 * once the broker has acknowledged its record ({@code acks=all}, idempotent producer), so an HTTP
 * ingress's 202 means the message is in the topic. The edge is full while the receiving group's
 * lag ({@link ConsumerLag}, plus what this process produced since it was read) is at its capacity;
 * the port's overflow policy then applies as for any buffer.
 *
 * <p>Room is reserved before the record is sent (a compare-and-set on the count of records
 * produced), so concurrent senders never take more room than there is.
 */
final class KafkaSendingLink<T> implements RemoteLink<T> {

    private static final long AWAIT_STEP_NANOS = 5_000_000L; // a blocked sender looks again every 5 ms
    /** Header with the epoch milliseconds at which the record was produced: the receiver's queue wait starts there. */
    static final String PRODUCED_AT = "portflow-produced-at";

    private final KafkaEdge edge;
    private final MessageCodec<T> codec;
    private final Producer<byte[], byte[]> producer;
    private final AtomicLong produced; // records given room (reserved), written or being written
    private final AtomicLong written; // of those, the ones the broker acknowledged (ConsumerLag counts from these)
    private final ConsumerLag lag;
    private volatile boolean closed;

    KafkaSendingLink(
            KafkaEdge edge,
            MessageCodec<T> codec,
            Producer<byte[], byte[]> producer,
            AtomicLong produced,
            AtomicLong written,
            ConsumerLag lag) {
        this.edge = edge;
        this.codec = codec;
        this.producer = producer;
        this.produced = produced;
        this.written = written;
        this.lag = lag;
    }

    KafkaEdge edge() {
        return edge;
    }

    @Override
    public Offer offer(T message, long originNanoTime, long handOff) throws InterruptedException {
        if (closed) {
            return Offer.CLOSED;
        }
        if (!reserve()) {
            return Offer.FULL;
        }
        RecordHeaders headers = new RecordHeaders();
        ProducerRecord<byte[], byte[]> record;
        try {
            byte[] value = codec.encode(message, headers);
            headers.add(PRODUCED_AT, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
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
        // Interrupted while waiting: the record may still be written, so it stays counted as produced
        // and never as written (the depth stays conservative: one record of room fewer from then on).
        try {
            producer.send(record).get();
            written.incrementAndGet();
            return Offer.ACCEPTED;
        } catch (ExecutionException e) {
            produced.decrementAndGet();
            throw new KafkaTransportException(
                    "could not write to " + edge.describe() + ": " + e.getCause(), e.getCause());
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
                return true;
            }
        }
    }

    @Override
    public boolean awaitRoom(long deadlineNanoTime) throws InterruptedException {
        while (lag.depth() >= edge.capacity() && !closed) {
            long left = deadlineNanoTime - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(left, AWAIT_STEP_NANOS) / 1_000_000L));
        }
        return true;
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
