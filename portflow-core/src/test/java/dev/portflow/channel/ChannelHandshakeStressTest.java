package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two wake-up handshakes of docs/channel-design.md on real threads, round after round, in the style
 * of jcstress: both sides start a round together and race one store-then-load each. These are the bugs
 * {@link BoundedChannelLincheckTest} cannot see, because its model checker assumes sequential
 * consistency: a publication weakened from a volatile store to a release store, or a receiver that
 * reads the gate's waiters only right after its (release) head store, fail only when the CPU lets a
 * load pass an earlier store (x86 does).
 *
 * <p>Each test stops after a number of rounds or a few seconds (5 s; 10 s for the gate), whichever comes
 * first, and fails on the first lost wake-up it sees; {@code -Dportflow.checker.long=true} runs twelve
 * times longer.
 */
class ChannelHandshakeStressTest {

    private static final boolean LONG = Boolean.getBoolean("portflow.checker.long");
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(LONG ? 60 : 5);

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }

    /**
     * Receiver: {@code prepareToPark()} then {@code poll()}. Producer: {@code offer()} (publish, then read
     * the receiver's registration). Dekker: if the receiver's poll missed the element, the producer must
     * have seen the registration and cleared it. A receiver still registered with an element waiting
     * would sleep forever. Single receiver (element publication) and evicting producers (sequence).
     *
     * <p>As jcstress does, the two threads run through a batch of independent channels with no
     * synchronisation inside the batch, each batch starting at a random skew: they race on the channels
     * where they happen to meet, many times per batch, which makes the store-load window of a weakened
     * fence visible within seconds.
     */
    @ParameterizedTest(name = "multiConsumer={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPublishingProducerOrTheParkingReceiverAlwaysSeesTheOther(boolean multiConsumer) throws Exception {
        int batch = 512;
        @SuppressWarnings("unchecked")
        BoundedChannel<Integer>[] channels = (BoundedChannel<Integer>[]) new BoundedChannel<?>[batch];
        ReceiverWakeup[] wakeups = new ReceiverWakeup[batch];
        for (int i = 0; i < batch; i++) {
            wakeups[i] = new ReceiverWakeup();
            channels[i] = new BoundedChannel<>(1, multiConsumer, false, wakeups[i]);
        }
        boolean[] received = new boolean[batch];
        int maxBatches = LONG ? 1_000_000 : 100_000;
        AtomicLong go = new AtomicLong();
        AtomicLong producerDone = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] batches = new long[1];
        long[] races = new long[1];
        Thread producer = Thread.ofPlatform()
                .daemon()
                .name("handshake-producer")
                .start(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (long r = 1; r <= maxBatches; r++) {
                        while (go.get() < r) {
                            if (go.get() < 0) {
                                return;
                            }
                            Thread.onSpinWait();
                        }
                        spin(random.nextInt(16));
                        for (int i = 0; i < batch; i++) {
                            if (channels[i].offer(i, 0, 0) != BoundedChannel.OFFERED) {
                                failure.compareAndSet(null, new AssertionError("batch " + r + ": offer refused"));
                            }
                        }
                        producerDone.set(r);
                    }
                });
        Thread receiver = Thread.ofPlatform()
                .daemon()
                .name("handshake-receiver")
                .start(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long deadline = System.nanoTime() + BUDGET_NANOS;
                    try {
                        for (long r = 1; r <= maxBatches; r++) {
                            go.set(r);
                            spin(random.nextInt(16));
                            for (int i = 0; i < batch; i++) {
                                wakeups[i].prepareToPark();
                                received[i] = channels[i].poll() != null;
                            }
                            while (producerDone.get() < r) {
                                Thread.onSpinWait();
                            }
                            for (int i = 0; i < batch; i++) {
                                if (received[i]) {
                                    wakeups[i].cancelPark();
                                    continue;
                                }
                                races[0]++;
                                if (ReceiverWakeupAccess.waiter(wakeups[i]) != null) {
                                    throw new AssertionError(
                                            "batch " + r + ", channel " + i + ": lost wake-up, the receiver "
                                                    + "found nothing and registered to park, and the producer that published after it "
                                                    + "did not see it");
                                }
                                Integer e = channels[i].poll();
                                if (e == null || e != i) {
                                    throw new AssertionError("batch " + r + ", channel " + i + ": polled " + e);
                                }
                            }
                            batches[0] = r;
                            if (System.nanoTime() > deadline) {
                                break;
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        go.set(-1);
                    }
                });
        receiver.join();
        producer.join(5_000);
        System.out.printf(
                "handshake multiConsumer=%s: %d batches of %d, %d polls that missed the element%n",
                multiConsumer, batches[0], batch, races[0]);
        if (failure.get() != null) {
            throw new AssertionError("after " + batches[0] + " batches", failure.get());
        }
        assertThat(batches[0]).isPositive();
    }

    /**
     * Producer: {@code awaitRoom} on a full channel (spin, then lock, count itself a waiter, re-check,
     * wait). Receiver: one {@code poll()} that makes room (release store of head, then a read of the
     * waiters), then empty polls as a receiver does while it has nothing to do. If the first read of
     * the waiters missed the producer because the head store was still in the store buffer while the
     * producer read the old head, an empty poll must find it ("the producer-gate fallback on an empty
     * poll"). The receiver's removal is placed at a random moment around the producer's spin-then-lock,
     * calibrated first, so the race window is hit often. A lost wake-up shows as a producer that waited
     * for its whole deadline although room appeared at once.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aProducerWaitingForRoomIsNeverMissedByTheReceiver() throws Exception {
        BoundedChannel<Integer> ch = new BoundedChannel<>(1, false, false, new ReceiverWakeup());
        long waitLimitNanos = TimeUnit.SECONDS.toNanos(2);
        // Calibrate: how long a producer spends spinning and taking the lock before it would wait.
        ch.offer(0, 0, 0);
        long calibration = Long.MAX_VALUE;
        for (int i = 0; i < 20_000; i++) {
            long start = System.nanoTime();
            ch.awaitRoom(start - 1);
            calibration = Math.min(calibration, System.nanoTime() - start);
        }
        assertThat(ch.poll()).isZero();
        long window = Math.max(2_000, 3 * calibration);

        int maxRounds = LONG ? 2_000_000 : 200_000;
        AtomicLong go = new AtomicLong();
        AtomicLong producerDone = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] rounds = new long[1];
        Thread producer = Thread.ofPlatform().daemon().name("gate-producer").start(() -> {
            try {
                for (long r = 1; r <= maxRounds; r++) {
                    while (go.get() < r) {
                        if (go.get() < 0) {
                            return;
                        }
                        Thread.onSpinWait();
                    }
                    long start = System.nanoTime();
                    boolean room = ch.awaitRoom(start + waitLimitNanos);
                    long waited = System.nanoTime() - start;
                    if (!room || waited >= waitLimitNanos) {
                        failure.compareAndSet(
                                null,
                                new AssertionError("round " + r + ": lost wake-up, the producer " + "waited "
                                        + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for room made at once"));
                    }
                    producerDone.set(r);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        Thread receiver = Thread.ofPlatform().daemon().name("gate-receiver").start(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            // Twice the budget: most rounds cost a park and an unpark, and the window is narrow.
            long deadline = System.nanoTime() + 2 * BUDGET_NANOS;
            try {
                for (long r = 1; r <= maxRounds && failure.get() == null; r++) {
                    if (ch.offer((int) r, 0, 0) != BoundedChannel.OFFERED) {
                        throw new AssertionError("round " + r + ": the channel was not empty");
                    }
                    long start = System.nanoTime();
                    go.set(r);
                    long delay = random.nextLong(window);
                    while (System.nanoTime() - start < delay) {
                        Thread.onSpinWait();
                    }
                    Integer e = ch.poll();
                    if (e == null || e != (int) r) {
                        throw new AssertionError("round " + r + ": expected " + r + " but polled " + e);
                    }
                    while (producerDone.get() < r && failure.get() == null) {
                        if (ch.poll() != null) { // an empty poll, as an idle receiver does
                            throw new AssertionError("round " + r + ": polled an element nobody offered");
                        }
                        Thread.onSpinWait();
                    }
                    rounds[0] = r;
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                go.set(-1);
            }
        });
        receiver.join();
        producer.join(5_000);
        System.out.printf("gate handshake: %d rounds, calibrated spin-then-lock %d ns%n", rounds[0], calibration);
        if (failure.get() != null) {
            throw new AssertionError(
                    "after " + rounds[0] + " rounds (calibrated spin-then-lock " + calibration + " ns)", failure.get());
        }
        assertThat(rounds[0]).isPositive();
    }

    /**
     * A producer waits for room, one poll makes it, again and again on the same channel: each removal
     * must wake the waiting producer, i.e. the gate's "signal already pending" flag must be cleared
     * once the signalled producer has run, or every wait after the first lasts until its deadline.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyRemovalWakesTheProducerThenWaiting() throws Exception {
        BoundedChannel<Integer> ch = new BoundedChannel<>(1, false, false, new ReceiverWakeup());
        for (int round = 1; round <= 5; round++) {
            assertThat(ch.offer(round, 0, 0)).isEqualTo(BoundedChannel.OFFERED);
            CompletableFuture<Long> waited = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    long start = System.nanoTime();
                    ch.awaitRoom(start + TimeUnit.SECONDS.toNanos(5));
                    waited.complete(System.nanoTime() - start);
                } catch (Throwable e) {
                    waited.completeExceptionally(e);
                }
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat(t.getState())
                    .as("round %d: producer waiting in the gate", round)
                    .isEqualTo(Thread.State.TIMED_WAITING);
            assertThat(ch.poll()).isEqualTo(round);
            long nanos = waited.get(10, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(nanos))
                    .as("round %d: ms the producer waited after the receiver made room", round)
                    .isLessThan(4_000);
        }
    }
}
