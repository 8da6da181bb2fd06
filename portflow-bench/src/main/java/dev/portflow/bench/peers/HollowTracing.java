package dev.portflow.bench.peers;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import dev.portflow.trace.Tracing;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * {@code portflow_traced_hollow}: a tracer that samples like the real one ({@code ratio} of the messages at the
 * source) and does nothing else: every span is one shared object whose end is empty. What a pipeline pays for
 * carrying traced messages through the runtime (contexts, exact timing, the dashboard's list), without the
 * spans: the cost of 1 % sampled minus this is the spans' own.
 */
final class HollowTracing implements Tracing {

    /** The one context of every hollow span: W3C ids, as any context has. */
    private record Ids(String traceId, String spanId) implements TraceContext {}

    private static final TraceContext CONTEXT = new Ids("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");

    private static final StageSpan SPAN = new StageSpan() {
        @Override
        public TraceContext context() {
            return CONTEXT;
        }

        @Override
        public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {}
    };

    private final double ratio;

    HollowTracing(double ratio) {
        this.ratio = ratio;
    }

    @Override
    public MessageTracer forPipeline(String pipeline, Ticker ticker) {
        return new MessageTracer() {
            @Override
            public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
                return ThreadLocalRandom.current().nextDouble() < ratio ? SPAN : null;
            }

            @Override
            public @Nullable StageSpan enter(String component, Ticker sourceTicker) {
                return ThreadLocalRandom.current().nextDouble() < ratio ? SPAN : null;
            }

            @Override
            public StageSpan stage(
                    TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
                return SPAN;
            }

            @Override
            public @Nullable StageSpan late(
                    String component,
                    String port,
                    long originNanos,
                    long enqueuedNanos,
                    long receivedNanos,
                    String why) {
                return null;
            }

            @Override
            public long slowAfterNanos() {
                return Long.MAX_VALUE;
            }
        };
    }
}
