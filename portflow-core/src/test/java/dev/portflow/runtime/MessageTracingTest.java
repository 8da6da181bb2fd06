package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.portflow.component.Emitter;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.trace.FailingStage;
import dev.portflow.trace.RecordingTracing;
import dev.portflow.trace.RecordingTracing.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime's side of tracing (docs/tracing.md), against a tracer that records what it is told. */
@Timeout(60)
class MessageTracingTest {

    private static final long MS = 1_000_000L;

    private static Map<String, List<Span>> byTrace(RecordingTracing tracing) {
        return tracing.spans().stream().collect(Collectors.groupingBy(Span::traceId));
    }

    private static Span named(List<Span> trace, String name) {
        return trace.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span '" + name + "' in " + trace));
    }

    /** Every sampled message: entry, then a wait and a stage span per stage, each a child of the one before. */
    @Test
    void aSampledMessageHasASpanPerStageAndPerBufferWaitInOneChain() throws Exception {
        RecordingTracing tracing = new RecordingTracing(source -> true, Long.MAX_VALUE);
        Pipeline pipeline = Pipeline.builder("traced")
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 5; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("slow", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    Thread.sleep(50);
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "slow.in_n")
                .connect("slow.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        Map<String, List<Span>> traces = byTrace(tracing);
        assertThat(traces).hasSize(5);
        for (List<Span> trace : traces.values()) {
            assertThat(trace)
                    .extracting(Span::name)
                    .containsExactlyInAnyOrder("enter gen", "wait slow.in_n", "slow", "wait sink.in_n", "sink");
            Span enter = named(trace, "enter gen");
            Span waitSlow = named(trace, "wait slow.in_n");
            Span slow = named(trace, "slow");
            Span waitSink = named(trace, "wait sink.in_n");
            Span sink = named(trace, "sink");
            assertThat(enter.parentId()).isNull();
            assertThat(waitSlow.parentId()).isEqualTo(enter.spanId());
            assertThat(slow.parentId()).isEqualTo(enter.spanId());
            assertThat(waitSink.parentId()).isEqualTo(slow.spanId());
            assertThat(sink.parentId()).isEqualTo(slow.spanId());
            // one after another on the message's path: the entry ends at the hand-off, where the wait
            // starts; a stage's wait starts inside the send that ends the stage before it
            // (to the nanosecond: an exact enqueue stamp keeps its low bit for a flag, BoundedChannel)
            assertThat(waitSlow.start()).isCloseTo(enter.end(), within(1L));
            assertThat(slow.start()).isEqualTo(waitSlow.end());
            assertThat(waitSink.start()).isBetween(slow.start(), slow.end());
            assertThat(sink.start()).isEqualTo(waitSink.end());
            assertThat(slow.nanos()).as(trace.toString()).isGreaterThanOrEqualTo(50 * MS);
            assertThat(trace).allSatisfy(s -> assertThat(s.nanos()).isNotNegative());
            assertThat(trace).allSatisfy(s -> assertThat(s.error()).isNull());
            // the spans tile the message's life: their durations add up to its age at the end (a span
            // that sends overlaps the next wait by the rest of its send: microseconds once warm, about
            // a millisecond for the first message of a cold JVM)
            long total = trace.stream().mapToLong(Span::nanos).sum();
            long age = sink.end() - enter.start();
            assertThat((double) Math.abs(total - age))
                    .as("durations %d ns against an age of %d ns: %s", total, age, trace)
                    .isLessThanOrEqualTo(0.05 * age);
        }
    }

    /** Nothing sampled at the entry: a message older than the threshold is traced from where it is seen. */
    @Test
    void anUntracedMessageThatTurnsSlowIsTracedFromWhereItIsSeen() throws Exception {
        RecordingTracing tracing = new RecordingTracing(source -> false, 30 * MS);
        Pipeline pipeline = Pipeline.builder("late")
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 4; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("stall", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    if (i == 2) {
                        Thread.sleep(60); // only this one is slow by the time it reaches the next stage
                    }
                    out.emit(i);
                })
                .transformer("next", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> out.emit(i))
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "stall.in_n")
                .connect("stall.out_n", "next.in_n")
                .connect("next.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        Map<String, List<Span>> traces = byTrace(tracing);
        assertThat(traces).as("%s", tracing.spans()).isNotEmpty();
        List<Span> first = traces.values().stream()
                .filter(t -> t.stream().anyMatch(s -> s.name().equals("before next (slow)")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no late trace at 'next': " + tracing.spans()));
        assertThat(first)
                .extracting(Span::name)
                .containsExactlyInAnyOrder("before next (slow)", "wait next.in_n", "next", "wait sink.in_n", "sink");
        Span before = named(first, "before next (slow)");
        assertThat(before.nanos()).isGreaterThanOrEqualTo(60 * MS);
        assertThat(named(first, "sink").parentId())
                .isEqualTo(named(first, "next").spanId());
        assertThat(tracing.spans()).noneMatch(s -> s.name().startsWith("enter"));
    }

    /** A failure is traced (late if need be), recorded on the stage's span, and its envelope names the trace. */
    @Test
    void aFailedMessageIsTracedAndItsEnvelopeCarriesTheTraceId() throws Exception {
        RecordingTracing tracing = new RecordingTracing(source -> false, Long.MAX_VALUE);
        List<ErrorEnvelope> errors = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = FailingStage.start(tracing, errors);
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        assertThat(errors).hasSize(1);
        String traceId = Objects.requireNonNull(errors.get(0).traceId());
        assertThat(errors.get(0).toMap()).containsEntry("trace_id", traceId);
        List<Span> trace = Objects.requireNonNull(byTrace(tracing).get(traceId), "no trace " + traceId);
        assertThat(trace)
                .extracting(Span::name)
                .containsExactlyInAnyOrder(
                        "before check (error)", "wait check.in_n", "check", "wait dead.in_errors", "dead");
        assertThat(named(trace, "check").error()).isInstanceOf(IllegalArgumentException.class);
        assertThat(named(trace, "dead").parentId())
                .isEqualTo(named(trace, "check").spanId());
        assertThat(byTrace(tracing)).hasSize(1); // the five that did not fail are not traced
    }

    /** Several workers with per-key order (messages parked behind their key) keep each message's context. */
    @Test
    void contextsSurviveWorkersAndMessagesParkedBehindTheirKey() throws Exception {
        RecordingTracing tracing = new RecordingTracing(source -> true, Long.MAX_VALUE);
        Pipeline pipeline = Pipeline.builder("keyed")
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 40; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("work", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    Thread.sleep(2);
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "work.in_n")
                .connect("work.out_n", "sink.in_n")
                .workers("work", 4)
                .orderedByKey("work", i -> (Integer) i % 2) // two keys: most messages wait behind theirs
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        Map<String, List<Span>> traces = byTrace(tracing);
        assertThat(traces).hasSize(40);
        for (List<Span> trace : traces.values()) {
            assertThat(trace)
                    .extracting(Span::name)
                    .containsExactlyInAnyOrder("enter gen", "wait work.in_n", "work", "wait sink.in_n", "sink");
            assertThat(named(trace, "sink").parentId())
                    .isEqualTo(named(trace, "work").spanId());
        }
    }

    /** Without a tracer the buffers carry no contexts at all. */
    @Test
    void withoutATracerNoBufferCarriesContexts() {
        Pipeline pipeline = Pipeline.builder("plain")
                .source("gen", Integer.class, ctx -> {})
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "sink.in_n")
                .build();
        assertThat(pipeline.inputPort("sink", "in_n").measurements().channels())
                .allSatisfy(c -> assertThat(c.carriesTraceContexts()).isFalse());
    }
}
