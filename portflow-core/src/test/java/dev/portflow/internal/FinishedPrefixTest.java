package dev.portflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The finished prefix of messages several workers finish out of order. */
@Timeout(60)
class FinishedPrefixTest {

    @Test
    void thePrefixStopsAtTheFirstUnfinishedMessage() {
        FinishedPrefix prefix = new FinishedPrefix();
        prefix.finished(1);
        prefix.finished(2);
        assertThat(prefix.completed()).isZero(); // 0 is still unfinished
        prefix.finished(0);
        assertThat(prefix.completed()).isEqualTo(3);
        prefix.finished(4);
        assertThat(prefix.completed()).isEqualTo(3);
        prefix.finished(3);
        assertThat(prefix.completed()).isEqualTo(5);
    }

    /** Seeded shuffles within a window of in-flight messages, as workers finish them. */
    @Test
    void randomOrdersWithinTheWindowAlwaysGiveTheTruePrefix() {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            int window = 1 + random.nextInt(16);
            FinishedPrefix prefix = new FinishedPrefix();
            boolean[] done = new boolean[2000];
            List<Integer> inFlight = new ArrayList<>();
            int next = 0;
            while (next < done.length || !inFlight.isEmpty()) {
                while (inFlight.size() < window && next < done.length) {
                    inFlight.add(next++);
                }
                int finished = inFlight.remove(random.nextInt(inFlight.size()));
                prefix.finished(finished);
                done[finished] = true;
                int truth = 0;
                while (truth < done.length && done[truth]) {
                    truth++;
                }
                assertThat(prefix.completed())
                        .as("seed %d (rerun with -Dportflow.seed=%d), round %d", seed, seed, round)
                        .isEqualTo(truth);
            }
        }
    }

    /** One message held back while 200,000 later ones finish: the prefix waits for it, then jumps. */
    @Test
    void aSlowMessageHoldsThePrefixHoweverFarTheOthersGo() {
        FinishedPrefix prefix = new FinishedPrefix();
        prefix.finished(0);
        for (long s = 2; s < 200_002; s++) {
            prefix.finished(s);
        }
        assertThat(prefix.completed()).isEqualTo(1);
        prefix.finished(1);
        assertThat(prefix.completed()).isEqualTo(200_002);
        for (long s = 200_002; s < 400_000; s++) {
            prefix.finished(s);
        }
        assertThat(prefix.completed()).isEqualTo(400_000);
    }

    @Test
    void concurrentFinishersNeverLoseAMark() throws Exception {
        int threads = 4;
        int perThread = 250_000;
        FinishedPrefix prefix = new FinishedPrefix();
        AtomicLong handedOut = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long sequence = handedOut.getAndIncrement(); // at most `threads` unfinished at once
                    assertThat(prefix.completed()).isLessThanOrEqualTo(sequence);
                    prefix.finished(sequence);
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(prefix.completed()).isEqualTo((long) threads * perThread);
    }
}
