package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Spans recorded by Portflow ({@link RecordedSpan}) and handed, as they end, straight to a span processor (the
 * SDK's {@code BatchSpanProcessor}, which exports them on its own thread): what {@link
 * OpenTelemetryTracing#fromEnvironment} and {@link OpenTelemetryTracing#exporting} use. The SDK's tracer is not
 * involved: a traced message costs a few small objects instead of the SDK's kilobytes (docs/tracing.md, "What it
 * costs"). Ids are random, as the SDK's default generator makes them ({@link ThreadLocalRandom}, never zero).
 */
final class SpanRecorder implements SpanMaker {

    /** The instrumentation scope of every span, as the tracer of {@link TracerSpanMaker} has it. */
    static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create(OpenTelemetryTracing.SCOPE);

    @SuppressWarnings("deprecation") // SpanData still declares it
    static final InstrumentationLibraryInfo LIBRARY =
            InstrumentationLibraryInfo.create(OpenTelemetryTracing.SCOPE, null);

    private final SpanProcessor processor;
    private final Resource resource;
    private final EpochClock clock;

    SpanRecorder(SpanProcessor processor, Resource resource, EpochClock clock) {
        this.processor = processor;
        this.resource = resource;
        this.clock = clock;
    }

    Resource resource() {
        return resource;
    }

    long epochNanos(long reading) {
        return clock.epochNanos(reading);
    }

    /** An ended span, to the processor (its queue publishes the span to the export thread). */
    void handOff(RecordedSpan span) {
        processor.onEnd(span);
    }

    @Override
    public StageSpan open(
            SpanShape shape, @Nullable TraceContext parent, @Nullable SpanContext caller, long startEpochNanos) {
        return start(shape, parent, caller, startEpochNanos);
    }

    @Override
    public TraceContext ended(
            SpanShape shape, @Nullable TraceContext parent, long startEpochNanos, long endEpochNanos) {
        RecordedSpan span = start(shape, parent, null, startEpochNanos);
        span.endAt(endEpochNanos);
        return span;
    }

    private RecordedSpan start(
            SpanShape shape, @Nullable TraceContext parent, @Nullable SpanContext caller, long startEpochNanos) {
        long spanId = nonZero();
        if (parent instanceof RecordedSpan ours) {
            return new RecordedSpan(
                    this,
                    shape,
                    ours.traceIdHigh(),
                    ours.traceIdLow(),
                    spanId,
                    ours.spanIdValue(),
                    null,
                    startEpochNanos);
        }
        // a parent from elsewhere (ids carried over a wire, a caller's traceparent), continued as sampled:
        // Portflow's decision is the decision
        SpanContext remote = null;
        if (parent != null) {
            remote = SpanContext.createFromRemoteParent(
                    parent.traceId(), parent.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
        } else if (caller != null) {
            remote = SpanContext.createFromRemoteParent(
                    caller.getTraceId(), caller.getSpanId(), TraceFlags.getSampled(), caller.getTraceState());
        }
        if (remote != null) {
            String traceId = remote.getTraceId();
            return new RecordedSpan(
                    this,
                    shape,
                    Long.parseUnsignedLong(traceId, 0, 16, 16),
                    Long.parseUnsignedLong(traceId, 16, 32, 16),
                    spanId,
                    0L,
                    remote,
                    startEpochNanos);
        }
        long traceIdHigh = ThreadLocalRandom.current().nextLong();
        return new RecordedSpan(this, shape, traceIdHigh, nonZero(), spanId, 0L, null, startEpochNanos); // a root
    }

    private static long nonZero() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id;
        do {
            id = random.nextLong();
        } while (id == 0L);
        return id;
    }
}
