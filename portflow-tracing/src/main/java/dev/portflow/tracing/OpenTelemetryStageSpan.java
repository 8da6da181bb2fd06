package dev.portflow.tracing;

import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An open OpenTelemetry span that the runtime ends: an entry span ({@code enter <component>}) or a stage's
 * span ({@code <component>}). Its end is the runtime's reading, mapped by the pipeline's {@link EpochClock};
 * the time the stage waited on full outputs is the attribute {@value #BLOCKED_MS_NAME} (when it did); a
 * failure is recorded as an exception event with an error status.
 */
final class OpenTelemetryStageSpan implements StageSpan {

    static final String BLOCKED_MS_NAME = "portflow.blocked_ms";
    static final AttributeKey<Double> BLOCKED_MS = AttributeKey.doubleKey(BLOCKED_MS_NAME);

    private final Span span;
    private final OpenTelemetryTraceContext context;
    private final EpochClock clock;

    OpenTelemetryStageSpan(Span span, EpochClock clock) {
        this.span = span;
        this.context = new OpenTelemetryTraceContext(span);
        this.clock = clock;
    }

    @Override
    public TraceContext context() {
        return context;
    }

    @Override
    public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {
        if (blockedNanos > 0) {
            span.setAttribute(BLOCKED_MS, blockedNanos / 1e6);
        }
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.toString());
        }
        span.end(clock.epochNanos(endNanos), TimeUnit.NANOSECONDS);
    }
}
