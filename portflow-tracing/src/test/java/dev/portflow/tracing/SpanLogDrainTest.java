package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drain between the threads' span logs and the span processor. */
class SpanLogDrainTest {

    /** Keeps what it is handed; {@link #release}, while not counted down, makes {@code onEnd} wait. */
    private static final class Kept implements SpanProcessor {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            spans.add(span.toSpanData());
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    private final Kept processor = new Kept();
    private final SpanLogDrain drain = new SpanLogDrain(processor, Resource.getDefault());
    private final SpanShape shape = drain.shapes().add("map", SpanKind.CONSUMER, Attributes.empty());

    @AfterEach
    void close() {
        processor.release.countDown();
        drain.close();
    }

    private void record(long n) {
        drain.log().append(shape.id(), 1L, 2L, n, 0L, null, n * 100, n * 100 + 50, 0L, null);
    }

    @Test
    void aFlushHandsTheProcessorEverySpanRecordedSoFar() {
        for (long n = 1; n <= 3; n++) {
            record(n);
        }
        drain.flush();

        assertThat(processor.spans).hasSize(3);
        SpanData first = processor.spans.getFirst();
        assertThat(first.getName()).isEqualTo("map");
        assertThat(first.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(first.getTraceId()).isEqualTo("00000000000000010000000000000002");
        assertThat(first.getSpanId()).isEqualTo("0000000000000001");
        assertThat(first.getStartEpochNanos()).isEqualTo(100);
        assertThat(first.getEndEpochNanos()).isEqualTo(150);
        assertThat(first.getResource()).isEqualTo(Resource.getDefault());
        assertThat(processor.spans)
                .extracting(SpanData::getSpanId)
                .containsExactly("0000000000000001", "0000000000000002", "0000000000000003");
    }

    @Test
    void itsThreadDrainsWithoutBeingAsked() {
        record(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> processor.spans.size() == 1);
    }

    @Test
    void spansOfEveryThreadReachTheProcessorAndAThreadThatEndedIsForgotten() throws Exception {
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofVirtual().start(() -> {
                for (long n = 1; n <= 1000; n++) {
                    record(n);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        drain.flush();
        assertThat(processor.spans).hasSize(4000);
        assertThat(drain.logCount()).isZero(); // the four ended; the test's thread recorded nothing
        assertThat(drain.dropped()).isZero();
    }

    @Test
    void closeHandsOverWhatIsLeftAndStopsTheThread() {
        record(1);
        drain.close();
        assertThat(processor.spans).hasSize(1);
        record(2); // after close: never handed over, and no thread left to do it
        drain.close();
        assertThat(processor.spans).hasSize(1);
    }

    @Test
    void aThreadThatOutrunsTheDrainDropsSpansCountedAndWarned() {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(SpanLogDrain.class.getName());
        logger.addHandler(handler);
        try {
            processor.release = new CountDownLatch(1); // the drain gets stuck in the processor's onEnd
            record(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> processor.entered.getCount() == 0);
            // the stuck drain has not freed record 0: room for capacity - 1 more
            for (long n = 1; n <= SpanLogDrain.LOG_CAPACITY + 9; n++) {
                record(n);
            }
            processor.release.countDown();
            assertThat(drain.dropped()).isEqualTo(10);
            drain.flush();
            assertThat(processor.spans).hasSize(SpanLogDrain.LOG_CAPACITY);
            assertThat(warnings).anySatisfy(w -> assertThat(w.getMessage()).contains("spans dropped"));
        } finally {
            logger.removeHandler(handler);
        }
    }
}
