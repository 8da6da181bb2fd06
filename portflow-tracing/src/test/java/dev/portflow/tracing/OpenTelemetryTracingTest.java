package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Emitter;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import dev.portflow.time.Ticker;
import dev.portflow.trace.FailingStage;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real pipelines traced into an in-memory exporter: span names, parents, kinds, attributes and times. */
@Timeout(60)
class OpenTelemetryTracingTest {

    private static final long MS = 1_000_000L;
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    /**
     * System.nanoTime() for readings, and a wall clock far from the real one (2030-03-17): spans whose
     * times are these readings plus that offset were mapped through the pipeline's ticker, not the SDK's
     * clock.
     */
    private static final class OffsetTicker implements Ticker {
        static final long EPOCH_2030 = 1_900_000_000_000_000_000L;
        final long offset = EPOCH_2030 - System.nanoTime();

        @Override
        public long read() {
            return System.nanoTime();
        }

        @Override
        public long wallNanos() {
            return System.nanoTime() + offset;
        }
    }

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;

    @BeforeEach
    void sdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
    }

    @AfterEach
    void close() {
        sdk.close();
    }

    /** The tracing under test: spans through the SDK's tracer (see {@link RecordedSpansTracingTest} for the other way). */
    OpenTelemetryTracing tracing(TracingSettings settings) {
        return OpenTelemetryTracing.create(sdk, settings);
    }

    /** The spans ended so far (the SDK's simple processor exports each as it ends). */
    List<SpanData> finished() {
        return exporter.getFinishedSpanItems();
    }

    private Map<String, List<SpanData>> traces() {
        return finished().stream().collect(Collectors.groupingBy(SpanData::getTraceId));
    }

    private static SpanData named(List<SpanData> trace, String name) {
        return trace.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + names(trace)));
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(SpanData::getName).toList();
    }

    private static @Nullable String attribute(SpanData span, String key) {
        return span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(key));
    }

    @Test
    void everySampledMessageIsAChainOfSpansOnThePipelinesTicker() throws Exception {
        OffsetTicker ticker = new OffsetTicker();
        long before = System.nanoTime();
        Pipeline pipeline = Pipeline.builder("orders")
                .ticker(ticker)
                .tracing(tracing(TracingSettings.defaults().withSampleRatio(1.0)))
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 3; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("work", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    Thread.sleep(20);
                    out.emit(i);
                })
                .sink("store", Integer.class, i -> {})
                .connect("gen.out_n", "work.in_n")
                .connect("work.out_n", "store.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();
        long after = System.nanoTime();

        Map<String, List<SpanData>> traces = traces();
        assertThat(traces).as("%s", finished()).hasSize(3);
        for (List<SpanData> trace : traces.values()) {
            assertThat(names(trace))
                    .containsExactlyInAnyOrder("enter gen", "wait work.in_n", "work", "wait store.in_n", "store");
            SpanData enter = named(trace, "enter gen");
            SpanData waitWork = named(trace, "wait work.in_n");
            SpanData work = named(trace, "work");
            SpanData waitStore = named(trace, "wait store.in_n");
            SpanData store = named(trace, "store");

            assertThat(enter.getParentSpanContext().isValid()).isFalse();
            assertThat(waitWork.getParentSpanId()).isEqualTo(enter.getSpanId());
            assertThat(work.getParentSpanId()).isEqualTo(enter.getSpanId());
            assertThat(waitStore.getParentSpanId()).isEqualTo(work.getSpanId());
            assertThat(store.getParentSpanId()).isEqualTo(work.getSpanId());

            assertThat(enter.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(waitWork.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(work.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(store.getKind()).isEqualTo(SpanKind.CONSUMER);

            assertThat(trace).allSatisfy(s -> {
                assertThat(attribute(s, "portflow.pipeline")).isEqualTo("orders");
                assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
                assertThat(s.getInstrumentationScopeInfo().getName()).isEqualTo("dev.portflow");
            });
            assertThat(attribute(enter, "portflow.component")).isEqualTo("gen");
            assertThat(attribute(enter, "portflow.port")).isNull();
            assertThat(attribute(waitWork, "portflow.component")).isEqualTo("work");
            assertThat(attribute(waitWork, "portflow.port")).isEqualTo("in_n");
            assertThat(attribute(work, "portflow.port")).isEqualTo("in_n");
            assertThat(attribute(store, "portflow.component")).isEqualTo("store");

            // the times are the pipeline ticker's readings, mapped by its wall-clock offset
            assertThat(trace).allSatisfy(s -> {
                assertThat(s.getStartEpochNanos()).isBetween(before + ticker.offset, after + ticker.offset);
                assertThat(s.getEndEpochNanos()).isBetween(s.getStartEpochNanos(), after + ticker.offset);
            });
            // a source's entry is the instant of its one hand-off reading, where the first wait starts
            assertThat(enter.getEndEpochNanos()).isEqualTo(enter.getStartEpochNanos());
            assertThat(waitWork.getStartEpochNanos()).isEqualTo(enter.getEndEpochNanos());
            assertThat(work.getStartEpochNanos()).isEqualTo(waitWork.getEndEpochNanos());
            assertThat(store.getStartEpochNanos()).isEqualTo(waitStore.getEndEpochNanos());
            assertThat(work.getEndEpochNanos() - work.getStartEpochNanos()).isGreaterThanOrEqualTo(20 * MS);
        }
    }

    @Test
    void ratioZeroTracesNothingWhenNothingIsSlowOrFails() throws Exception {
        Pipeline pipeline = Pipeline.builder("quiet")
                .tracing(tracing(TracingSettings.defaults().withSampleRatio(0.0)))
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 200; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();
        assertThat(finished()).isEmpty();
    }

    @Test
    void ratioZeroStillTracesASlowMessageFromWhereItIsSeen() throws Exception {
        Pipeline pipeline = Pipeline.builder("late")
                .tracing(tracing(TracingSettings.defaults().withSampleRatio(0.0).withSlowAfter(Duration.ofMillis(30))))
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 4; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("stall", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    if (i == 2) {
                        Thread.sleep(60);
                    }
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "stall.in_n")
                .connect("stall.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        List<SpanData> trace = traces().values().stream()
                .filter(t -> names(t).contains("before sink (slow)"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no late trace: " + finished()));
        assertThat(names(trace)).containsExactlyInAnyOrder("before sink (slow)", "wait sink.in_n", "sink");
        SpanData root = named(trace, "before sink (slow)");
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(attribute(root, "portflow.late")).isEqualTo("slow");
        assertThat(root.getEndEpochNanos() - root.getStartEpochNanos()).isGreaterThanOrEqualTo(60 * MS);
        assertThat(named(trace, "sink").getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(named(trace, "wait sink.in_n").getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(finished()).noneMatch(s -> s.getName().startsWith("enter"));
    }

    @Test
    void ratioZeroStillTracesAFailureWithItsExceptionAndAnErrorStatus() throws Exception {
        List<ErrorEnvelope> errors = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = FailingStage.start(
                tracing(TracingSettings.defaults().withSampleRatio(0.0).withSlowAfter(null)), errors);
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        assertThat(traces()).hasSize(1);
        List<SpanData> trace = traces().values().iterator().next();
        assertThat(names(trace))
                .containsExactlyInAnyOrder(
                        "before check (error)", "wait check.in_n", "check", "wait dead.in_errors", "dead");
        assertThat(attribute(named(trace, "before check (error)"), "portflow.late"))
                .isEqualTo("error");
        SpanData check = named(trace, "check");
        assertThat(check.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(check.getStatus().getDescription()).contains("IllegalArgumentException: three");
        assertThat(check.getEvents()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("exception");
            assertThat(e.getAttributes().get(RecordedSpan.EXCEPTION_TYPE))
                    .isEqualTo(IllegalArgumentException.class.getName());
            assertThat(e.getAttributes().get(RecordedSpan.EXCEPTION_MESSAGE)).isEqualTo("three");
            assertThat(e.getAttributes().get(RecordedSpan.EXCEPTION_STACKTRACE))
                    .startsWith("java.lang.IllegalArgumentException: three");
        });
        assertThat(named(trace, "dead").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).traceId()).isEqualTo(check.getTraceId());
    }

    @Test
    void aSampledTraceparentIsContinuedWhateverTheRatio() {
        MessageTracer tracer =
                tracing(TracingSettings.defaults().withSampleRatio(0.0)).forPipeline("api", Ticker.system());
        StageSpan entry = Objects.requireNonNull(tracer.enter(
                "api",
                "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01",
                Ticker.system().read()));
        assertThat(entry.context().traceId()).isEqualTo(CALLER_TRACE);
        assertThat(entry.context().traceparent()).startsWith("00-" + CALLER_TRACE + "-");
        entry.end(Ticker.system().read(), 0L, null);

        SpanData span = finished().getFirst();
        assertThat(span.getName()).isEqualTo("enter api");
        assertThat(span.getTraceId()).isEqualTo(CALLER_TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(span.getParentSpanContext().isRemote()).isTrue();
        assertThat(span.getSpanId()).isEqualTo(entry.context().spanId());
    }

    @Test
    void anUnsampledTraceparentIsSampledByTheRatioAndKeepsTheCallersTraceId() {
        String unsampled = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-00";
        assertThat(tracing(TracingSettings.defaults().withSampleRatio(0.0))
                        .forPipeline("api", Ticker.system())
                        .enter("api", unsampled, Ticker.system().read()))
                .isNull();

        StageSpan entry =
                Objects.requireNonNull(tracing(TracingSettings.defaults().withSampleRatio(1.0))
                        .forPipeline("api", Ticker.system())
                        .enter("api", unsampled, Ticker.system().read()));
        entry.end(Ticker.system().read(), 0L, null);
        SpanData span = finished().getFirst();
        assertThat(span.getTraceId()).isEqualTo(CALLER_TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(span.getSpanContext().isSampled()).isTrue();
    }

    @Test
    void aMalformedTraceparentIsIgnoredAndCounted() {
        List<String> malformed = List.of(
                "",
                "garbage",
                "00-" + CALLER_TRACE + "-" + CALLER_SPAN, // no flags
                "00-" + CALLER_TRACE.toUpperCase(java.util.Locale.ROOT) + "-" + CALLER_SPAN + "-01",
                "00-00000000000000000000000000000000-" + CALLER_SPAN + "-01", // all-zero trace id
                "00-" + CALLER_TRACE + "-0000000000000000-01", // all-zero span id
                "ff-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01", // version ff is invalid
                "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01-extra", // version 00 has no more fields
                "00-" + CALLER_TRACE + "x-" + CALLER_SPAN + "-01");
        OpenTelemetryTracing never = tracing(TracingSettings.defaults().withSampleRatio(0.0));
        MessageTracer neverTracer = never.forPipeline("api", Ticker.system());
        for (String value : malformed) {
            assertThat(neverTracer.enter("api", value, Ticker.system().read()))
                    .as("'%s' is not a sampled caller", value)
                    .isNull();
        }
        assertThat(never.malformedTraceparents()).isEqualTo(malformed.size());

        OpenTelemetryTracing always = tracing(TracingSettings.defaults().withSampleRatio(1.0));
        MessageTracer alwaysTracer = always.forPipeline("api", Ticker.system());
        for (String value : malformed) {
            StageSpan entry = Objects.requireNonNull(
                    alwaysTracer.enter("api", value, Ticker.system().read()));
            entry.end(Ticker.system().read(), 0L, null);
        }
        assertThat(finished()).hasSize(malformed.size()).allSatisfy(s -> {
            assertThat(s.getParentSpanContext().isValid()).as("a new root").isFalse();
            assertThat(s.getTraceId()).isNotEqualTo(CALLER_TRACE);
        });
        assertThat(always.malformedTraceparents()).isEqualTo(malformed.size());
    }

    /**
     * A source samples by gaps: nothing is asked per untraced message, and the tracer reads no clock for a traced
     * one: its entry is the instant of the source's one hand-off reading.
     */
    @Test
    void aSourceSamplesByGapsAndItsTracedEntryIsTheHandOffReading() {
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        Ticker counting = new Ticker() {
            @Override
            public long read() {
                return 1_000L * reads.incrementAndGet();
            }

            @Override
            public long wallNanos() {
                return OffsetTicker.EPOCH_2030; // read once, by the pipeline's clock mapping
            }
        };
        MessageTracer never =
                tracing(TracingSettings.defaults().withSampleRatio(0.0)).forPipeline("p", Ticker.system());
        assertThat(never.untracedGap()).isEqualTo(Long.MAX_VALUE);
        MessageTracer tenth =
                tracing(TracingSettings.defaults().withSampleRatio(0.1)).forPipeline("p", Ticker.system());
        long untraced = 0;
        for (int i = 0; i < 10_000; i++) {
            untraced += tenth.untracedGap();
        }
        assertThat(10_000.0 / (10_000 + untraced)).isBetween(0.09, 0.11); // 1 in 10 traced (mean gap 9)

        MessageTracer always =
                tracing(TracingSettings.defaults().withSampleRatio(1.0)).forPipeline("p", counting);
        assertThat(always.untracedGap()).isZero();
        long handOff = counting.read();
        long readsBefore = reads.get();
        StageSpan entry = Objects.requireNonNull(always.enterPicked("gen", handOff));
        entry.end(handOff, 0L, null);
        assertThat(reads.get() - readsBefore).as("clock reads by the tracer").isZero();
        StageSpan later = Objects.requireNonNull(always.enterPicked("gen", handOff + 1_000L));
        later.end(handOff + 1_000L, 0L, null);
        List<SpanData> spans = finished();
        assertThat(spans).extracting(SpanData::getName).containsOnly("enter gen");
        // each an instant at its hand-off reading, the second 1 µs after the first on the same scale
        assertThat(spans).allSatisfy(span -> assertThat(span.getEndEpochNanos()).isEqualTo(span.getStartEpochNanos()));
        assertThat(spans.get(1).getStartEpochNanos() - spans.get(0).getStartEpochNanos())
                .isEqualTo(1_000L);
    }

    @Test
    void aStageThatWaitedOnAFullOutputSaysHowLong() {
        MessageTracer tracer =
                tracing(TracingSettings.defaults().withSampleRatio(1.0)).forPipeline("p", Ticker.system());
        long t = Ticker.system().read();
        StageSpan entry = Objects.requireNonNull(tracer.enter("gen", null, t));
        StageSpan stage = tracer.stage(entry.context(), "work", "in_n", t + MS, t + 2 * MS);
        stage.end(t + 10 * MS, 3_500_000L, null);
        entry.end(t + MS, 0L, null);
        SpanData work = named(finished(), "work");
        assertThat(work.getAttributes().get(OpenTelemetryStageSpan.BLOCKED_MS)).isEqualTo(3.5);
        assertThat(work.getEndEpochNanos() - work.getStartEpochNanos()).isEqualTo(8 * MS);
        assertThat(named(finished(), "enter gen").getAttributes().get(OpenTelemetryStageSpan.BLOCKED_MS))
                .isNull();
    }
}
