package dev.portflow.channel;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channel protocol checked by a real concurrency checker (issue 13): JetBrains Lincheck runs random
 * scenarios of channel operations on three threads and checks every result against a sequential model
 * of a bounded FIFO ({@link Model}), in two modes:
 *
 * <ul>
 *   <li><b>model checking</b> — Lincheck instruments the bytecode and enumerates thread switches at every
 *       shared-memory access, under sequential consistency. It finds interleaving bugs (a slot freed
 *       before it is cleared, a one-slot ring, a stale depth) deterministically, but cannot see
 *       store-load reordering: a weakened fence is the business of {@link ChannelHandshakeStressTest}.
 *   <li><b>stress</b> — the same scenarios on real threads, many times.
 * </ul>
 *
 * <p>The channel is MPSC: every receiver-side operation ({@code poll}, the receiver's park handshake and,
 * with evicting producers, {@code receivedCount}) is in the non-parallel group {@code "receiver"}, so
 * Lincheck runs them on one thread only. Producers ({@code offer}, {@code evictOldest} for
 * {@code DROP_OLDEST}, {@code awaitRoom}) and observers ({@code depth}, counts, {@code close}) run on any
 * thread.
 *
 * <p>Policies map to channel operations as the ports use them: {@code BLOCK}, {@code BLOCK_WITH_TIMEOUT},
 * {@code DROP_NEWEST} and {@code FAIL} share the single-receiver channel ({@link SingleReceiver}: offer,
 * and for the blocking policies the gate's {@code awaitRoom}); {@code DROP_OLDEST} has evicting producers
 * ({@link EvictingProducers}). Capacities 1, 2 and 3 (a ring larger than the capacity).
 *
 * <p>Two documented relaxations, so the model stays a plain FIFO: {@code poll} and {@code evictOldest}
 * may return {@code null} while a producer has claimed the head but not yet written it, so the checker's
 * operations retry until the element appears or {@code depth()} says the buffer is empty (what the
 * receiver's park loop and {@code OutputPort.evictAndOffer} do); and {@code evictedCount()} lags its
 * eviction (a {@code LongAdder} bumped after the CAS), so it is checked at quiescence by
 * {@link Validate} (accepted = received + evicted + depth) rather than as an operation.
 *
 * <p>Runs in bounded time in {@code ./mvnw verify}; {@code -Dportflow.checker.long=true} (used by
 * {@code bench/run-checker}) multiplies iterations and invocations for a long run.
 */
class BoundedChannelLincheckTest {

    static final boolean LONG = Boolean.getBoolean("portflow.checker.long");

    // ---------------------------------------------------------------- the checker's runs

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                // ProducerGate.await spins 64 times before it takes the lock: a bounded loop, not a livelock
                .loopBound(100)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .iterations(LONG ? 50 : 8)
                .invocationsPerIteration(LONG ? 1_000 : 200);
    }

    private static StressOptions stress() {
        return new StressOptions()
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .iterations(LONG ? 50 : 8)
                .invocationsPerIteration(LONG ? 5_000 : 500);
    }

    private static void check(Options<?, ?> options, Class<?> model, Class<?> channel) {
        options.sequentialSpecification(model).check(channel);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void singleReceiverModelChecking() {
        check(modelChecking(), Cap1Model.class, SingleReceiverCap1.class);
        check(modelChecking(), Cap2Model.class, SingleReceiverCap2.class);
        check(modelChecking(), Cap3Model.class, SingleReceiverCap3.class);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void singleReceiverStress() {
        check(stress(), Cap1Model.class, SingleReceiverCap1.class);
        check(stress(), Cap2Model.class, SingleReceiverCap2.class);
        check(stress(), Cap3Model.class, SingleReceiverCap3.class);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void evictingProducersModelChecking() {
        check(modelChecking(), Cap1Model.class, EvictingCap1.class);
        check(modelChecking(), Cap2Model.class, EvictingCap2.class);
        check(modelChecking(), Cap3Model.class, EvictingCap3.class);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void evictingProducersStress() {
        check(stress(), Cap1Model.class, EvictingCap1.class);
        check(stress(), Cap2Model.class, EvictingCap2.class);
        check(stress(), Cap3Model.class, EvictingCap3.class);
    }

    /**
     * F1: {@code close()} then {@code evictOldest()} evicts a message accepted before the close, so a
     * {@code DROP_OLDEST} send racing close loses a message and still reports {@code CLOSED}. The model
     * says a closed channel evicts nothing. Lincheck finds it at once (even sequentially: init part
     * {@code offer(1); close()}, then {@code evictOldest()} returns 1 instead of nothing).
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void evictingProducersWithCloseModelChecking() {
        check(modelChecking(), Cap1Model.class, EvictingWithCloseCap1.class);
        check(modelChecking(), Cap2Model.class, EvictingWithCloseCap2.class);
    }

    // ---------------------------------------------------------------- operations shared by both channels

    /**
     * Offers {@code v} with timestamps derived from it, so a poll can tell a torn slot: odd values
     * through the sampling path a port's send uses, even ones with explicit stamps (one operation,
     * not two, so the scenarios the checker draws stay as they were).
     */
    static int offer(BoundedChannel<Integer> ch, int v) {
        return v % 2 == 0 ? ch.offer(v, v * 10L, v * 100L) : offerSampled(ch, v);
    }

    /**
     * Offers {@code v} through the sampling path (what a port's send uses): a clock that reads
     * {@code v * 10}, the same as the coarse one, so an exact stamp is {@code v * 10} and an inexact
     * one a lower bound no earlier than that (another producer's later exact reading can raise it).
     */
    static int offerSampled(BoundedChannel<Integer> ch, int v) {
        return ch.offerSampled(v, v * 100L, v * 10L, new ConstantTicker(v * 10L));
    }

    /** A clock stopped at one reading. */
    record ConstantTicker(long reading) implements dev.portflow.time.Ticker {
        @Override
        public long read() {
            return reading;
        }

        @Override
        public long wallNanos() {
            return reading;
        }
    }

    /** Whether the stamps polled with {@code e} are its own: its origin, and an enqueue stamp that fits it. */
    static boolean ownStamps(BoundedChannel<Integer> ch, int e) {
        long stamp = ch.polledEnqueuedAt();
        long enqueued = BoundedChannel.stampNanos(stamp);
        return ch.polledOriginAt() == e * 100L
                && (BoundedChannel.isExact(stamp) ? enqueued == e * 10L : enqueued >= e * 10L);
    }

    /** The receiver's poll, retried while the head is claimed but not yet written. */
    static String poll(BoundedChannel<Integer> ch) {
        long giveUp = System.nanoTime() + STUCK_NANOS;
        while (true) {
            Integer e = ch.poll();
            if (e != null) {
                if (!ownStamps(ch, e)) {
                    return "torn " + e + " enqueued " + ch.polledEnqueuedAt() + " origin " + ch.polledOriginAt();
                }
                return e.toString();
            }
            if (ch.depth() == 0) {
                return "empty";
            }
            if (System.nanoTime() - giveUp > 0) {
                return stuck(ch);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * How long a retry waits for a claimed head to be written before it reports the element lost. Bounded,
     * so that a broken ring fails as a wrong result instead of leaving stress threads spinning forever
     * (model checking finds such a loop as a livelock first).
     */
    static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(2);

    static String stuck(BoundedChannel<Integer> ch) {
        return "stuck: depth " + ch.depth() + " but nothing to take";
    }

    /**
     * The receiver's last step before parking ({@code Inbox.receive}): register, poll once more, and
     * stay registered (asleep) if nothing was there. A producer that publishes afterwards must see the
     * registration and clear it: {@link #noLostWakeUp} checks that a receiver still asleep at the end
     * has nothing to receive.
     */
    static String pollOrSleep(BoundedChannel<Integer> ch) {
        ReceiverWakeup wakeup = ch.wakeup();
        wakeup.prepareToPark();
        long giveUp = System.nanoTime() + STUCK_NANOS;
        while (true) {
            Integer e = ch.poll();
            if (e != null) {
                wakeup.cancelPark();
                return e.toString();
            }
            if (ch.depth() == 0) {
                return "asleep";
            }
            if (System.nanoTime() - giveUp > 0) {
                return stuck(ch);
            }
            Thread.onSpinWait(); // a producer is writing the head: it signals once it has
        }
    }

    static void noLostWakeUp(BoundedChannel<Integer> ch) {
        if (ReceiverWakeupAccess.waiter(ch.wakeup()) != null && ch.depth() > 0) {
            throw new IllegalStateException("lost wake-up: the receiver sleeps with " + ch.depth() + " buffered");
        }
    }

    static void countsAddUp(BoundedChannel<Integer> ch) {
        int depth = ch.depth();
        if (depth < 0 || depth > ch.capacity()) {
            throw new IllegalStateException("depth " + depth + " outside [0, " + ch.capacity() + "]");
        }
        long accepted = ch.acceptedCount();
        long received = ch.receivedCount();
        long evicted = ch.evictedCount();
        if (accepted != received + evicted + depth) {
            throw new IllegalStateException("accepted " + accepted + " != received " + received + " + evicted "
                    + evicted + " + depth " + depth);
        }
        if (ch.remaining().size() != depth) {
            throw new IllegalStateException("remaining() " + ch.remaining() + " but depth " + depth);
        }
    }

    // ---------------------------------------------------------------- BLOCK, BLOCK_WITH_TIMEOUT, DROP_NEWEST, FAIL

    /** The single-receiver channel behind BLOCK, BLOCK_WITH_TIMEOUT, DROP_NEWEST and FAIL connections. */
    public abstract static class SingleReceiver {
        final BoundedChannel<Integer> ch;

        SingleReceiver(int capacity) {
            ch = new BoundedChannel<>(capacity, false, true, new ReceiverWakeup());
        }

        @Operation
        public int offer(@Param(gen = IntGen.class, conf = "1:99") int v) {
            return BoundedChannelLincheckTest.offer(ch, v);
        }

        @Operation(nonParallelGroup = "receiver")
        public String poll() {
            return BoundedChannelLincheckTest.poll(ch);
        }

        @Operation(nonParallelGroup = "receiver")
        public String pollOrSleep() {
            return BoundedChannelLincheckTest.pollOrSleep(ch);
        }

        /**
         * A BLOCK / BLOCK_WITH_TIMEOUT producer's wait for room, at a deadline already passed: it spins,
         * takes the gate's lock, counts itself among the waiters and re-checks, so the gate's bookkeeping
         * ({@code waiters}, {@code signalPending}) races the receiver's {@code roomMade}.
         */
        @Operation
        public boolean awaitRoomPastDeadline() throws InterruptedException {
            return ch.awaitRoom(System.nanoTime() - 1);
        }

        @Operation
        public int depth() {
            return ch.depth();
        }

        @Operation
        public boolean isFull() {
            return ch.isFull();
        }

        @Operation
        public long acceptedCount() {
            return ch.acceptedCount();
        }

        @Operation
        public long receivedCount() {
            return ch.receivedCount();
        }

        @Operation
        public void close() {
            ch.close();
        }

        @Operation
        public boolean isClosed() {
            return ch.isClosed();
        }

        @Operation
        public boolean isDrained() {
            return ch.isDrained();
        }

        @Validate
        public void validate() {
            countsAddUp(ch);
            noLostWakeUp(ch);
        }
    }

    public static final class SingleReceiverCap1 extends SingleReceiver {
        public SingleReceiverCap1() {
            super(1);
        }
    }

    public static final class SingleReceiverCap2 extends SingleReceiver {
        public SingleReceiverCap2() {
            super(2);
        }
    }

    public static final class SingleReceiverCap3 extends SingleReceiver {
        public SingleReceiverCap3() {
            super(3);
        }
    }

    // ---------------------------------------------------------------- DROP_OLDEST

    /** The channel behind a DROP_OLDEST connection: producers also evict the head. */
    public abstract static class EvictingProducers {
        final BoundedChannel<Integer> ch;

        EvictingProducers(int capacity) {
            ch = new BoundedChannel<>(capacity, true, true, new ReceiverWakeup());
        }

        @Operation
        public int offer(@Param(gen = IntGen.class, conf = "1:99") int v) {
            return BoundedChannelLincheckTest.offer(ch, v);
        }

        /** A producer's eviction, retried while the head is claimed but not yet written (as evictAndOffer spins). */
        @Operation
        public String evictOldest() {
            long giveUp = System.nanoTime() + STUCK_NANOS;
            while (true) {
                Integer e = ch.evictOldest();
                if (e != null) {
                    return e.toString();
                }
                if (ch.depth() == 0 || ch.isClosed()) {
                    return "empty";
                }
                if (System.nanoTime() - giveUp > 0) {
                    return stuck(ch);
                }
                Thread.onSpinWait();
            }
        }

        @Operation(nonParallelGroup = "receiver")
        public String poll() {
            return BoundedChannelLincheckTest.poll(ch);
        }

        @Operation(nonParallelGroup = "receiver")
        public String pollOrSleep() {
            return BoundedChannelLincheckTest.pollOrSleep(ch);
        }

        @Operation
        public int depth() {
            return ch.depth();
        }

        @Operation
        public boolean isFull() {
            return ch.isFull();
        }

        @Operation
        public long acceptedCount() {
            return ch.acceptedCount();
        }

        /** The receiver's own count: exact on the receiving thread (evictions move head too). */
        @Operation(nonParallelGroup = "receiver")
        public long receivedCount() {
            return ch.receivedCount();
        }

        @Validate
        public void validate() {
            countsAddUp(ch);
            noLostWakeUp(ch);
        }
    }

    public static final class EvictingCap1 extends EvictingProducers {
        public EvictingCap1() {
            super(1);
        }
    }

    public static final class EvictingCap2 extends EvictingProducers {
        public EvictingCap2() {
            super(2);
        }
    }

    public static final class EvictingCap3 extends EvictingProducers {
        public EvictingCap3() {
            super(3);
        }
    }

    /** DROP_OLDEST with close: the scenario of F1. */
    public abstract static class EvictingWithClose extends EvictingProducers {
        EvictingWithClose(int capacity) {
            super(capacity);
        }

        @Operation
        public void close() {
            ch.close();
        }

        @Operation
        public boolean isDrained() {
            return ch.isDrained();
        }
    }

    public static final class EvictingWithCloseCap1 extends EvictingWithClose {
        public EvictingWithCloseCap1() {
            super(1);
        }
    }

    public static final class EvictingWithCloseCap2 extends EvictingWithClose {
        public EvictingWithCloseCap2() {
            super(2);
        }
    }

    // ---------------------------------------------------------------- the sequential specification

    /** A bounded FIFO: what every channel operation above must look like, one at a time. */
    public abstract static class Model {
        private final int capacity;
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private boolean closed;
        private long accepted;
        private long received;

        Model(int capacity) {
            this.capacity = capacity;
        }

        public int offer(int v) {
            if (closed) {
                return BoundedChannel.CLOSED;
            }
            if (queue.size() >= capacity) {
                return BoundedChannel.FULL;
            }
            queue.add(v);
            accepted++;
            return BoundedChannel.OFFERED;
        }

        public String poll() {
            Integer e = queue.poll();
            if (e == null) {
                return "empty";
            }
            received++;
            return e.toString();
        }

        /** Asleep exactly when there is nothing to take (a later offer wakes it; see noLostWakeUp). */
        public String pollOrSleep() {
            String e = poll();
            return e.equals("empty") ? "asleep" : e;
        }

        /** A closed channel evicts nothing: what was accepted before close stays receivable (F1). */
        public String evictOldest() {
            if (closed || queue.isEmpty()) {
                return "empty";
            }
            return queue.poll().toString();
        }

        public boolean awaitRoomPastDeadline() {
            return closed || queue.size() < capacity;
        }

        public int depth() {
            return queue.size();
        }

        public boolean isFull() {
            return queue.size() >= capacity;
        }

        public long acceptedCount() {
            return accepted;
        }

        public long receivedCount() {
            return received;
        }

        public void close() {
            closed = true;
        }

        public boolean isClosed() {
            return closed;
        }

        public boolean isDrained() {
            return closed && queue.isEmpty();
        }
    }

    public static final class Cap1Model extends Model {
        public Cap1Model() {
            super(1);
        }
    }

    public static final class Cap2Model extends Model {
        public Cap2Model() {
            super(2);
        }
    }

    public static final class Cap3Model extends Model {
        public Cap3Model() {
            super(3);
        }
    }
}
