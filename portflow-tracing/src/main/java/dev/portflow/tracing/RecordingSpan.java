package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import org.jspecify.annotations.Nullable;

/**
 * A span {@link SpanRecorder} records, while it is open: its ids as longs, its shape and its start. It is the
 * {@link StageSpan} the runtime ends, which records it into the ending thread's {@link SpanLog}, and the
 * {@link TraceContext} its children hang from (immutable as such). Its ids are made in hex only when asked (an
 * exemplar at a scrape, a context sent over a wire, an error envelope), never to record it.
 */
final class RecordingSpan implements StageSpan, TraceContext {

    private final SpanRecorder recorder;
    private final SpanShape shape;
    private final long traceIdHigh;
    private final long traceIdLow;
    private final long spanId;
    /** The parent in this process (0: see {@link #remoteParent}). */
    private final long parentSpanId;
    /** A parent from elsewhere: a caller's {@code traceparent}, or ids carried over a wire; null for a root. */
    private final @Nullable SpanContext remoteParent;

    private final long startEpochNanos;

    RecordingSpan(
            SpanRecorder recorder,
            SpanShape shape,
            long traceIdHigh,
            long traceIdLow,
            long spanId,
            long parentSpanId,
            @Nullable SpanContext remoteParent,
            long startEpochNanos) {
        this.recorder = recorder;
        this.shape = shape;
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.remoteParent = remoteParent;
        this.startEpochNanos = startEpochNanos;
    }

    long traceIdHigh() {
        return traceIdHigh;
    }

    long traceIdLow() {
        return traceIdLow;
    }

    long spanIdValue() {
        return spanId;
    }

    /** Records it, ended at {@code endEpochNanos}, into the calling thread's log. */
    void endAt(long endEpochNanos, long blockedNanos, @Nullable Throwable error) {
        recorder.log()
                .append(
                        shape.id(),
                        traceIdHigh,
                        traceIdLow,
                        spanId,
                        parentSpanId,
                        remoteParent,
                        startEpochNanos,
                        endEpochNanos,
                        blockedNanos,
                        error);
    }

    // StageSpan: the runtime ends a stage's or an entry's span

    @Override
    public TraceContext context() {
        return this;
    }

    @Override
    public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {
        endAt(recorder.epochNanos(endNanos), blockedNanos, error);
    }

    // TraceContext

    @Override
    public String traceId() {
        return TraceId.fromLongs(traceIdHigh, traceIdLow);
    }

    @Override
    public String spanId() {
        return SpanId.fromLong(spanId);
    }

    @Override
    public String toString() {
        return "RecordingSpan{" + shape.name() + ", trace " + traceId() + ", span " + spanId() + "}";
    }
}
