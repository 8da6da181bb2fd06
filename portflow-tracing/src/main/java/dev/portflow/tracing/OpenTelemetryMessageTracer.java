package dev.portflow.tracing;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One pipeline's {@link MessageTracer} as OpenTelemetry spans (docs/tracing.md, "OpenTelemetry and OTLP"):
 *
 * <ul>
 *   <li>{@code enter <component>} (kind {@code PRODUCER}): the entry, from the message's origin until the
 *       caller ends it after the send; a root span, or the child of a caller's {@code traceparent};
 *   <li>{@code wait <component>.<port>} ({@code INTERNAL}): the message in the stage's buffer, enqueued to
 *       taken;
 *   <li>{@code <component>} ({@code CONSUMER}): the stage handling it, taken to handled;
 *   <li>{@code before <component> (slow|error)} ({@code INTERNAL}): the root of a late trace, the message's
 *       life from its origin until it entered that stage's buffer.
 * </ul>
 *
 * The wait and the stage span of a message are siblings, children of the span that sent it. Every span
 * has the attributes {@code portflow.pipeline} and {@code portflow.component}; wait and stage spans also
 * {@code portflow.port} (the input port); {@code before} spans {@code portflow.late} ({@code slow} or
 * {@code error}). Kinds follow the OpenTelemetry messaging conventions: the entry sends a message into
 * the pipeline (a producer), a stage processes it (a consumer).
 *
 * <p>Every span is given its parent explicitly (a root has none): the thread's current OpenTelemetry
 * context, whatever the user's code put there, never becomes a parent.
 */
final class OpenTelemetryMessageTracer implements MessageTracer {

    static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("portflow.pipeline");
    static final AttributeKey<String> COMPONENT = AttributeKey.stringKey("portflow.component");
    static final AttributeKey<String> PORT = AttributeKey.stringKey("portflow.port");
    static final AttributeKey<String> LATE = AttributeKey.stringKey("portflow.late");

    private final Tracer tracer;
    private final String pipeline;
    private final EpochClock clock;
    private final double sampleRatio;
    private final long slowAfterNanos;
    private final LateTraceLimit lateLimit;
    private final Traceparents traceparents;
    private final SpanNames names = new SpanNames();

    OpenTelemetryMessageTracer(
            Tracer tracer, String pipeline, Ticker ticker, TracingSettings settings, Traceparents traceparents) {
        this.tracer = tracer;
        this.pipeline = pipeline;
        this.clock = new EpochClock(ticker);
        this.sampleRatio = settings.sampleRatio();
        this.slowAfterNanos = settings.slowAfterNanos();
        this.lateLimit = new LateTraceLimit(settings.lateTracesPerSecond(), ticker.read());
        this.traceparents = traceparents;
    }

    @Override
    public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
        SpanContext caller = traceparent == null ? null : traceparents.parse(traceparent);
        if (!(caller != null && caller.isSampled()) && !headSampled()) {
            return null;
        }
        return entry(component, caller, originNanos);
    }

    /** A source's message: the clock is read only once head sampling has picked it. */
    @Override
    public @Nullable StageSpan enter(String component, Ticker sourceTicker) {
        return headSampled() ? entry(component, null, sourceTicker.read()) : null;
    }

    /** The entry span of a message head sampling (or its caller) picked, continuing {@code caller}'s trace if any. */
    private @Nullable StageSpan entry(String component, @Nullable SpanContext caller, long originNanos) {
        SpanBuilder builder = span(names.entryName(component), SpanKind.PRODUCER, component, originNanos);
        if (caller == null) {
            builder.setNoParent();
        } else {
            // Portflow's decision is the decision: a caller that did not sample continues as sampled, so a
            // parent-based sampler in the SDK follows it too
            SpanContext sampled = SpanContext.createFromRemoteParent(
                    caller.getTraceId(), caller.getSpanId(), TraceFlags.getSampled(), caller.getTraceState());
            builder.setParent(Context.root().with(Span.wrap(sampled)));
        }
        Span entry = builder.startSpan();
        if (!entry.isRecording()) { // the SDK declined (disabled, or a sampler of its own)
            entry.end();
            return null;
        }
        return new OpenTelemetryStageSpan(entry, clock);
    }

    private boolean headSampled() {
        return sampleRatio >= 1.0
                || (sampleRatio > 0.0 && ThreadLocalRandom.current().nextDouble() < sampleRatio);
    }

    @Override
    public StageSpan stage(TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
        Context parentContext = parentContext(parent);
        span(names.waitName(component, port), SpanKind.INTERNAL, component, enqueuedNanos)
                .setParent(parentContext)
                .setAttribute(PORT, port)
                .startSpan()
                .end(clock.epochNanos(receivedNanos), TimeUnit.NANOSECONDS);
        Span stage = span(component, SpanKind.CONSUMER, component, receivedNanos)
                .setParent(parentContext)
                .setAttribute(PORT, port)
                .startSpan();
        return new OpenTelemetryStageSpan(stage, clock);
    }

    /**
     * The OpenTelemetry context whose span is {@code parent}: the span itself when it is one of ours,
     * or one made from its ids (a context carried over a wire).
     */
    private static Context parentContext(TraceContext parent) {
        if (parent instanceof OpenTelemetryTraceContext ours) {
            return ours.asParent();
        }
        return Context.root()
                .with(Span.wrap(SpanContext.createFromRemoteParent(
                        parent.traceId(), parent.spanId(), TraceFlags.getSampled(), TraceState.getDefault())));
    }

    @Override
    public @Nullable StageSpan late(
            String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why) {
        if (!lateLimit.tryAcquire(receivedNanos)) {
            return null;
        }
        Span before = span("before " + component + " (" + why + ")", SpanKind.INTERNAL, component, originNanos)
                .setNoParent()
                .setAttribute(PORT, port)
                .setAttribute(LATE, why)
                .startSpan();
        boolean recording = before.isRecording(); // asked before end(): an ended span records no more
        before.end(clock.epochNanos(enqueuedNanos), TimeUnit.NANOSECONDS);
        if (!recording) {
            return null;
        }
        return stage(new OpenTelemetryTraceContext(before), component, port, enqueuedNanos, receivedNanos);
    }

    @Override
    public long slowAfterNanos() {
        return slowAfterNanos;
    }

    /** A span of this pipeline and {@code component}, starting at the reading {@code startNanos}. */
    private SpanBuilder span(String name, SpanKind kind, String component, long startNanos) {
        return tracer.spanBuilder(name)
                .setSpanKind(kind)
                .setStartTimestamp(clock.epochNanos(startNanos), TimeUnit.NANOSECONDS)
                .setAttribute(PIPELINE, pipeline)
                .setAttribute(COMPONENT, component);
    }
}
