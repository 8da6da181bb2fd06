package dev.portflow.tracing;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.SamplingGaps;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One pipeline's {@link MessageTracer} as OpenTelemetry spans (docs/tracing.md, "OpenTelemetry and OTLP"):
 *
 * <ul>
 *   <li>{@code enter <component>} (kind {@code PRODUCER}): the entry, from the message's origin to its
 *       hand-off into the first buffer (a source's: that instant); a root span, or the child of a caller's
 *       {@code traceparent};
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
 * <p>This decides which messages are traced and which spans they get; a {@link SpanMaker} makes the spans
 * (through an OpenTelemetry tracer, or recorded by Portflow), with names and attributes made once per
 * component and port ({@link SpanShapes}).
 */
final class OpenTelemetryMessageTracer implements MessageTracer {

    static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("portflow.pipeline");
    static final AttributeKey<String> COMPONENT = AttributeKey.stringKey("portflow.component");
    static final AttributeKey<String> PORT = AttributeKey.stringKey("portflow.port");
    static final AttributeKey<String> LATE = AttributeKey.stringKey("portflow.late");

    private final SpanMaker spans;
    private final SpanShapes shapes;
    private final EpochClock clock;
    private final double sampleRatio;
    private final SamplingGaps gaps;
    private final long slowAfterNanos;
    private final LateTraceLimit lateLimit;
    private final Traceparents traceparents;

    OpenTelemetryMessageTracer(
            SpanMaker spans,
            EpochClock clock,
            String pipeline,
            Ticker ticker,
            TracingSettings settings,
            Traceparents traceparents) {
        this.spans = spans;
        this.shapes = new SpanShapes(pipeline);
        this.clock = clock;
        this.sampleRatio = settings.sampleRatio();
        this.gaps = SamplingGaps.atRatio(sampleRatio);
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
        return spans.open(shapes.entry(component), null, caller, clock.epochNanos(originNanos));
    }

    /** A source's head sampling: a geometric gap, one draw per traced message. */
    @Override
    public long untracedGap() {
        return gaps.draw();
    }

    /** A source's message at the end of its gap: traced, its entry starting at its hand-off. */
    @Override
    public @Nullable StageSpan enterPicked(String component, long handOffNanos) {
        return spans.open(shapes.entry(component), null, null, clock.epochNanos(handOffNanos));
    }

    private boolean headSampled() {
        return sampleRatio >= 1.0
                || (sampleRatio > 0.0 && ThreadLocalRandom.current().nextDouble() < sampleRatio);
    }

    @Override
    public StageSpan stage(TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
        return stage(parent, shapes.at(component, port), enqueuedNanos, receivedNanos);
    }

    /** The wait span (ended) and the stage span (open) of a message taken, siblings under {@code parent}. */
    private StageSpan stage(TraceContext parent, SpanShapes.AtPort at, long enqueuedNanos, long receivedNanos) {
        long received = clock.epochNanos(receivedNanos);
        spans.ended(at.waitShape(), parent, clock.epochNanos(enqueuedNanos), received);
        StageSpan stage = spans.open(at.stageShape(), parent, null, received);
        return stage != null ? stage : new UnrecordedSpan(parent);
    }

    @Override
    public @Nullable StageSpan late(
            String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why) {
        if (!lateLimit.tryAcquire(receivedNanos)) {
            return null;
        }
        SpanShapes.AtPort at = shapes.at(component, port);
        TraceContext before =
                spans.ended(at.late(why), null, clock.epochNanos(originNanos), clock.epochNanos(enqueuedNanos));
        return before == null ? null : stage(before, at, enqueuedNanos, receivedNanos);
    }

    @Override
    public long slowAfterNanos() {
        return slowAfterNanos;
    }
}
