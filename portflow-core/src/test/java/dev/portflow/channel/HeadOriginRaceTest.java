package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oldest-message-age gauge reads {@link BoundedChannel#headOriginAt()}. While the buffer is
 * never empty, a concurrent read must always find a head: a receiver taking the head under the read
 * is a reason to look again, not to report an empty buffer (an age of 0).
 */
class HeadOriginRaceTest {

    private static final int CAPACITY = 8;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    @ParameterizedTest(name = "evicting producers: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFullDrainingBufferAlwaysHasAnOldestMessage(boolean multiConsumer) throws Exception {
        BoundedChannel<Long> c = new BoundedChannel<>(CAPACITY, multiConsumer, new ReceiverWakeup());
        long next = 1; // origins 1, 2, 3, ... in send order
        while (next <= CAPACITY) {
            assertThat(c.offer(next, next, next)).isEqualTo(BoundedChannel.OFFERED);
            next++;
        }
        long end = System.nanoTime() + RUN_NANOS;
        AtomicReference<Throwable> problem = new AtomicReference<>();
        long first = next;
        // Takes one, then sends one: the buffer never holds fewer than CAPACITY - 1 messages.
        Thread mover = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (long n = first; System.nanoTime() - end < 0; n++) {
                    if (c.poll() == null) {
                        throw new AssertionError("buffer found empty");
                    }
                    if (c.offer(n, n, n) != BoundedChannel.OFFERED) {
                        throw new AssertionError("no room after a poll");
                    }
                }
            } catch (Throwable t) {
                problem.set(t);
            }
        });
        long reads = 0;
        long empty = 0;
        long backwards = 0;
        long last = 0;
        while (mover.isAlive()) {
            long origin = c.headOriginAt();
            reads++;
            if (origin == Long.MIN_VALUE) {
                empty++;
            } else {
                if (origin < last) {
                    backwards++; // heads only move forward, so neither may their origins
                }
                last = origin;
            }
        }
        assertThat(problem.get()).isNull();
        assertThat(empty)
                .as("reads of a non-empty buffer that found no head, out of %d", reads)
                .isZero();
        assertThat(backwards)
                .as("reads whose origin went backwards, out of %d", reads)
                .isZero();
    }
}
