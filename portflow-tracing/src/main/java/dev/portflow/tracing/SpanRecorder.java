package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Spans recorded by Portflow: an open span is a {@link RecordingSpan}, and every ended span a record of longs in
 * its thread's {@link SpanLog}, which the {@link SpanLogDrain} turns into {@link RecordedSpan}s for the span
 * processor (the SDK's {@code BatchSpanProcessor}, which exports them on its own thread): what {@link
 * OpenTelemetryTracing#fromEnvironment} and {@link OpenTelemetryTracing#exporting} use. The SDK's tracer is not
 * involved: a traced message costs its stages an object per span they hand on and a record per span, instead
 * of the SDK's kilobytes (docs/tracing.md, "What it costs"). Ids are random, as the SDK's default generator
 * makes them ({@link ThreadLocalRandom}, never zero).
 */
final class SpanRecorder implements SpanMaker {

    /** The instrumentation scope of every span, as the tracer of {@link TracerSpanMaker} has it. */
    static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create(OpenTelemetryTracing.SCOPE);

    @SuppressWarnings("deprecation") // SpanData still declares it
    static final InstrumentationLibraryInfo LIBRARY =
            InstrumentationLibraryInfo.create(OpenTelemetryTracing.SCOPE, null);

    private final SpanLogDrain drain;
    private final EpochClock clock;

    SpanRecorder(SpanLogDrain drain, EpochClock clock) {
        this.drain = drain;
        this.clock = clock;
    }

    @Override
    public SpanShapeTable shapes() {
        return drain.shapes();
    }

    long epochNanos(long reading) {
        return clock.epochNanos(reading);
    }

    /** The calling thread's log. */
    SpanLog log() {
        return drain.log();
    }

    @Override
    public StageSpan open(
            SpanShape shape, @Nullable TraceContext parent, @Nullable SpanContext caller, long startEpochNanos) {
        return start(shape, parent, caller, startEpochNanos);
    }

    @Override
    public TraceContext ended(
            SpanShape shape, @Nullable TraceContext parent, long startEpochNanos, long endEpochNanos) {
        RecordingSpan span = start(shape, parent, null, startEpochNanos);
        span.endAt(endEpochNanos, 0L, null);
        return span;
    }

    /** A record and no object: nothing hangs from a leaf. */
    @Override
    public void endedLeaf(SpanShape shape, TraceContext parent, long startEpochNanos, long endEpochNanos) {
        if (parent instanceof RecordingSpan ours) {
            drain.log()
                    .append(
                            shape.id(),
                            ours.traceIdHigh(),
                            ours.traceIdLow(),
                            nonZero(),
                            ours.spanIdValue(),
                            null,
                            startEpochNanos,
                            endEpochNanos,
                            0L,
                            null);
        } else {
            ended(shape, parent, startEpochNanos, endEpochNanos);
        }
    }

    private RecordingSpan start(
            SpanShape shape, @Nullable TraceContext parent, @Nullable SpanContext caller, long startEpochNanos) {
        long spanId = nonZero();
        if (parent instanceof RecordingSpan ours) {
            return new RecordingSpan(
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
            return new RecordingSpan(
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
        return new RecordingSpan(this, shape, traceIdHigh, nonZero(), spanId, 0L, null, startEpochNanos); // a root
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
