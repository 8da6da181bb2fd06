package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.component.Emitter;
import dev.portflow.trace.RecordingTracing;
import dev.portflow.trace.RecordingTracing.Span;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exemplars on the port histograms point at traced messages (OpenMetrics), and only at them. */
@Timeout(60)
class ExemplarsTest {

    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final Pattern EXEMPLAR = Pattern.compile(
            "^(portflow_port_[a-z_]+_seconds_bucket)\\{[^}]*\\} \\S+ # \\{([^}]*)\\} (\\S+) (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern TRACE_ID = Pattern.compile("trace_id=\"([0-9a-f]+)\"");

    private static PrometheusMeterRegistry run(RecordingTracing tracing) throws InterruptedException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline pipeline = Pipeline.builder("ex")
                .meterRegistry(registry)
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> {
                    for (int i = 0; i < 50; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("work", Integer.class, Integer.class, (Integer i, Emitter<Integer> out) -> {
                    Thread.sleep(1);
                    out.emit(i);
                })
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "work.in_n")
                .connect("work.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();
        return registry;
    }

    @Test
    void theWaitAgeAndProcessingHistogramsCarryExemplarsOfTracedMessages() throws Exception {
        // every tenth message is sampled at the entry
        RecordingTracing tracing = new RecordingTracing(
                new java.util.function.Predicate<>() {
                    private int n;

                    @Override
                    public synchronized boolean test(String source) {
                        return n++ % 10 == 0;
                    }
                },
                Long.MAX_VALUE);
        long before = System.currentTimeMillis();
        String text = run(tracing).scrape(OPEN_METRICS);
        long after = System.currentTimeMillis();

        Set<String> traced = tracing.spans().stream().map(Span::traceId).collect(Collectors.toSet());
        assertThat(traced).hasSize(5);
        Matcher m = EXEMPLAR.matcher(text);
        Set<String> families = new java.util.TreeSet<>();
        int exemplars = 0;
        while (m.find()) {
            exemplars++;
            families.add(m.group(1));
            Matcher id = TRACE_ID.matcher(m.group(2));
            assertThat(id.find()).as(m.group()).isTrue();
            assertThat(traced)
                    .as("exemplar %s points at a traced message", m.group())
                    .contains(id.group(1));
            assertThat(m.group(2)).contains("span_id=\"");
            // when it was taken: the pipeline's ticker reading as wall time (seconds), within the run
            assertThat((long) (Double.parseDouble(m.group(4)) * 1000))
                    .as("exemplar time of %s", m.group())
                    .isBetween(before - 50, after + 50); // the ticker's wall offset is calibrated, not read per call
        }
        assertThat(families)
                .as(text)
                .contains(
                        "portflow_port_message_age_seconds_bucket",
                        "portflow_port_queue_wait_seconds_bucket",
                        "portflow_port_process_duration_seconds_bucket");
        assertThat(exemplars).isGreaterThanOrEqualTo(3);
    }

    @Test
    void withoutTracedMessagesThereAreNoExemplars() throws Exception {
        String text = run(new RecordingTracing(source -> false, Long.MAX_VALUE)).scrape(OPEN_METRICS);
        assertThat(text).contains("portflow_port_message_age_seconds_bucket");
        assertThat(EXEMPLAR.matcher(text).find()).as(text).isFalse();
        assertThat(List.of(text.split("\n", -1))).noneMatch(line -> line.contains("trace_id"));
    }
}
