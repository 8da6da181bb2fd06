package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A span {@link SpanRecorder} records: a few longs and a reference to its {@link SpanShape} on the thread
 * that makes it, where the SDK's own span builds an attribute map, a lock and a clock per span (about 1 KB).
 * Its ids in hex, its attributes and its export data are made only when the exporter asks, on the export
 * thread. It is the {@link StageSpan} the runtime ends, the {@link TraceContext} its children hang from
 * (immutable as such: the ids are final), the {@link ReadableSpan} the span processor takes and the {@link
 * SpanData} the exporter reads.
 *
 * <p>The end is written by the thread that ends the span before it hands the span to the processor, whose
 * queue publishes it to the export thread; nothing reads it before.
 */
final class RecordedSpan implements StageSpan, TraceContext, ReadableSpan, SpanData {

    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

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
    private long endEpochNanos;
    private long blockedNanos;
    private @Nullable Throwable error;
    private boolean ended;
    // Made on first use, by the export thread, and kept: an exporter reads each several times per span
    // (OTLP's marshaler once to size the request and once to write it). Immutable objects whose fields
    // are final, so a second thread that read one early would see it whole or make an equal one.
    private @Nullable SpanContext spanContext;
    private @Nullable SpanContext parentContext;
    private @Nullable Attributes attributes;

    RecordedSpan(
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

    /** Ends it at {@code endEpochNanos} and hands it to the processor. */
    void endAt(long endEpochNanos) {
        this.endEpochNanos = endEpochNanos;
        this.ended = true;
        recorder.handOff(this);
    }

    // StageSpan: the runtime ends a stage's or an entry's span

    @Override
    public TraceContext context() {
        return this;
    }

    @Override
    public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {
        this.blockedNanos = blockedNanos;
        this.error = error;
        endAt(recorder.epochNanos(endNanos));
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

    // ReadableSpan and SpanData: read by the processor and the exporter

    @Override
    public SpanContext getSpanContext() {
        SpanContext context = spanContext;
        if (context == null) {
            context = SpanContext.create(traceId(), spanId(), TraceFlags.getSampled(), TraceState.getDefault());
            spanContext = context;
        }
        return context;
    }

    @Override
    public SpanContext getParentSpanContext() {
        if (remoteParent != null) {
            return remoteParent;
        }
        if (parentSpanId == 0L) {
            return SpanContext.getInvalid();
        }
        SpanContext parent = parentContext;
        if (parent == null) {
            parent = SpanContext.create( // the trace id's hex from this span's own context
                    getSpanContext().getTraceId(),
                    SpanId.fromLong(parentSpanId),
                    TraceFlags.getSampled(),
                    TraceState.getDefault());
            parentContext = parent;
        }
        return parent;
    }

    @Override
    public String getName() {
        return shape.name();
    }

    @Override
    public SpanKind getKind() {
        return shape.kind();
    }

    @Override
    public SpanData toSpanData() {
        return this;
    }

    @Override
    public boolean hasEnded() {
        return ended;
    }

    @Override
    public long getLatencyNanos() {
        return endEpochNanos - startEpochNanos;
    }

    @Override
    public <T> @Nullable T getAttribute(AttributeKey<T> key) {
        return getAttributes().get(key);
    }

    /** The shape's attributes, and {@code portflow.blocked_ms} when the stage waited on a full output. */
    @Override
    public Attributes getAttributes() {
        if (blockedNanos <= 0) {
            return shape.attributes();
        }
        Attributes all = attributes;
        if (all == null) {
            all = shape.attributes().toBuilder()
                    .put(OpenTelemetryStageSpan.BLOCKED_MS, blockedNanos / 1e6)
                    .build();
            attributes = all;
        }
        return all;
    }

    /** As many as {@link #getAttributes()} has, counted without building them again. */
    @Override
    public int getTotalAttributeCount() {
        return shape.attributes().size() + (blockedNanos > 0 ? 1 : 0);
    }

    @Override
    public StatusData getStatus() {
        Throwable failure = error;
        return failure == null ? StatusData.unset() : StatusData.create(StatusCode.ERROR, failure.toString());
    }

    /** A failure's {@code exception} event, at the span's end (as the SDK's {@code recordException} has it). */
    @Override
    public List<EventData> getEvents() {
        Throwable failure = error;
        if (failure == null) {
            return List.of();
        }
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        var attributes = Attributes.builder()
                .put(EXCEPTION_TYPE, failure.getClass().getName())
                .put(EXCEPTION_STACKTRACE, trace.toString());
        String message = failure.getMessage();
        if (message != null) {
            attributes.put(EXCEPTION_MESSAGE, message);
        }
        return List.of(EventData.create(endEpochNanos, "exception", attributes.build()));
    }

    @Override
    public int getTotalRecordedEvents() {
        return error == null ? 0 : 1;
    }

    @Override
    public List<LinkData> getLinks() {
        return List.of();
    }

    @Override
    public int getTotalRecordedLinks() {
        return 0;
    }

    @Override
    public long getStartEpochNanos() {
        return startEpochNanos;
    }

    @Override
    public long getEndEpochNanos() {
        return endEpochNanos;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return SpanRecorder.SCOPE;
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation") // both interfaces still declare it; the scope above is what exporters read
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return SpanRecorder.LIBRARY;
    }

    @Override
    public Resource getResource() {
        return recorder.resource();
    }

    @Override
    public String toString() {
        return "RecordedSpan{" + getName() + ", trace " + traceId() + ", span " + spanId() + "}";
    }
}
