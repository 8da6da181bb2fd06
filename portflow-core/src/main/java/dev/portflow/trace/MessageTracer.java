package dev.portflow.trace;

import dev.portflow.time.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * What the runtime tells about the path of messages, for one pipeline. Times are readings of the
 * pipeline's {@link Ticker} (given to {@link Tracing#forPipeline}); an implementation maps them to
 * wall time. Called on the threads that move messages, so implementations must be thread-safe and
 * cheap for the untraced case: the runtime asks {@link #enter} per message entering through an
 * ingress (the head sampling decision), a source's messages are sampled by gaps ({@link
 * #untracedGap}), and nothing is asked per untraced message after that except an age comparison against
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
     * A message enters the pipeline at {@code component} (an ingress request; a source samples by
     * {@link #untracedGap} instead).
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
     * Head sampling for a source, by gaps: how many of its next messages to send untraced before the
     * next one it starts a trace for with {@link #enterPicked}. A source draws a gap, sends that many
     * messages without asking again, then calls {@code enterPicked} for the next and draws the next gap.
     * For a ratio {@code p} the gaps are geometric, so each message is traced with probability {@code
     * p}, independently of the others, as a draw per message would decide, for one draw per traced
     * message: an untraced message costs the source a decrement (docs/tracing.md, "What it costs").
     * {@link Long#MAX_VALUE}: trace none. The default, 0, makes the source call {@code enterPicked} for
     * every message.
     */
    default long untracedGap() {
        return 0L;
    }

    /**
     * A source's message at the end of a gap ({@link #untracedGap}) enters the pipeline at {@code
     * component} at {@code handOffNanos}: starts its entry span there, as {@link #enter(String, String,
     * long)} does for a message it traces. The source sends the message with that same reading as its
     * enqueue time and ends the span at it: a source's entry is an instant, one clock read per traced
     * message (the source's own code before the emit is not the runtime's to time). A tracer that
     * draws gaps traces it; the default, for a tracer that does not, decides per message: {@code
     * enter(component, null, handOffNanos)}, and the source then reads the clock for every message.
     *
     * @param handOffNanos a reading of the pipeline's ticker: the message's hand-off into its buffer
     * @return the entry span, or null when the message is not traced
     */
    default @Nullable StageSpan enterPicked(String component, long handOffNanos) {
        return enter(component, null, handOffNanos);
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
