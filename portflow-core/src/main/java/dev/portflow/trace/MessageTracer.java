package dev.portflow.trace;

import dev.portflow.time.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * What the runtime tells about the path of messages, for one pipeline. Times are readings of the
 * pipeline's {@link Ticker} (given to {@link Tracing#forPipeline}); an implementation maps them to
 * wall time. Called on the threads that move messages, so implementations must be thread-safe and
 * cheap for the untraced case: the runtime asks only {@link #enter} per entering message (the head
 * sampling decision) and nothing per untraced message after it except an age comparison against
 * {@link #slowAfterNanos()}, which it reads once, when it builds the pipeline. Spans are children of
 * the context the message carried: a stage's wait and its handling both hang from the span of the
 * stage (or entry) that sent the message.
 *
 * <p>Spans tile a message's life: the caller of {@code enter} ends the entry span at the reading it
 * sends the message with as its enqueue time (the hand-off), which is where the next stage's wait
 * span starts; a stage's span ends when its handler returns, shortly after the send that starts the
 * next wait.
 */
public interface MessageTracer {

    /**
     * A message enters the pipeline at {@code component} (a source's emit, an ingress request).
     * Decides whether it is traced (head sampling; a {@code traceparent} that is sampled is always
     * continued) and, if so, starts the entry span at {@code originNanos}. The caller reads the
     * hand-off time, sends the message with the span's {@link StageSpan#context() context} and that
     * reading as its enqueue time, and ends the span at it: the next stage's wait span starts there,
     * so a wait for room in a full buffer is part of that wait, not of the entry.
     *
     * @param traceparent the caller's W3C {@code traceparent}, or null
     * @return the entry span, or null when the message is not traced
     */
    @Nullable
    StageSpan enter(String component, @Nullable String traceparent, long originNanos);

    /**
     * A source emits a message at {@code component}: as {@link #enter(String, String, long) enter(component,
     * null, ticker.read())}, but an implementation should read {@code ticker} only for a message it
     * traces. A source calls this per message, and a clock read for each untraced one costs more than
     * the rest of tracing's untraced path (docs/tracing.md, "Cost"). This default reads it always.
     *
     * @param ticker the pipeline's ticker
     * @return the entry span, or null when the message is not traced
     */
    default @Nullable StageSpan enter(String component, Ticker ticker) {
        return enter(component, null, ticker.read());
    }

    /**
     * A stage takes a traced message from its input {@code port}: records the wait in that buffer
     * ({@code enqueuedNanos} to {@code receivedNanos}) and starts the stage's span at {@code receivedNanos},
     * both children of {@code parent}.
     */
    StageSpan stage(TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos);

    /**
     * An untraced message turned out slow (its age passed {@link #slowAfterNanos()}) or failed at
     * {@code component}: starts its trace there, with one span for its life before it entered this
     * stage's buffer ({@code originNanos} to {@code enqueuedNanos}), then as {@link #stage}. From here on it is traced
     * like a sampled one. Null when the tracer declines (a rate limit on late traces).
     *
     * @param why {@code "slow"} or {@code "error"}
     */
    @Nullable
    StageSpan late(String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why);

    /**
     * The age at which an untraced message is traced from where it is seen; {@code Long.MAX_VALUE}:
     * never. Fixed for the tracer: the runtime reads it once.
     */
    long slowAfterNanos();
}
