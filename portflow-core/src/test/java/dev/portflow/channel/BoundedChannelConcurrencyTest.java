package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two producers and one receiver on the raw ring: every element is accounted for exactly once,
 * including when producers evict the head concurrently with the receiver ({@code DROP_OLDEST}).
 */
class BoundedChannelConcurrencyTest {

    private static final int PER_PRODUCER = 100_000;

    /** Element = producer * PER_PRODUCER + seq. */
    private static int id(int producer, int seq) {
        return producer * PER_PRODUCER + seq;
    }

    /** Capacity 61 on a ring of 64: the ring is larger than the channel, depth must still stop at 61. */
    @Test
    void spinningProducersLoseNothingAndKeepPerProducerOrder() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int capacity = 61;
            BoundedChannel<Integer> c = new BoundedChannel<>(capacity, false, new ReceiverWakeup());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int maxDepth = 0;
            Thread[] producers = new Thread[2];
            for (int p = 0; p < 2; p++) {
                int producer = p;
                producers[p] = Thread.ofPlatform().daemon().start(() -> {
                    for (int s = 0; s < PER_PRODUCER; s++) {
                        int r;
                        while ((r = c.offer(id(producer, s), 0, 0)) == BoundedChannel.FULL) {
                            Thread.yield();
                        }
                        if (r != BoundedChannel.OFFERED) {
                            failure.compareAndSet(null, new AssertionError("offer returned " + r));
                            return;
                        }
                    }
                });
            }
            int[] next = new int[2];
            int received = 0;
            while (received < 2 * PER_PRODUCER) {
                int depth = c.depth();
                maxDepth = Math.max(maxDepth, depth);
                assertThat(depth).isBetween(0, capacity);
                Integer e = c.poll();
                if (e == null) {
                    Thread.yield();
                    continue;
                }
                int producer = e / PER_PRODUCER;
                int seq = e % PER_PRODUCER;
                assertThat(seq).as("FIFO per producer %d", producer).isEqualTo(next[producer]);
                next[producer]++;
                received++;
            }
            for (Thread t : producers) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(c.poll()).isNull();
            assertThat(c.acceptedCount()).isEqualTo(2L * PER_PRODUCER);
            assertThat(c.receivedCount()).isEqualTo(2L * PER_PRODUCER);
            assertThat(c.depth()).isZero();
            assertThat(maxDepth).isLessThanOrEqualTo(capacity);
        });
    }

    /** Capacity 1 is the edge case: a ring of one slot once let a producer overwrite the element being taken. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void evictingProducersAndTheReceiverTakeEachElementExactlyOnce(int capacity) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            BoundedChannel<Integer> c = new BoundedChannel<>(capacity, true, new ReceiverWakeup());
            BitSet[] evictedBy = {new BitSet(), new BitSet()};
            long[] evictions = new long[2];
            Thread[] producers = new Thread[2];
            for (int p = 0; p < 2; p++) {
                int producer = p;
                producers[p] = Thread.ofPlatform().daemon().start(() -> {
                    for (int s = 0; s < PER_PRODUCER; s++) {
                        while (c.offer(id(producer, s), 0, 0) == BoundedChannel.FULL) {
                            Integer victim = c.evictOldest();
                            if (victim != null) {
                                evictedBy[producer].set(victim);
                                evictions[producer]++;
                            }
                        }
                    }
                });
            }
            BitSet received = new BitSet();
            int[] last = {-1, -1};
            long receivedCount = 0;
            while (producers[0].isAlive() || producers[1].isAlive() || c.depth() > 0) {
                Integer e = c.poll();
                if (e == null) {
                    Thread.onSpinWait();
                    continue;
                }
                assertThat(received.get(e)).as("received twice: %d", e).isFalse();
                received.set(e);
                receivedCount++;
                int producer = e / PER_PRODUCER;
                int seq = e % PER_PRODUCER;
                assertThat(seq).as("order of producer %d", producer).isGreaterThan(last[producer]);
                last[producer] = seq;
            }
            for (Thread t : producers) {
                t.join();
            }
            BitSet evicted = (BitSet) evictedBy[0].clone();
            assertThat(evictedBy[0].intersects(evictedBy[1]))
                    .as("evicted twice")
                    .isFalse();
            evicted.or(evictedBy[1]);
            assertThat(evicted.intersects(received))
                    .as("both evicted and received")
                    .isFalse();
            BitSet all = (BitSet) evicted.clone();
            all.or(received);
            assertThat(all.cardinality()).isEqualTo(2 * PER_PRODUCER);
            assertThat(c.evictedCount()).isEqualTo(evictions[0] + evictions[1]).isEqualTo(evicted.cardinality());
            assertThat(c.receivedCount()).isEqualTo(receivedCount);
            assertThat(c.acceptedCount()).isEqualTo(2L * PER_PRODUCER);
        });
    }
}
