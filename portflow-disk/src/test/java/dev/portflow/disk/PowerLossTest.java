package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Power loss at a random instant, over and over, on the {@link SimulatedStorage}: concurrent
 * senders append, a reader delivers and commits, and at a random moment the machine "loses power"
 * (every write not yet forced may be lost, cut short, or kept in part; every fourth cycle the
 * power goes in the middle of a write). The log is then recovered
 * from what the disk kept, and the next cycle runs on it. Every record whose append returned
 * ACCEPTED must be delivered at some point (0 acknowledged records lost), and recovery must never
 * fail. The cycles default to 1,000 ({@code -Dportflow.powerloss.cycles=N}); the seed is printed
 * and can be replayed with {@code -Dportflow.seed=S} (threads make a replay close, not exact).
 */
class PowerLossTest {

    private static final DiskLog.Limits LIMITS =
            new DiskLog.Limits(64, 1L << 20, 1024, 0, TimeUnit.MILLISECONDS.toNanos(1));

    /** The writer's warnings about the lost power, once per crash, would drown the test's output. */
    private static final java.util.logging.Logger DISK_LOG = java.util.logging.Logger.getLogger("dev.portflow.disk");

    @Test
    void noAcknowledgedRecordIsLostAcrossAThousandPowerLosses() throws Exception {
        java.util.logging.Level level = DISK_LOG.getLevel();
        DISK_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
            powerLosses();
        } finally {
            DISK_LOG.setLevel(level);
        }
    }

    private void powerLosses() throws Exception {
        long seed = Long.getLong("portflow.seed", System.nanoTime());
        int cycles = Integer.getInteger("portflow.powerloss.cycles", 1000);
        String replay = "seed " + seed + " (replay with -Dportflow.seed=" + seed + ")";
        System.out.println("PowerLossTest: " + cycles + " cycles, " + replay);
        Random random = new Random(seed);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        long truncatedBytes = 0;
        long recovered = 0;
        SimulatedStorage storage = new SimulatedStorage();
        for (int cycle = 0; cycle < cycles; cycle++) {
            DiskLog log;
            try {
                log = DiskLog.open(storage, LIMITS);
            } catch (Exception e) {
                throw new AssertionError("recovery failed in cycle " + cycle + ", " + replay, e);
            }
            recovered += log.recordsRecovered();
            truncatedBytes += log.bytesTruncated();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                String prefix = cycle + "-" + t + "-";
                threads.add(Thread.ofPlatform().start(() -> send(log, prefix, stop, acknowledged)));
            }
            long readerSeed = random.nextLong();
            threads.add(Thread.ofPlatform().start(() -> read(log, new Random(readerSeed), stop, delivered)));

            SimulatedStorage survived = null;
            if (cycle % 4 == 0) {
                // the power goes in the middle of a write: a record cut short is on the disk
                storage.crashDuringNextWrite(random);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                survived = storage.survivor();
                while (survived == null && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(100_000);
                    survived = storage.survivor();
                }
            }
            if (survived == null) {
                LockSupport.parkNanos(random.nextInt(3_000_000)); // the power goes at a random instant
                survived = storage.crash(random);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(t.isAlive())
                        .as("a thread hangs after the crash of cycle " + cycle + ", " + replay)
                        .isFalse();
            }
            log.close();
            storage = survived;
        }
        try (DiskLog log = DiskLog.open(storage, LIMITS)) {
            DiskLog.Cursor cursor = log.cursor();
            for (List<SegmentScanner.Frame> frames = cursor.read(1000); !frames.isEmpty(); frames = cursor.read(1000)) {
                frames.forEach(f -> delivered.add(new String(f.payload(), StandardCharsets.UTF_8)));
            }
        }
        System.out.println("PowerLossTest: " + acknowledged.size() + " records acknowledged, " + delivered.size()
                + " delivered, " + recovered + " recovered after power losses, " + truncatedBytes
                + " bytes of cut-short writes truncated");
        Set<String> lost = new java.util.TreeSet<>(acknowledged);
        lost.removeAll(delivered);
        assertThat(lost).as("acknowledged records never delivered, " + replay).isEmpty();
        assertThat(acknowledged.size()).as("the cycles exercised the log").isGreaterThan(cycles);
        assertThat(truncatedBytes).as("some crashes cut a write short").isPositive();
    }

    private static void send(DiskLog log, String prefix, AtomicBoolean stop, Set<String> acknowledged) {
        try {
            for (int k = 0; !stop.get(); k++) {
                String id = prefix + k;
                DiskLog.Append outcome = log.append(id.getBytes(StandardCharsets.UTF_8), k, k);
                switch (outcome) {
                    case ACCEPTED -> acknowledged.add(id);
                    case FULL, UNAVAILABLE -> {
                        if (!log.awaitRoom(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2))) {
                            continue;
                        }
                    }
                    case CLOSED -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void read(DiskLog log, Random random, AtomicBoolean stop, Set<String> delivered) {
        DiskLog.Cursor cursor = log.cursor();
        try {
            while (!stop.get()) {
                List<SegmentScanner.Frame> frames = cursor.read(1 + random.nextInt(20));
                if (frames.isEmpty()) {
                    cursor.await(TimeUnit.MILLISECONDS.toNanos(1));
                    continue;
                }
                frames.forEach(f -> delivered.add(new String(f.payload(), StandardCharsets.UTF_8)));
                log.release(frames.size());
                if (random.nextInt(3) == 0) {
                    log.commit(frames.getLast().seq() + 1); // done with everything delivered so far
                }
            }
        } catch (java.io.IOException crashed) {
            // the machine lost power under the reader
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
