package dev.portflow.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Emitter;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.runtime.Pipeline;
import dev.portflow.trace.RecentTraces.Stage;
import dev.portflow.trace.RecentTraces.Trace;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's list of the slowest recent traced messages, with their per-stage breakdown. */
@Timeout(60)
class RecentTracesTest {

    private static final long MS = 1_000_000L;
    private static final long MINUTE = 60_000 * MS;

    @Test
    void theSlowestTracedMessagesComeFirstWithTheirWaitAndHandlingPerStage() throws Exception {
        Pipeline pipeline = Pipeline.builder("recent")
                .tracing(new RecordingTracing(source -> true, Long.MAX_VALUE))
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 6; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("work", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    if (i == 4) {
                        throw new IllegalStateException("four");
                    }
                    Thread.sleep(10L * i); // message 5 takes longest, then 3
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .sink("dead", ErrorEnvelope.class, e -> {})
                .connect("gen.out_n", "work.in_n")
                .connect("work.out_n", "sink.in_n")
                .connect("work.err_n", "dead.in_errors")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        RecentTraces recent = Objects.requireNonNull(pipeline.recentTraces());
        List<Trace> slowest = recent.slowest(3, MINUTE);
        assertThat(slowest).hasSize(3);
        assertThat(slowest).isSortedAccordingTo((a, b) -> Long.compare(b.totalNanos(), a.totalNanos()));
        Trace first = slowest.get(0);
        assertThat(first.why()).isEqualTo("sampled");
        assertThat(first.stages()).extracting(Stage::component).containsExactly("work", "sink");
        Stage work = first.stages().get(0);
        assertThat(work.port()).isEqualTo("in_n");
        assertThat(work.handlingNanos()).isGreaterThanOrEqualTo(50 * MS); // message 5: 50 ms
        assertThat(work.waitNanos()).isNotNegative();
        assertThat(first.totalNanos()).isGreaterThanOrEqualTo(work.waitNanos() + work.handlingNanos());
        assertThat(first.entryNanos()).isNotNegative();

        Trace failed = recent.slowest(10, MINUTE).stream()
                .filter(t -> t.stages().stream().anyMatch(Stage::failed))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no failed stage in " + recent.slowest(10, MINUTE)));
        assertThat(failed.stages()).extracting(Stage::component).containsExactly("work", "dead");
        assertThat(failed.stages().get(0).failed()).isTrue();
        assertThat(failed.stages().get(1).failed()).isFalse();

        assertThat(recent.slowest(10, 0)).as("nothing ended in an empty window").isEmpty();
    }

    @Test
    void aPipelineWithoutTracingHasNone() {
        Pipeline pipeline = Pipeline.builder("plain")
                .source("gen", Integer.class, ctx -> {})
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "sink.in_n")
                .build();
        assertThat(pipeline.recentTraces()).isNull();
    }
}
