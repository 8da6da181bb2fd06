package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.EventTimed;
import dev.portflow.component.Transformer;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.ErrorEnvelope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineMetricsTest {

    record Reading(int id, Instant eventTime) implements EventTimed {}

    @Test
    void anExceptionOnOneMessageGoesToTheErrorPortAndProcessingContinues() throws Exception {
        List<Integer> good = Collections.synchronizedList(new ArrayList<>());
        List<ErrorEnvelope> errors = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = Pipeline.builder("errors")
                .source("src", Integer.class, ctx -> {
                    for (int i = 0; i < 10; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("check", Integer.class, Integer.class, (n, out) -> {
                    if (n % 3 == 0) {
                        throw new IllegalArgumentException("multiple of three: " + n);
                    }
                    out.emit(n);
                })
                .sink("good", Integer.class, good::add)
                .sink("dead_letters", ErrorEnvelope.class, errors::add)
                .connect("src.out_n", "check.in_n")
                .connect("check.out_n", "good.in_n")
                .connect("check.err_n", "dead_letters.in_errors")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        assertThat(good).containsExactly(1, 2, 4, 5, 7, 8);
        assertThat(errors).hasSize(4);
        ErrorEnvelope first = errors.get(0);
        assertThat(first.pipeline()).isEqualTo("errors");
        assertThat(first.component()).isEqualTo("check");
        assertThat(first.port()).isEqualTo("in_n");
        assertThat(first.errorType()).isEqualTo("IllegalArgumentException");
        assertThat(first.message()).isEqualTo("multiple of three: 0");
        assertThat(first.payload()).isEqualTo(0); // the failed message itself, not its text
        PortMetrics in = pipeline.inputPort("check", "in_n").metrics();
        assertThat(in.errorsTotal()).isEqualTo(4);
        assertThat(in.errorsByType()).containsEntry("IllegalArgumentException", 4L);
        assertThat(in.messagesIn()).isEqualTo(10);
    }

    @Test
    void errorsWithoutAnErrorPortGoToTheReporter() throws Exception {
        List<ErrorEnvelope> reported = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = Pipeline.builder("reported")
                .errorReporter(reported::add)
                .source("src", Integer.class, ctx -> {
                    ctx.emit(1);
                    ctx.emit(2);
                })
                .sink("picky", Integer.class, n -> {
                    if (n == 1) {
                        throw new IllegalStateException("no ones");
                    }
                })
                .connect("src.out_n", "picky.in_n")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(reported).singleElement().satisfies(e -> {
            assertThat(e.errorType()).isEqualTo("IllegalStateException");
            assertThat(e.component()).isEqualTo("picky");
        });
        assertThat(pipeline.inputPort("picky", "in_n").metrics().messagesIn()).isEqualTo(2);
    }

    @Test
    void emittingNothingIsCountedAsFiltered() throws Exception {
        Pipeline pipeline = Pipeline.builder("filter")
                .source("src", Integer.class, ctx -> {
                    for (int i = 0; i < 100; i++) {
                        ctx.emit(i);
                    }
                })
                .transformer("even", Integer.class, Integer.class, Transformer.filter(i -> i % 2 == 0))
                .sink("s", Integer.class, n -> {})
                .connect("src.out_n", "even.in_n")
                .connect("even.out_n", "s.in_n")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.inputPort("even", "in_n").metrics().droppedByReason())
                .containsEntry("filtered", 50L);
        assertThat(pipeline.inputPort("s", "in_n").metrics().messagesIn()).isEqualTo(50);
        assertThat(pipeline.errorsFreeOf("even")).isTrue();
    }

    @Test
    void processingTimeExcludesWaitingForInput() throws Exception {
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        java.util.concurrent.atomic.AtomicReference<Pipeline> built =
                new java.util.concurrent.atomic.AtomicReference<>();
        Pipeline pipeline = Pipeline.builder("timing")
                .ticker(ticker)
                .source("slow_source", Integer.class, ctx -> {
                    for (int i = 0; i < 5; i++) {
                        if (i > 0) { // the ticker stands still until the first message: the sink's start reads it
                            ticker.advance(Duration.ofMillis(100)); // 100 ms between messages: the sink waits
                        }
                        ctx.emit(i);
                        // One step at a time, so every reading is exact: wait until the runner has read
                        // the clock that ends this message (it records the processing time with it), not
                        // only until the handler returned, or the next advance could land in between.
                        var processed = Objects.requireNonNull(built.get())
                                .inputPort("work", "in_n")
                                .measurements()
                                .processDuration;
                        while (processed.count() <= i) {
                            Thread.sleep(1);
                        }
                    }
                })
                .sink("work", Integer.class, n -> ticker.advance(Duration.ofMillis(20)))
                .connect("slow_source.out_n", "work.in_n")
                .build();
        built.set(pipeline);
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        PortMetrics in = pipeline.inputPort("work", "in_n").metrics();
        assertThat(in.avgProcessingMs()).isEqualTo(20.0); // 20 ms of work, not 100 ms of waiting
        assertThat(pipeline.componentSeconds("work", ComponentState.BUSY)).isEqualTo(0.1);
        assertThat(pipeline.componentSeconds("work", ComponentState.IDLE)).isEqualTo(0.4);
        assertThat(in.avgQueueWaitMs()).isZero(); // taken the moment it was sent
    }

    @Test
    void aSenderStuckOnAFullBufferIsBackpressuredNotBusy() throws Exception {
        Pipeline pipeline = Pipeline.builder("bp")
                .source("fast", Integer.class, ctx -> {
                    for (int i = 0; i < 30; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("slow", Integer.class, n -> Thread.sleep(10))
                .connect("fast.out_n", "slow.in_n", ConnectionOptions.defaults().capacity(2))
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        assertThat(pipeline.componentSeconds("fast", ComponentState.BACKPRESSURED))
                .isGreaterThan(0.15);
        assertThat(pipeline.componentSeconds("fast", ComponentState.BUSY)).isLessThan(0.15);
        assertThat(pipeline.outputPort("fast", "out_n").metrics().blockedDurationMs())
                .isGreaterThan(150.0);
    }

    @Test
    void aComponentBlockedRightNowIsShownBackpressuredWhileItWaits() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Pipeline pipeline = Pipeline.builder("bp_now")
                .source("fast", Integer.class, ctx -> {
                    for (int i = 0; i < 3; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("stuck", Integer.class, n -> release.await())
                .connect(
                        "fast.out_n", "stuck.in_n", ConnectionOptions.defaults().capacity(1))
                .build();
        pipeline.start();
        // The sink holds message 0, message 1 fills the buffer, the send of 2 waits.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.componentSeconds("fast", ComponentState.BACKPRESSURED) > 0.2);
        double busy = pipeline.componentSeconds("fast", ComponentState.BUSY);
        assertThat(busy).isLessThan(0.1);
        release.countDown();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void errorEnvelopesAreStampedWithThePipelinesTicker() throws Exception {
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        List<ErrorEnvelope> envelopes = Collections.synchronizedList(new ArrayList<>());
        Pipeline pipeline = Pipeline.builder("stamps")
                .ticker(ticker)
                .errorReporter(envelopes::add)
                .source("src", Integer.class, ctx -> ctx.emit(1))
                .sink("s", Integer.class, n -> {
                    throw new IllegalStateException("no");
                })
                .connect("src.out_n", "s.in_n")
                .build();
        ticker.advance(Duration.ofHours(5));
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(envelopes)
                .singleElement()
                .satisfies(e -> assertThat(e.time()).isEqualTo(ticker.instantAt(ticker.now())));
    }

    @Test
    void ageFromEventTimeSurvivesTransformations() throws Exception {
        dev.portflow.FakeTicker ticker = new dev.portflow.FakeTicker();
        Pipeline pipeline = Pipeline.builder("age")
                .ticker(ticker)
                .source(
                        "src",
                        Reading.class,
                        ctx -> ctx.emit(
                                new Reading(1, ticker.instantAt(ticker.now()).minusMillis(100))))
                .transformer("to_text", Reading.class, String.class, Transformer.map(r -> "reading " + r.id()))
                .sink("s", String.class, text -> {})
                .connect("src.out_r", "to_text.in_r")
                .connect("to_text.out_text", "s.in_text")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        // The String emitted by to_text has no event time of its own: it inherits the reading's.
        assertThat(pipeline.inputPort("s", "in_text").metrics().maxMessageAgeMs())
                .isEqualTo(100.0);
    }

    @Test
    void prometheusShowsPortAndComponentMeters() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline pipeline = Pipeline.builder("prom")
                .meterRegistry(registry)
                .source("src", Integer.class, ctx -> {
                    for (int i = 0; i < 100; i++) {
                        ctx.emit(i);
                    }
                })
                .sink("s", Integer.class, n -> {})
                .connect("src.out_n", "s.in_n")
                .build();
        pipeline.start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(10))).isTrue();

        String text = registry.scrape();
        assertThat(text)
                .contains(
                        "portflow_port_messages_in_total{component=\"s\",pipeline=\"prom\",port=\"in_n\",transport=\"memory\"} 100.0")
                .contains(
                        "portflow_port_messages_out_total{component=\"src\",pipeline=\"prom\",port=\"out_n\",transport=\"memory\"} 100.0")
                .contains(
                        "portflow_port_process_duration_seconds_count{component=\"s\",pipeline=\"prom\",port=\"in_n\",transport=\"memory\"} 100")
                .contains("portflow_component_time_seconds_total{component=\"s\",pipeline=\"prom\",state=\"busy\"}")
                .contains("portflow_port_blocked_duration_seconds_bucket{component=\"src\"");
    }
}
