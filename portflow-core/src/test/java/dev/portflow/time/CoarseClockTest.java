package dev.portflow.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coarse clock's refresher sleeps while nobody reads it (an idle process pays no wake-ups) and a
 * read never returns a value from before that sleep. Bounds are loose (hundreds of milliseconds) so
 * a loaded machine does not fail them; the failures they catch are of seconds.
 */
@Timeout(60)
class CoarseClockTest {

    private static final long LOOSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    @Test
    void theRefresherSleepsWhenUnreadAndTheReadThatWakesItIsFresh() throws Exception {
        CoarseClock.now();
        // nothing in this JVM's other tests reads the clock while this one runs (surefire: one class at a time)
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(CoarseClock::isAsleep);
        Thread.sleep(1_500); // asleep: the stored value is now 1.5 s old

        long before = System.nanoTime();
        long first = CoarseClock.now();
        long second = CoarseClock.now();
        long after = System.nanoTime();
        boolean asleepAfterReads = CoarseClock.isAsleep(); // now: 50 ms later it may sleep again (unread)

        assertThat(first).isBetween(before, after);
        assertThat(second).isBetween(before - LOOSE_NANOS, after);
        assertThat(asleepAfterReads).isFalse();
    }

    @Test
    void readersAcrossSleepsAndWakeUpsNeverSeeAValueAheadOfTheClockOrFromBeforeASleep() throws Exception {
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int r = 0; r < 3; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (System.nanoTime() - end < 0 && failure.get() == null) {
                        for (int i = 0; i < 1_000; i++) {
                            long before = System.nanoTime();
                            long value = CoarseClock.now();
                            long after = System.nanoTime();
                            if (value - after > 0 || before - value > LOOSE_NANOS) {
                                failure.compareAndSet(null, "read " + value + " between " + before + " and " + after);
                            }
                        }
                        // pauses long enough for the refresher to fall asleep now and then
                        Thread.sleep(random.nextInt(1, 120));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(failure.get()).isNull();
    }
}
