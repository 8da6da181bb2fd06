package dev.portflow.bench.peers;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.SamplingGaps;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import dev.portflow.trace.Tracing;
import io.opentelemetry.api.trace.TraceId;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * {@code portflow_traced_hollow}: a tracer that samples like the real one ({@code ratio} of the messages at the
 * source, by gaps) and does nothing else: a span is a trace id (new at the entry, the parent's at a stage) whose end is
 * empty. What a pipeline pays for carrying traced messages through the runtime (contexts, exact timing,
 * exemplars, the dashboard's list), without the spans: the cost of 1 % sampled minus this is the spans' own.
 * The system property {@value #RATIO_PROPERTY} overrides the ratio ({@code -jvmArgsAppend
 * -Dportflow.bench.hollowRatio=0.1}): how the cost of a traced message grows with their share.
 */
final class HollowTracing implements Tracing {

    /** A span that records nothing; its ids are made only when asked (an exemplar scrape, the dashboard). */
    private record HollowSpan(long traceHigh, long traceLow) implements StageSpan, TraceContext {

        @Override
        public TraceContext context() {
            return this;
        }

        @Override
        public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {}

        @Override
        public String traceId() {
            return TraceId.fromLongs(traceHigh, traceLow);
        }

        @Override
        public String spanId() {
            return "00f067aa0ba902b7";
        }
    }

    static final String RATIO_PROPERTY = "portflow.bench.hollowRatio";

    private final double ratio;
    private final SamplingGaps gaps;

    HollowTracing(double ratio) {
        this.ratio = Double.parseDouble(System.getProperty(RATIO_PROPERTY, Double.toString(ratio)));
        if (!(this.ratio >= 0.0 && this.ratio <= 1.0)) {
            throw new IllegalArgumentException(RATIO_PROPERTY + ": a ratio from 0 to 1, not " + this.ratio);
        }
        this.gaps = SamplingGaps.atRatio(this.ratio);
    }

    private @Nullable StageSpan sampled() {
        return ThreadLocalRandom.current().nextDouble() < ratio ? newTrace() : null;
    }

    /** The entry of a new trace: a trace id of its own. */
    private static HollowSpan newTrace() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new HollowSpan(random.nextLong(), random.nextLong());
    }

    @Override
    public MessageTracer forPipeline(String pipeline, Ticker ticker) {
        return new MessageTracer() {
            @Override
            public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
                return sampled();
            }

            @Override
            public long untracedGap() {
                return gaps.draw();
            }

            @Override
            public StageSpan enterPicked(String component, long handOffNanos) {
                return newTrace();
            }

            @Override
            public StageSpan stage(
                    TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
                // the parent is always one of ours: this tracer made every context of the pipeline
                HollowSpan of = (HollowSpan) parent;
                return new HollowSpan(of.traceHigh(), of.traceLow());
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
