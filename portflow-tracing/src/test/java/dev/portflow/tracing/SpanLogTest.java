package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** One thread's {@link SpanLog}, written and read on the test's thread. */
class SpanLogTest {

    /** A record as the reader got it. */
    record Read(
            int shapeId,
            long traceIdHigh,
            long traceIdLow,
            long spanId,
            long parentSpanId,
            @Nullable SpanContext remote,
            long start,
            long end,
            long blocked,
            @Nullable Throwable failure) {}

    private final List<Read> read = new ArrayList<>();
    private final AtomicInteger wakes = new AtomicInteger();

    private int drain(SpanLog log) {
        return log.drainTo((shape, high, low, span, parent, remote, start, end, blocked, failure) ->
                read.add(new Read(shape, high, low, span, parent, remote, start, end, blocked, failure)));
    }

    private static boolean append(SpanLog log, int n) {
        return log.append(n, 10L * n + 1, 10L * n + 2, 10L * n + 3, 10L * n + 4, null, 100L * n, 100L * n + 7, n, null);
    }

    @Test
    void recordsComeOutAsTheyWentInOldestFirst() {
        SpanLog log = new SpanLog(Thread.currentThread(), 8, wakes::incrementAndGet);
        SpanContext remote = SpanContext.createFromRemoteParent(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        IllegalStateException failure = new IllegalStateException("three");

        assertThat(append(log, 1)).isTrue();
        assertThat(log.append(2, -1L, Long.MIN_VALUE, 5L, 0L, remote, 200L, 300L, 0L, null))
                .isTrue();
        assertThat(log.append(3, 31L, 32L, 33L, 34L, null, 300L, 400L, 17L, failure))
                .isTrue();

        assertThat(drain(log)).isEqualTo(3);
        assertThat(read)
                .containsExactly(
                        new Read(1, 11L, 12L, 13L, 14L, null, 100L, 107L, 1L, null),
                        new Read(2, -1L, Long.MIN_VALUE, 5L, 0L, remote, 200L, 300L, 0L, null),
                        new Read(3, 31L, 32L, 33L, 34L, null, 300L, 400L, 17L, failure));
        read.clear();
        assertThat(drain(log)).isZero();
        assertThat(read).isEmpty();
    }

    @Test
    void aFullLogDropsAndCountsRatherThanWait() {
        SpanLog log = new SpanLog(Thread.currentThread(), 4, () -> {});
        for (int n = 0; n < 4; n++) {
            assertThat(append(log, n)).isTrue();
        }
        assertThat(append(log, 4)).isFalse();
        assertThat(append(log, 5)).isFalse();
        assertThat(log.dropped()).isEqualTo(2);

        assertThat(drain(log)).isEqualTo(4);
        assertThat(read).extracting(Read::shapeId).containsExactly(0, 1, 2, 3);
        assertThat(append(log, 6)).isTrue(); // room again once the reader freed it
        read.clear();
        drain(log);
        assertThat(read).extracting(Read::shapeId).containsExactly(6);
        assertThat(log.dropped()).isEqualTo(2);
    }

    @Test
    void wakesTheReaderEachHalfRing() {
        SpanLog log = new SpanLog(Thread.currentThread(), 8, wakes::incrementAndGet);
        for (int n = 0; n < 3; n++) {
            append(log, n);
        }
        assertThat(wakes).hasValue(0);
        append(log, 3);
        assertThat(wakes).hasValue(1);
        drain(log);
        for (int n = 4; n < 12; n++) {
            append(log, n);
        }
        assertThat(wakes).hasValue(3);
    }

    @Test
    void aShapeIdKeepsAllItsBits() {
        SpanLog log = new SpanLog(Thread.currentThread(), 2, () -> {});
        log.append(Integer.MAX_VALUE, 1L, 1L, 1L, 0L, null, 0L, 0L, 0L, new Error("x"));
        drain(log);
        assertThat(read.getFirst().shapeId()).isEqualTo(Integer.MAX_VALUE);
        assertThat(read.getFirst().remote()).isNull();
    }

    @Test
    void capacityIsAPowerOfTwo() {
        assertThatThrownBy(() -> new SpanLog(Thread.currentThread(), 6, () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }
}
