package dev.portflow.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portflow.message.JsonMessage;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.OverflowPolicy;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.PipelineBuilder;
import dev.portflow.trace.RecordingTracing;
import dev.portflow.trace.RecordingTracing.Span;
import dev.portflow.trace.TraceContext;
import dev.portflow.trace.TracedAndPlain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces across a disk edge (docs/disk-transport.md, "On disk"): a traced message's record carries
 * its trace context (a version 2 record), the receiving stage's spans continue the trace as children
 * of the sending stage's span, also after a restart, and records written before (version 1) still read.
 */
@Timeout(60)
class DiskTraceContextTest {

    private static final long MS = 1_000_000L;
    private static final DiskEdge EDGE =
            new DiskEdge("orders", "map", "out_orders", "store", "in_orders", 100, 1 << 20);

    @TempDir
    Path dataDir;

    /**
     * "traced" and "plain" -> map -> the disk edge, traced with {@code tracer}, which samples what
     * "traced" emits (five messages) and not what "plain" emits (five more).
     */
    private static PipelineBuilder sending(RecordingTracing tracer, DiskTransport disk) {
        return TracedAndPlain.throughMap("orders", tracer)
                .connect(
                        "map.out_orders",
                        disk.sendingLink(EDGE, DiskCodec.jsonMessages()),
                        ConnectionOptions.defaults().capacity(100).overflow(OverflowPolicy.BLOCK));
    }

    /** Adds the receiving end to {@code builder}: the disk receiver feeding a sink that records ids. */
    private static Pipeline receiving(PipelineBuilder builder, DiskReceiver<JsonMessage> in, List<String> ids) {
        Pipeline p = builder.source("disk_in", JsonMessage.class, in)
                .sink("store", JsonMessage.class, m -> ids.add(m.id()))
                .connect(
                        "disk_in.out_records",
                        "store.in_orders",
                        ConnectionOptions.defaults().capacity(16))
                .bindRemote("store.in_orders", in.backlog())
                .build();
        in.watch(p);
        return p;
    }

    /**
     * Each sampled message's spans past the edge: the same trace, children of the sending stage's
     * span ({@code map}'s), the wait starting when the record was appended (inside that span); the
     * untraced messages carried no context, and the receiver started no trace of its own.
     */
    private static void assertContinued(List<Span> mapSpans, RecordingTracing receiver, long minWait) {
        assertThat(mapSpans).hasSize(5);
        assertThat(receiver.allNamed("wait store.in_orders")).hasSize(5);
        assertThat(receiver.spans()).noneMatch(s -> s.name().equals("enter disk_in"));
        for (Span map : mapSpans) {
            Span wait = receiver.childNamed("wait store.in_orders", map);
            Span store = receiver.childNamed("store", map);
            assertThat(wait.traceId()).isEqualTo(map.traceId());
            assertThat(store.traceId()).isEqualTo(map.traceId());
            assertThat(store.start()).isEqualTo(wait.end());
            assertThat(wait.start()).isBetween(map.start() - 20 * MS, map.end() + 20 * MS);
            assertThat(wait.nanos()).isGreaterThanOrEqualTo(minWait);
        }
    }

    @Test
    void aTracedMessageKeepsItsTraceAcrossTheDiskEdge() throws Exception {
        RecordingTracing tracer = TracedAndPlain.sampler();
        List<String> ids = new CopyOnWriteArrayList<>();
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir))) {
            DiskReceiver<JsonMessage> in = disk.receiver(EDGE, DiskCodec.jsonMessages());
            try (Pipeline pipeline = receiving(sending(tracer, disk), in, ids)) {
                pipeline.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> ids.size() == 10);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> tracer.allNamed("store").size() == 5);
                pipeline.drain(Duration.ofSeconds(10));
            }
        }
        assertContinued(tracer.allNamed("map"), tracer, 0);
    }

    @Test
    void aRestartKeepsTheTraceContextOfTheRecordsNotYetDelivered() throws Exception {
        RecordingTracing before = TracedAndPlain.sampler();
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir))) {
            Pipeline sender = sending(before, disk).build().start(); // nobody reads the edge in this life
            assertThat(sender.awaitTermination(Duration.ofSeconds(30))).isTrue();
        }
        Thread.sleep(300); // on disk, across the restart

        RecordingTracing after = new RecordingTracing(source -> false, Long.MAX_VALUE);
        List<String> ids = new CopyOnWriteArrayList<>();
        try (DiskTransport disk = DiskTransport.open(DiskSettings.of(dataDir))) {
            DiskReceiver<JsonMessage> in = disk.receiver(EDGE, DiskCodec.jsonMessages());
            try (Pipeline pipeline = receiving(Pipeline.builder("orders").tracing(after), in, ids)) {
                pipeline.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> ids.size() == 10);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> after.allNamed("store").size() == 5);
                pipeline.drain(Duration.ofSeconds(10));
            }
        }
        assertContinued(before.allNamed("map"), after, 300 * MS);
    }

    private static TraceContext context(String traceId, String spanId) {
        return new TraceContext() {
            @Override
            public String traceId() {
                return traceId;
            }

            @Override
            public String spanId() {
                return spanId;
            }
        };
    }

    /** A version 1 record as the log wrote it before trace contexts, laid out by hand. */
    private static byte[] versionOneRecord(long seq, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(25 + bytes.length);
        body.put((byte) 1).putLong(seq).putLong(11L).putLong(22L).put(bytes);
        return frame(body.array());
    }

    private static byte[] frame(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(8 + body.length)
                .putInt(body.length)
                .putInt((int) crc.getValue())
                .put(body)
                .array();
    }

    @Test
    void recordsWrittenBeforeTraceContextsStillReadBesideTracedOnesAndAnUnknownVersionIsDamage() throws Exception {
        SimulatedStorage storage = new SimulatedStorage();
        String segment = DiskLog.segmentName(0);
        LogFile file = storage.open(segment, true);
        // a version this code does not know (3), checksum and all, between two version 1 records:
        // not a record it can read, so damage, and the record after it is still delivered
        byte[] unknown = versionOneRecord(1, "future");
        unknown[8] = 3;
        CRC32C crc = new CRC32C();
        crc.update(unknown, 8, unknown.length - 8);
        ByteBuffer.wrap(unknown).putInt(4, (int) crc.getValue());
        ByteBuffer old = ByteBuffer.allocate(200);
        old.put(versionOneRecord(0, "old-0")).put(unknown).put(versionOneRecord(2, "old-1"));
        file.write(old.flip(), 0);
        file.force();
        storage.syncDirectory();
        file.close();

        DiskLog.Limits limits = new DiskLog.Limits(10_000, 64L << 20, 4096, 0, TimeUnit.MILLISECONDS.toNanos(1));
        TraceContext context = context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        byte[] trace = RecordTrace.encode(context);
        assertThat(trace).isNotNull();
        try (DiskLog log = DiskLog.open(storage, limits)) {
            assertThat(log.recordsRecovered()).isEqualTo(2);
            assertThat(log.damagedRegions()).isEqualTo(1);
            assertThat(log.append(DiskLogTest.bytes("new-traced"), trace, 33L, 44L))
                    .isEqualTo(DiskLog.Append.ACCEPTED);
            assertThat(log.append(DiskLogTest.bytes("new-untraced"), 55L, 66L)).isEqualTo(DiskLog.Append.ACCEPTED);
        }
        // the traced record is version 2: the ids right after the fixed fields, covered by the checksum
        byte[] content = storage.content(segment);
        int traced = old.limit();
        assertThat(content[traced + 8]).isEqualTo((byte) 2);
        assertThat(HexFormat.of().formatHex(content, traced + 8 + 25, traced + 8 + 25 + 24))
                .isEqualTo(context.traceId() + context.spanId());

        try (DiskLog log = DiskLog.open(storage, limits)) { // recovery reads both versions
            assertThat(log.recordsRecovered()).isEqualTo(4);
            List<SegmentScanner.Frame> frames = DiskLogTest.readAll(log.cursor());
            assertThat(frames)
                    .extracting(DiskLogTest::text)
                    .containsExactly("old-0", "old-1", "new-traced", "new-untraced");
            assertThat(frames)
                    .extracting(SegmentScanner.Frame::originEpochNanos)
                    .containsExactly(11L, 11L, 33L, 55L);
            assertThat(frames)
                    .extracting(SegmentScanner.Frame::appendedEpochNanos)
                    .containsExactly(22L, 22L, 44L, 66L);
            assertThat(frames.get(0).trace()).isNull();
            assertThat(frames.get(1).trace()).isNull();
            assertThat(frames.get(3).trace()).isNull();
            byte[] read = frames.get(2).trace();
            assertThat(read).isNotNull();
            assertThat(RecordTrace.decode(java.util.Objects.requireNonNull(read)))
                    .isEqualTo(new RecordTrace(context.traceId(), context.spanId()));
        }
    }

    @Test
    void aContextWithoutW3cIdsIsNotWrittenAndTheMessageGoesUntraced() {
        assertThat(RecordTrace.encode(context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")))
                .hasSize(RecordFrame.TRACE_BYTES);
        assertThat(RecordTrace.encode(context("4BF92F3577B34DA6A3CE929D0E0E4736", "00f067aa0ba902b7")))
                .isNull();
        assertThat(RecordTrace.encode(context("abc", "00f067aa0ba902b7"))).isNull();
        assertThat(RecordTrace.encode(context("0".repeat(32), "00f067aa0ba902b7")))
                .isNull();
        assertThat(RecordTrace.encode(context("4bf92f3577b34da6a3ce929d0e0e4736", "0".repeat(16))))
                .isNull();
    }
}
