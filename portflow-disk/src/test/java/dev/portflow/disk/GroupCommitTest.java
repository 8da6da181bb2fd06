package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The leader/follower group commit of {@link DiskLog}: who writes, what an interrupt does to a
 * waiting sender and to the leader, and that no interleaving of interrupts leaves senders waiting
 * for a batch nobody writes.
 */
class GroupCommitTest {

    private static final DiskLog.Limits LIMITS =
            new DiskLog.Limits(100_000, 64L << 20, 16 << 10, 0, TimeUnit.MILLISECONDS.toNanos(1));

    /** What one sender thread got: the outcome, or the interrupt, and whether its interrupt stayed set. */
    private record Outcome(DiskLog.Append append, boolean interruptedException, boolean interruptFlag) {}

    private static Thread send(DiskLog log, String payload, AtomicReference<Outcome> outcome) {
        return Thread.ofPlatform().start(() -> {
            try {
                DiskLog.Append a = log.append(DiskLogTest.bytes(payload), 1, 2);
                outcome.set(new Outcome(a, false, Thread.currentThread().isInterrupted()));
            } catch (InterruptedException e) {
                outcome.set(new Outcome(DiskLog.Append.CLOSED, true, false));
            }
        });
    }

    private static Set<String> readBack(DiskLog log) throws Exception {
        Set<String> all = ConcurrentHashMap.newKeySet();
        for (SegmentScanner.Frame f : DiskLogTest.readAll(log.cursor())) {
            assertThat(all.add(DiskLogTest.text(f)))
                    .as("read once: %s", DiskLogTest.text(f))
                    .isTrue();
        }
        return all;
    }

    @Test
    void aWaitingSenderLeavesOnInterruptButTheLeaderWritesItsBatchFirstAndPassesTheLead() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        try (DiskLog log = DiskLog.open(storage, LIMITS)) {
            storage.holdForces();
            AtomicReference<Outcome> leader = new AtomicReference<>();
            Thread l = send(log, "a", leader);
            await().atMost(Duration.ofSeconds(10)).until(() -> storage.forcesHeld() == 1); // "a" is being forced
            AtomicReference<Outcome> leaving = new AtomicReference<>();
            AtomicReference<Outcome> staying = new AtomicReference<>();
            Thread f1 = send(log, "b", leaving);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.depth() == 2);
            Thread f2 = send(log, "c", staying);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.depth() == 3);

            f1.interrupt();
            f1.join(10_000);
            assertThat(leaving.get())
                    .as("a follower leaves at once")
                    .isEqualTo(new Outcome(DiskLog.Append.CLOSED, true, false));
            l.interrupt();
            Thread.sleep(50);
            assertThat(l.isAlive())
                    .as("the leader does not leave the batch others wait for")
                    .isTrue();

            storage.releaseForces();
            l.join(10_000);
            f2.join(10_000);
            assertThat(leader.get())
                    .as("the leader: accepted, interrupt kept")
                    .isEqualTo(new Outcome(DiskLog.Append.ACCEPTED, false, true));
            // the lead passed over "b"'s sender, who left, to "c"'s
            assertThat(staying.get()).isEqualTo(new Outcome(DiskLog.Append.ACCEPTED, false, false));
            assertThat(readBack(log))
                    .as("a record whose sender left may still be written")
                    .containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void aLoneSenderWritesItsOwnRecordsAndCloseWaitsForTheBatchBeingWritten() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        DiskLog log = DiskLog.open(storage, LIMITS);
        DiskLogTest.append(log, "x", "y");
        storage.holdForces();
        AtomicReference<Outcome> last = new AtomicReference<>();
        Thread sender = send(log, "z", last);
        await().atMost(Duration.ofSeconds(10)).until(() -> storage.forcesHeld() == 1);
        Thread closer = Thread.ofPlatform().start(log::close);
        closer.join(200);
        assertThat(closer.isAlive()).as("close waits for the write in progress").isTrue();
        assertThat(log.append(DiskLogTest.bytes("late"), 1, 2)).isEqualTo(DiskLog.Append.CLOSED);
        storage.releaseForces();
        closer.join(10_000);
        sender.join(10_000);
        assertThat(last.get()).isEqualTo(new Outcome(DiskLog.Append.ACCEPTED, false, false));
        try (DiskLog reopened = DiskLog.open(storage, LIMITS)) {
            assertThat(readBack(reopened)).containsExactlyInAnyOrder("x", "y", "z");
        }
    }

    /**
     * Seeded stress: 12 senders append while a chaos thread interrupts them at random and forces
     * take a random time, so the lead passes (or is kept) under every kind of timing. Then the
     * chaos stops and every sender appends once more: a batch that nobody writes would leave that
     * append waiting. Every record a sender was told is accepted must be read back exactly once,
     * and nothing is read back that was not sent.
     */
    @Test
    void randomInterruptsNeverStrandSendersOrLoseAcceptedRecords() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            SimulatedStorage storage = new SimulatedStorage();
            storage.slowForces(TimeUnit.MICROSECONDS.toNanos(300));
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Set<String> sent = ConcurrentHashMap.newKeySet();
            AtomicBoolean chaosOver = new AtomicBoolean();
            try (DiskLog log = DiskLog.open(storage, LIMITS)) {
                List<Thread> senders = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    int sender = t;
                    senders.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; !chaosOver.get(); i++) {
                            String id = "s" + sender + "-" + i;
                            sent.add(id);
                            try {
                                if (log.append(DiskLogTest.bytes(id), 1, 2) == DiskLog.Append.ACCEPTED) {
                                    accepted.add(id);
                                }
                            } catch (InterruptedException e) {
                                // told nothing: the record may or may not be written
                            }
                        }
                        String last = "s" + sender + "-last";
                        sent.add(last);
                        try {
                            Thread.interrupted(); // one the chaos sent before it stopped
                            assertThat(log.append(DiskLogTest.bytes(last), 1, 2))
                                    .isEqualTo(DiskLog.Append.ACCEPTED);
                        } catch (InterruptedException e) {
                            throw new AssertionError("no interrupts after the chaos", e);
                        }
                        accepted.add(last);
                    }));
                }
                Random chaos = new Random(random.nextLong());
                long chaosEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20 + chaos.nextInt(60));
                while (System.nanoTime() - chaosEnd < 0) {
                    senders.get(chaos.nextInt(senders.size())).interrupt();
                    TimeUnit.MICROSECONDS.sleep(chaos.nextInt(200));
                }
                chaosOver.set(true);
                for (Thread t : senders) {
                    t.join(TimeUnit.SECONDS.toMillis(20));
                    assertThat(t.isAlive())
                            .as("a sender left waiting (seed %d, round %d)", seed, round)
                            .isFalse();
                }
                Set<String> read = readBack(log);
                assertThat(read).as("seed %d, round %d", seed, round).containsAll(accepted);
                assertThat(sent).as("seed %d, round %d", seed, round).containsAll(read);
                assertThat(accepted).as("seed %d, round %d", seed, round).hasSizeGreaterThan(12);
            }
        }
    }
}
