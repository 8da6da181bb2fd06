package dev.portflow.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A channel that carries trace contexts hands each message over with its own context, never a
 * neighbour's, a stale one or none, while producers race each other, the receiver and (DROP_OLDEST)
 * evictions through a small ring that wraps thousands of times.
 */
class TraceContextStressTest {

    private static final int PRODUCERS = 3;
    private static final int PER_PRODUCER = 60_000;

    /** The context a message carries: its own id, as a distinct object. */
    private record Context(int id) {}

    @ParameterizedTest(name = "evicting={0}")
    @ValueSource(booleans = {false, true})
    void everyMessageArrivesWithItsOwnContext(boolean evicting) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            BoundedChannel<Integer> c = new BoundedChannel<>(8, evicting, new ReceiverWakeup());
            c.carryTraceContexts();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] producers = new Thread[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers[p] = Thread.ofPlatform().daemon().start(() -> {
                    for (int s = 0; s < PER_PRODUCER; s++) {
                        int id = producer * PER_PRODUCER + s;
                        // every third message untraced: a null must not let a stale context through
                        Context context = id % 3 == 0 ? null : new Context(id);
                        if (evicting) {
                            if (c.offerEvicting(id, 0, 0, context) < 0) {
                                failure.compareAndSet(null, new AssertionError("closed"));
                                return;
                            }
                        } else {
                            int r;
                            while ((r = c.offer(id, 0, 0, context)) == BoundedChannel.FULL) {
                                Thread.onSpinWait();
                            }
                            if (r != BoundedChannel.OFFERED) {
                                failure.compareAndSet(null, new AssertionError("offer returned " + r));
                                return;
                            }
                        }
                    }
                });
            }
            long received = 0;
            long expected = evicting ? -1 : (long) PRODUCERS * PER_PRODUCER;
            while (expected < 0 ? anyAlive(producers) || c.depth() > 0 : received < expected) {
                Integer e = c.poll();
                if (e == null) {
                    Thread.onSpinWait();
                    continue;
                }
                received++;
                Object context = c.polledContext();
                if (e % 3 == 0) {
                    assertThat(context).as("message %d is untraced", e).isNull();
                } else {
                    assertThat(context).as("context of message %d", e).isEqualTo(new Context(e));
                }
            }
            for (Thread t : producers) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(received).isPositive();
        });
    }

    private static boolean anyAlive(Thread[] threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
