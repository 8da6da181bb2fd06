package dev.portflow.bench;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.RecentTraces;
import dev.portflow.trace.SamplingGaps;
import dev.portflow.trace.StageSpan;
import dev.portflow.tracing.OpenTelemetryTracing;
import dev.portflow.tracing.TracingSettings;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing costs per message, on one thread, without the pipeline around it: the tracer calls the
 * runtime makes for a message through {@code source -> map -> sink} (the {@code map} shape of
 * {@code PeerBenchmark}).
 *
 * <ul>
 *   <li>{@code gapDraw}: a source's head sampling at 1 % ({@code SamplingGaps.draw()}, what {@code
 *       MessageTracer.untracedGap} does): paid once per traced message; an untraced one costs the source
 *       a decrement.
 *   <li>{@code tracedMessage}: the whole life of one traced message: its entry span, then a wait and a
 *       stage span at {@code map} and at {@code sink}, each ended (5 OpenTelemetry spans, batched into
 *       an exporter that drops them). At a head ratio r, a pipeline pays r times this per message, plus
 *       the exporter thread's work on them.
 * </ul>
 * {@code recent}: through {@link RecentTraces}, as a pipeline wraps its tracer for the dashboard
 * ({@code true}), or the OpenTelemetry tracer alone ({@code false}). {@code spans}: {@code recorded}, as
 * {@code portflow run} and {@code OpenTelemetryTracing.exporting} trace ({@code PeerBenchmark}'s {@code
 * portflow_traced}), or {@code sdk}, the SDK's tracer building them ({@code OpenTelemetryTracing.create},
 * {@code portflow_traced_sdk}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TracedMessageBenchmark {

    private static final SamplingGaps ONE_PERCENT = SamplingGaps.atRatio(0.01);

    @Param({"true", "false"})
    public boolean recent;

    @Param({"recorded", "sdk"})
    public String spans;

    private @Nullable OpenTelemetryTracing sampleAll;
    private MessageTracer all;
    private final Ticker ticker = Ticker.system();

    @Setup(Level.Trial)
    public void setUp() {
        sampleAll = tracing(1.0);
        all = wrap(sampleAll.forPipeline("bench", ticker));
    }

    private MessageTracer wrap(MessageTracer tracer) {
        return recent ? new RecentTraces(tracer, ticker) : tracer;
    }

    private OpenTelemetryTracing tracing(double ratio) {
        TracingSettings settings = TracingSettings.defaults().withSampleRatio(ratio);
        if (spans.equals("recorded")) {
            return OpenTelemetryTracing.exporting(SpanExporter.composite(), Resource.getDefault(), settings);
        }
        if (!spans.equals("sdk")) {
            throw new IllegalArgumentException("spans: recorded or sdk, not " + spans);
        }
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite())
                                .build())
                        .build())
                .build();
        return OpenTelemetryTracing.create(sdk, settings);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (sampleAll != null) {
            sampleAll.close();
        }
    }

    @Benchmark
    public long gapDraw() {
        return ONE_PERCENT.draw();
    }

    @Benchmark
    public StageSpan tracedMessage() {
        long handOff = ticker.read();
        StageSpan entry = java.util.Objects.requireNonNull(all.enterPicked("gen", handOff));
        entry.end(handOff, 0L, null);
        long received = ticker.read();
        StageSpan map = all.stage(entry.context(), "map", "in_n", handOff, received);
        long sent = ticker.read();
        map.end(sent, 0L, null);
        long taken = ticker.read();
        StageSpan sink = all.stage(map.context(), "sink", "in_n", sent, taken);
        sink.end(ticker.read(), 0L, null);
        return sink;
    }
}
