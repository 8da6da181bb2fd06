package dev.portflow.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The acknowledged prefix of a pipelined link's hand-offs. */
class AcknowledgedSequenceTest {

    @Test
    void thePrefixGrowsOnlyOverAcknowledgedHandOffsWithNoGap() {
        AcknowledgedSequence acks = new AcknowledgedSequence();
        for (int i = 0; i < 4; i++) {
            assertThat(acks.handOff()).isEqualTo(i);
        }
        acks.acknowledge(1);
        acks.acknowledge(3);
        assertThat(acks.acknowledged()).as("0 is not acknowledged").isZero();
        assertThat(acks.inFlight()).isEqualTo(4);
        acks.acknowledge(0);
        assertThat(acks.acknowledged()).as("0 and 1").isEqualTo(2);
        acks.acknowledge(2);
        assertThat(acks.acknowledged()).isEqualTo(4);
        assertThat(acks.inFlight()).isZero();
        assertThat(acks.handedOff()).isEqualTo(4);
    }

    @Test
    void aRepeatedAcknowledgementChangesNothingAndAnUnmadeHandOffIsRefused() {
        AcknowledgedSequence acks = new AcknowledgedSequence();
        acks.handOff();
        acks.handOff();
        acks.acknowledge(1);
        acks.acknowledge(1); // a retry that raced its original
        acks.acknowledge(0);
        acks.acknowledge(0);
        assertThat(acks.acknowledged()).isEqualTo(2);
        assertThatThrownBy(() -> acks.acknowledge(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hand-off 2 was never made (2 made)");
        assertThatThrownBy(() -> acks.acknowledge(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWaiterWakesForItsOwnAcknowledgementEvenAheadOfTheGapAndGivesUpAtItsDeadline() throws Exception {
        AcknowledgedSequence acks = new AcknowledgedSequence();
        acks.handOff();
        acks.handOff();
        Thread acknowledger = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            acks.acknowledge(1); // 0 still open: the prefix stays 0
        });
        assertThat(acks.awaitAcknowledged(1, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)))
                .isTrue();
        acknowledger.join();
        assertThat(acks.acknowledged()).isZero();
        long start = System.nanoTime();
        assertThat(acks.awaitAcknowledged(0, start + TimeUnit.MILLISECONDS.toNanos(30)))
                .isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    /** Seeded random orders: after every acknowledgement the prefix is the lowest unacknowledged number. */
    @Test
    void inAnyOrderThePrefixIsTheLowestUnacknowledgedHandOff() {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            AcknowledgedSequence acks = new AcknowledgedSequence();
            // short runs, and long ones whose window of unacknowledged hand-offs wraps the bit ring
            // (1,024 to start) and makes it grow
            int n = random.nextInt(3) == 0 ? 1 + random.nextInt(20_000) : 1 + random.nextInt(60);
            int window = 1 + random.nextInt(random.nextBoolean() ? 64 : 4_000);
            boolean[] acknowledged = new boolean[n];
            List<Integer> pending = new ArrayList<>();
            int handedOff = 0;
            int lowest = 0;
            while (lowest < n) {
                if (handedOff < n && ((pending.size() < window && random.nextInt(3) > 0) || pending.isEmpty())) {
                    assertThat(acks.handOff()).isEqualTo(handedOff);
                    pending.add(handedOff++);
                    continue;
                }
                int number = pending.get(random.nextInt(pending.size()));
                if (random.nextInt(5) > 0) {
                    pending.remove((Integer) number); // else acknowledged again later
                }
                acks.acknowledge(number);
                acknowledged[number] = true;
                while (lowest < n && acknowledged[lowest]) {
                    lowest++;
                }
                String replay = "seed " + seed + " (replay with -Dportflow.seed=" + seed + "), round " + round
                        + ", acknowledging " + number;
                assertThat(acks.acknowledged()).as(replay).isEqualTo(lowest);
                int probe = random.nextInt(handedOff);
                assertThat(acks.isAcknowledged(probe))
                        .as(replay + ", probe " + probe)
                        .isEqualTo(acknowledged[probe]);
                assertThat(acks.isAcknowledged(number)).as(replay).isTrue();
            }
        }
    }

    @Test
    void concurrentHandOffsAndAcknowledgementsEndWithEveryHandOffInThePrefix() throws Exception {
        AcknowledgedSequence acks = new AcknowledgedSequence();
        int threads = 4;
        int each = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(acks.handOff());
                        if (mine.size() == 16) { // acknowledge a batch, newest first
                            Collections.reverse(mine);
                            mine.forEach(acks::acknowledge);
                            mine.clear();
                        }
                    }
                    mine.forEach(acks::acknowledge);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(acks.handedOff()).isEqualTo((long) threads * each);
        assertThat(acks.acknowledged()).isEqualTo((long) threads * each);
        assertThat(acks.inFlight()).isZero();
    }
}
