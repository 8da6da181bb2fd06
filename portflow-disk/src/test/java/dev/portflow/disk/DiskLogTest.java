package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DiskLogTest {

    private static final DiskLog.Limits SMALL_SEGMENTS =
            new DiskLog.Limits(10_000, 64L << 20, 4096, 0, TimeUnit.MILLISECONDS.toNanos(1));

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SegmentScanner.Frame f) {
        return new String(f.payload(), StandardCharsets.UTF_8);
    }

    static List<SegmentScanner.Frame> readAll(DiskLog.Cursor cursor) throws Exception {
        List<SegmentScanner.Frame> all = new ArrayList<>();
        for (List<SegmentScanner.Frame> some = cursor.read(1000); !some.isEmpty(); some = cursor.read(1000)) {
            all.addAll(some);
        }
        return all;
    }

    /** Where the records of a log of one segment end (the zeros written ahead of them start). */
    static int recordsEnd(DiskLog log) throws Exception {
        SegmentScanner.Frame last = readAll(log.cursor()).getLast();
        return (int) (last.offset() + last.length());
    }

    static void append(DiskLog log, String... payloads) throws Exception {
        for (String p : payloads) {
            assertThat(log.append(bytes(p), 1, 2)).isEqualTo(DiskLog.Append.ACCEPTED);
        }
    }

    @Test
    void concurrentAppendsAreReadBackInOrderAcrossSegmentsAndConsumedSegmentsAreDeleted() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            ConcurrentHashMap<String, Boolean> sent = new ConcurrentHashMap<>();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int sender = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 250; i++) {
                        String id = "s" + sender + "-" + i;
                        try {
                            assertThat(log.append(bytes(id), i, i)).isEqualTo(DiskLog.Append.ACCEPTED);
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        sent.put(id, true);
                    }
                }));
            }
            for (Thread t : senders) {
                t.join();
            }
            assertThat(log.depth()).isEqualTo(1000);
            long segmentsBefore =
                    storage.list().stream().filter(n -> n.endsWith(".log")).count();
            assertThat(segmentsBefore).isGreaterThan(3); // 1000 records of ~40 bytes in 4 KiB segments

            DiskLog.Cursor cursor = log.cursor();
            List<SegmentScanner.Frame> frames = readAll(cursor);
            assertThat(frames).extracting(DiskLogTest::text).containsExactlyInAnyOrderElementsOf(sent.keySet());
            for (int i = 1; i < frames.size(); i++) {
                assertThat(frames.get(i).seq()).isGreaterThan(frames.get(i - 1).seq());
            }
            // each sender's records are in the order it sent them
            for (int t = 0; t < 4; t++) {
                String prefix = "s" + t + "-";
                List<String> own = frames.stream()
                        .map(DiskLogTest::text)
                        .filter(s -> s.startsWith(prefix))
                        .toList();
                for (int i = 0; i < own.size(); i++) {
                    assertThat(own.get(i)).isEqualTo(prefix + i);
                }
            }
            long bytesBefore = log.bytesOnDisk();
            log.release(frames.size());
            log.commit(frames.getLast().seq() + 1);
            assertThat(log.depth()).isZero();
            assertThat(storage.list().stream().filter(n -> n.endsWith(".log"))).hasSize(1); // the one being written
            // the files: the records, then at most a segment's worth of zeros written ahead; and the position file
            assertThat(log.bytesOnDisk()).isLessThan(bytesBefore).isPositive();
            assertThat(storage.usedBytes() - 32 - log.bytesOnDisk()).isBetween(0L, 4096L);
        }
    }

    @Test
    void aRestartDeliversOnlyWhatIsPastTheCommittedPosition() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            append(log, "a", "b", "c", "d");
            List<SegmentScanner.Frame> frames = readAll(log.cursor());
            log.release(2);
            log.commit(frames.get(1).seq() + 1); // a and b are done with
        }
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(log.recordsRecovered()).isEqualTo(2);
            assertThat(log.depth()).isEqualTo(2);
            append(log, "e");
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).containsExactly("c", "d", "e");
        }
    }

    @Test
    void aRecordCutShortAtTheEndIsTruncatedAndCountedAtRecovery() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        String segment = DiskLog.segmentName(0);
        int end;
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            append(log, "one", "two", "three");
            end = recordsEnd(log);
        }
        byte[] content = storage.content(segment);
        assertThat(content).as("zeros written ahead of the records").hasSizeGreaterThan(end + 50);
        ByteBuffer next = ByteBuffer.allocate(RecordFrame.size(100));
        RecordFrame.write(next, 3, 1, 2, "x".repeat(100).getBytes(StandardCharsets.UTF_8));
        // half a record over the zeros after the last one: the write a crash interrupted
        System.arraycopy(next.array(), 0, content, end, 50);
        storage.damage(segment, content);

        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(log.bytesTruncated()).isEqualTo(50);
            assertThat(log.damagedRegions()).isZero();
            assertThat(storage.content(segment)).hasSize(end);
            append(log, "four");
            assertThat(readAll(log.cursor()))
                    .extracting(DiskLogTest::text)
                    .containsExactly("one", "two", "three", "four");
        }
    }

    @Test
    void theZerosWrittenAheadAreNeitherDamageNorACutShortWriteAndTheNextRecordsGoOverThem() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        String segment = DiskLog.segmentName(0);
        int end;
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            append(log, "one", "two");
            end = recordsEnd(log);
        }
        int length = storage.content(segment).length;
        assertThat(length).as("the segment is written ahead to its size").isEqualTo(4096);

        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(log.bytesTruncated()).isZero();
            assertThat(log.damagedRegions()).isZero();
            assertThat(log.recordsRecovered()).isEqualTo(2);
            assertThat(log.bytesOnDisk()).isEqualTo(end);
            assertThat(storage.content(segment))
                    .as("the zeros stay, to be written over")
                    .hasSize(length);
            append(log, "three");
            assertThat(storage.content(segment))
                    .as("written over the zeros, not after them")
                    .hasSize(length);
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).containsExactly("one", "two", "three");
        }
    }

    @Test
    void flippedBitsMidSegmentAreReportedAndTheRecordsAfterThemStillDelivered() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        List<Long> offsets = new ArrayList<>();
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            for (int i = 0; i < 20; i++) {
                append(log, "record-" + i);
            }
            for (SegmentScanner.Frame f : readAll(log.cursor())) {
                offsets.add(f.offset());
            }
        }
        String segment = DiskLog.segmentName(0);
        byte[] content = storage.content(segment);
        content[(int) (offsets.get(5) + RecordFrame.HEADER + RecordFrame.BODY_FIXED + 2)] ^= 0x10; // record 5's payload
        content[(int) (offsets.get(12) + 1)] ^= 0x01; // record 12's length
        storage.damage(segment, content);

        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(log.damagedRegions()).isEqualTo(2);
            assertThat(log.bytesTruncated()).isZero();
            assertThat(log.recordsRecovered()).isEqualTo(18);
            assertThat(log.depth()).isEqualTo(18);
            List<String> delivered =
                    readAll(log.cursor()).stream().map(DiskLogTest::text).toList();
            assertThat(delivered)
                    .hasSize(18)
                    .doesNotContain("record-5", "record-12")
                    .contains("record-19");
            append(log, "after");
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).endsWith("after");
        }
    }

    @Test
    void garbageThatLooksLikeRecordsIsNeverDelivered() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        int end;
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            append(log, "first");
            end = recordsEnd(log);
        }
        String segment = DiskLog.segmentName(0);
        byte[] content = storage.content(segment);
        byte[] damaged = Arrays.copyOf(content, Math.max(content.length, end + 4000));
        java.util.Random random = new java.util.Random(7);
        for (int i = end; i < end + 4000; i++) {
            damaged[i] = (byte) (random.nextInt(255) + 1); // never zero, so the stretch ends where the garbage does
        }
        storage.damage(segment, damaged);
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(log.bytesTruncated()).isEqualTo(4000); // at the end: a cut-short write as far as anyone can tell
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).containsExactly("first");
        }
    }

    @Test
    void theCapacityInRecordsAndInBytesIsNeverPassed() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        int record = RecordFrame.size(1);
        try (DiskLog log = DiskLog.open(storage, new DiskLog.Limits(3, 1 << 20, 4096, 0, 1_000_000))) {
            append(log, "a", "b", "c");
            assertThat(log.append(bytes("d"), 0, 0)).isEqualTo(DiskLog.Append.FULL);
            assertThat(log.awaitRoom(System.nanoTime() + 1_000_000)).isFalse();
            log.release(1);
            assertThat(log.awaitRoom(System.nanoTime() + 1_000_000)).isTrue();
            append(log, "d");
        }
        SimulatedStorage bytesLimited = new SimulatedStorage();
        try (DiskLog log = DiskLog.open(bytesLimited, new DiskLog.Limits(1000, 4L * record, 4096, 0, 1_000_000))) {
            append(log, "a", "b", "c", "d");
            assertThat(log.append(bytes("e"), 0, 0)).isEqualTo(DiskLog.Append.FULL);
            assertThat(log.depth()).isEqualTo(4);
        }
    }

    @Test
    void aFullDiskRefusesWithTheReasonLosesNothingAcceptedAndResumesWhenSpaceReturns() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        long retry = TimeUnit.MILLISECONDS.toNanos(5);
        try (DiskLog log = DiskLog.open(storage, new DiskLog.Limits(10_000, 64L << 20, 4096, 0, retry))) {
            storage.limitBytes(2000); // the position file takes 32
            List<String> accepted = new ArrayList<>();
            int i = 0;
            DiskLog.Append outcome = log.append(bytes("payload-" + i), 0, 0);
            while (outcome == DiskLog.Append.ACCEPTED) {
                accepted.add("payload-" + i++);
                outcome = log.append(bytes("payload-" + i), 0, 0);
            }
            assertThat(outcome).isEqualTo(DiskLog.Append.UNAVAILABLE);
            assertThat(log.unavailableReason()).startsWith("disk full").contains("No space left on device");
            assertThat(log.writeFailures()).isEqualTo(1);
            // refused at once until the retry time; the failed write was cut back
            assertThat(log.append(bytes("x"), 0, 0)).isEqualTo(DiskLog.Append.UNAVAILABLE);
            assertThat(storage.usedBytes()).isLessThanOrEqualTo(2000);

            DiskLog.Cursor cursor = log.cursor();
            List<SegmentScanner.Frame> frames = readAll(cursor);
            assertThat(frames).extracting(DiskLogTest::text).containsExactlyElementsOf(accepted);

            // done with them: the consumed segments are deleted, which is the space the next writes take
            log.release(frames.size());
            log.commit(frames.getLast().seq() + 1);
            assertThat(log.awaitRoom(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                    .isTrue();
            assertThat(log.append(bytes("after"), 0, 0)).isIn(DiskLog.Append.ACCEPTED, DiskLog.Append.UNAVAILABLE);
            storage.limitBytes(Long.MAX_VALUE);
            assertThat(log.awaitRoom(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                    .isTrue();
            append(log, "resumed");
            assertThat(log.unavailableReason()).isNull();
            assertThat(readAll(cursor)).extracting(DiskLogTest::text).endsWith("resumed");
        }
    }

    @Test
    void aReadOnlyDirectoryRefusesWithTheReasonAndResumesWhenWritableAgain() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        try (DiskLog log = DiskLog.open(storage, new DiskLog.Limits(10_000, 64L << 20, 4096, 0, 1_000_000))) {
            append(log, "before");
            storage.failWith("Read-only file system");
            assertThat(log.append(bytes("refused"), 0, 0)).isEqualTo(DiskLog.Append.UNAVAILABLE);
            assertThat(log.unavailableReason()).isEqualTo("read-only (Read-only file system)");
            storage.failWith(null);
            assertThat(log.awaitRoom(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                    .isTrue();
            append(log, "after");
            assertThat(log.unavailableReason()).isNull();
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).containsExactly("before", "after");
        }
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).containsExactly("before", "after");
        }
    }

    @Test
    void aTornPositionWriteFallsBackToThePreviousPosition() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            append(log, "a", "b", "c");
            log.commit(1);
            log.commit(2); // the second slot
        }
        byte[] position = storage.content(PositionFile.NAME);
        position[16 + 7] ^= 0x01; // slot 0 (position 1) intact, slot 1 (position 2, bytes 16..31) torn
        storage.damage(PositionFile.NAME, position);
        try (DiskLog log = DiskLog.open(storage, SMALL_SEGMENTS)) {
            assertThat(log.committedPosition()).isEqualTo(1);
            assertThat(readAll(log.cursor())).extracting(DiskLogTest::text).containsExactly("b", "c");
        }
    }
}
