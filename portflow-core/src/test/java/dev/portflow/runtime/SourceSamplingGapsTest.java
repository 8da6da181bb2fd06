package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.RecordingTracing;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import dev.portflow.trace.Tracing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A source samples by the tracer's gaps: that many messages untraced, then one picked, then the next gap. */
@Timeout(30)
class SourceSamplingGapsTest {

    /** Gaps of two; records at which message each trace starts. */
    private static final class GapsOfTwo implements Tracing, MessageTracer {
        final RecordingTracing recording = new RecordingTracing(source -> true, Long.MAX_VALUE);
        final AtomicInteger emitting = new AtomicInteger(-1); // the message the source is emitting
        final List<Integer> picked = new CopyOnWriteArrayList<>();
        final AtomicInteger gaps = new AtomicInteger();

        @Override
        public MessageTracer forPipeline(String pipeline, Ticker ticker) {
            recording.forPipeline(pipeline, ticker);
            return this;
        }

        @Override
        public long untracedGap() {
            gaps.incrementAndGet();
            return 2;
        }

        @Override
        public @Nullable StageSpan enterPicked(String component, long handOffNanos) {
            picked.add(emitting.get());
            return recording.enter(component, null, handOffNanos);
        }

        @Override
        public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
            throw new AssertionError("a source samples by gaps, not per message");
        }

        @Override
        public StageSpan stage(TraceContext parent, String component, String port, long enqueued, long received) {
            return recording.stage(parent, component, port, enqueued, received);
        }

        @Override
        public @Nullable StageSpan late(
                String component, String port, long origin, long enqueued, long received, String why) {
            return null;
        }

        @Override
        public long slowAfterNanos() {
            return Long.MAX_VALUE;
        }
    }

    @Test
    void everyThirdMessageIsTracedWithGapsOfTwo() throws Exception {
        GapsOfTwo tracing = new GapsOfTwo();
        Pipeline pipeline = Pipeline.builder("gaps")
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 10; i++) {
                        tracing.emitting.set(i);
                        ctx.emit(i);
                    }
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        assertThat(tracing.picked).containsExactly(2, 5, 8);
        assertThat(tracing.gaps).hasValue(4); // the first, and one after each picked message
        assertThat(tracing.recording.spans())
                .filteredOn(s -> s.name().equals("enter gen"))
                .hasSize(3);
        assertThat(tracing.recording.spans())
                .filteredOn(s -> s.name().startsWith("sink"))
                .hasSize(3);
    }
}
