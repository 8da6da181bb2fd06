package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.runtime.Pipeline;
import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch processor Portflow puts in front of the exporter is sized for a pipeline's spans
 * (OpenTelemetryTracing.MAX_QUEUE_SIZE, MAX_EXPORT_BATCH_SIZE): a burst of spans that ends while the exporter is
 * still busy with the first batch waits and is exported, where the SDK's own sizes (2048 waiting, 512 a batch)
 * drop most of it; and {@code OTEL_BSP_*} still decide when set. What it drops is counted exactly
 * ({@code portflow.trace.spans.dropped}: exported + dropped = every span), on the pipeline's registry too; so is
 * what the exporter made of the rest ({@code portflow.trace.spans.exported}, success or failure). Through {@code
 * exporting} (an exporter that holds the first batch; one whose exports end every way one can) and {@code
 * fromEnvironment} (OTLP to a test receiver, one that refuses some requests, none listening; no exporter).
 */
class SpanBatchesTest {

    /** Spans in the first batch: the processor exports once this many wait. */
    private static final int FIRST = OpenTelemetryTracing.MAX_EXPORT_BATCH_SIZE;
    /** Spans ended while the exporter holds the first batch: more than the SDK's queue, less than Portflow's. */
    private static final int BURST = 20_000;

    private @Nullable OpenTelemetryTracing tracing;

    @AfterEach
    void close() {
        if (tracing != null) {
            tracing.close();
        }
    }

    @Test
    void aBurstWhileTheExporterIsBusyWaitsAndIsExportedInLargeBatches() throws Exception {
        HeldExporter exporter = new HeldExporter();
        tracing = OpenTelemetryTracing.exporting(
                exporter, Resource.getDefault(), TracingSettings.defaults().withSampleRatio(1.0));

        burst(exporter);

        assertThat(exporter.exported()).as("every span, none dropped").isEqualTo(FIRST + BURST);
        assertThat(exporter.batches).first().isEqualTo(FIRST);
        assertThat(exporter.batches).allMatch(size -> size <= OpenTelemetryTracing.MAX_EXPORT_BATCH_SIZE);
    }

    @Test
    void spansTheFullQueueDroppedAreCountedExactly() throws Exception {
        HeldExporter exporter = new HeldExporter();
        SimpleMeterRegistry registry = countedExportingTo(exporter);
        MessageTracer tracer = tracer();
        endSpans(tracer, FIRST);
        assertThat(exporter.holding.await(10, TimeUnit.SECONDS)).isTrue();
        int overflow = OpenTelemetryTracing.MAX_QUEUE_SIZE + 5_000; // more than the queue holds, exporter busy
        endSpans(tracer, overflow);

        assertThat(queued(registry)).as("the queue is full").isEqualTo(OpenTelemetryTracing.MAX_QUEUE_SIZE);
        exporter.release.countDown();
        closeTracing();
        endSpans(tracer, 3); // after close: dropped as shut down

        double dropped = dropped(registry, "queue_full");
        assertThat(dropped).as("the spans beyond the queue").isPositive();
        assertThat(exporter.exported() + (long) dropped)
                .as("every span handed in was exported or counted dropped")
                .isEqualTo(FIRST + overflow);
        assertThat(dropped(registry, "shutdown")).isEqualTo(3.0);
        assertThat(queued(registry)).as("nothing waits after close").isZero();
    }

    @Test
    void aPipelineShowsTheCountsOnItsMetricsAndAnApplicationsSdkHasNone() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        tracing = OpenTelemetryTracing.exporting(
                SpanExporter.composite(),
                Resource.getDefault(),
                TracingSettings.defaults().withSampleRatio(1.0));
        Pipeline pipeline = Pipeline.builder("traced")
                .meterRegistry(registry)
                .tracing(tracing)
                .source("gen", Integer.class, ctx -> ctx.emit(1))
                .sink("sink", Integer.class, i -> {})
                .connect("gen.out_n", "sink.in_n")
                .build()
                .start();
        assertThat(pipeline.awaitTermination(Duration.ofSeconds(20))).isTrue();

        assertThat(registry.scrape())
                .contains("portflow_trace_spans_dropped_total{reason=\"queue_full\"} 0.0")
                .contains("portflow_trace_spans_dropped_total{reason=\"shutdown\"} 0.0")
                .contains("portflow_trace_spans_queued ")
                .contains("portflow_trace_spans_exported_total{outcome=\"success\"} ")
                .contains("portflow_trace_spans_exported_total{outcome=\"failure\"} 0.0");

        SimpleMeterRegistry applications = new SimpleMeterRegistry();
        OpenTelemetryTracing.create(OpenTelemetry.noop(), TracingSettings.defaults())
                .bindTo(applications);
        assertThat(applications.getMeters())
                .as("the application's SDK reports its own processors")
                .isEmpty();

        SimpleMeterRegistry noExporter = new SimpleMeterRegistry();
        try (OpenTelemetryTracing none = OpenTelemetryTracing.fromEnvironment(
                TracingSettings.defaults(), Map.of("otel.traces.exporter", "none"))) {
            none.bindTo(noExporter);
        }
        assertThat(noExporter.find("portflow.trace.spans.dropped").meters()).hasSize(2);
        assertThat(noExporter.find("portflow.trace.spans.exported").meters())
                .as("no exporter, no outcomes")
                .isEmpty();
    }

    @Test
    void whatTheExporterMadeOfEachBatchIsCountedOnceHoweverItsExportEnded() throws Exception {
        MixedOutcomesExporter exporter = new MixedOutcomesExporter();
        SimpleMeterRegistry registry = countedExportingTo(exporter);
        int spans = 4 * FIRST + 123; // five batches or more, fewer spans than the queue holds
        endSpans(tracer(), spans);
        closeTracing();

        assertThat(exporter.endings).as("every way an export ends").containsAll(List.of(Ending.values()));
        assertThat(exported(registry, "success")).isEqualTo(exporter.delivered.get());
        assertThat(exported(registry, "failure")).isEqualTo(exporter.notDelivered.get());
        assertThat(exported(registry, "success") + exported(registry, "failure") + dropped(registry, "queue_full"))
                .as("every span ended was exported, or failed, or dropped")
                .isEqualTo(spans);
    }

    @Test
    void spansTheEndpointRefusedAreCountedFailedAndTheOthersSucceeded() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            receiver.refuseEverySecondTraceRequestWith(400); // not retried: the request is bad
            SimpleMeterRegistry registry =
                    countedFromEnvironment(Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()));
            int spans = 4 * FIRST + 123;
            endSpans(tracer(), spans);
            closeTracing();

            int received = receiver.spans().size();
            assertThat(received).as("every second request refused").isPositive().isLessThan(spans);
            assertThat(exported(registry, "success"))
                    .as("what the endpoint took")
                    .isEqualTo(received);
            assertThat(exported(registry, "success") + exported(registry, "failure") + dropped(registry, "queue_full"))
                    .as("every span ended was received, or refused, or dropped")
                    .isEqualTo(spans);
        }
    }

    @Test
    void spansForACollectorThatIsDownAreCountedFailed() throws Exception {
        String down;
        try (OtlpTestReceiver stopped = OtlpTestReceiver.start()) {
            down = stopped.endpoint(); // nothing listens there once closed
        }
        SimpleMeterRegistry registry = countedFromEnvironment(
                Map.of("otel.exporter.otlp.endpoint", down, "otel.java.exporter.otlp.retry.disabled", "true"));
        endSpans(tracer(), FIRST + 7);
        closeTracing();

        assertThat(exported(registry, "failure")).isEqualTo(FIRST + 7);
        assertThat(exported(registry, "success")).isZero();
    }

    @Test
    void fromEnvironmentSizesItsProcessorTheSameWayOverOtlp() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            tracing = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()));
            endSpans(tracer(), FIRST + BURST); // faster than any round trip
            closeTracing();

            assertThat(receiver.spans()).as("every span, none dropped").hasSize(FIRST + BURST);
            int batches = (FIRST + BURST + OpenTelemetryTracing.MAX_EXPORT_BATCH_SIZE - 1)
                    / OpenTelemetryTracing.MAX_EXPORT_BATCH_SIZE;
            assertThat(receiver.requests()).as("requests of up to 4096 spans").isLessThanOrEqualTo(batches + 1);
        }
    }

    @Test
    void theEnvironmentsQueueSizeStillDecidesCutsTheBatchToItAndItsDropsAreCounted() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            SimpleMeterRegistry registry = countedFromEnvironment(
                    Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(), "otel.bsp.max.queue.size", "1000"));
            endSpans(tracer(), FIRST + BURST);
            closeTracing();

            int received = receiver.spans().size();
            // 24,096 spans ended in milliseconds, far faster than requests go: a queue of 1000 overflows
            assertThat(received)
                    .as("spans dropped by the environment's queue of 1000, not Portflow's")
                    .isPositive()
                    .isLessThan(FIRST + BURST);
            assertThat(receiver.requests())
                    .as("%d spans in requests of at most 1000", received)
                    .isGreaterThanOrEqualTo((received + 999) / 1000);
            double dropped = dropped(registry, "queue_full");
            assertThat(dropped).as("a queue of 1000 overflows").isPositive();
            assertThat(received + (long) dropped)
                    .as("every span was received or counted dropped")
                    .isEqualTo(FIRST + BURST);
        }
    }

    /** Traces every message into {@code exporter}; returns a registry with the tracing's counts. */
    private SimpleMeterRegistry countedExportingTo(SpanExporter exporter) {
        tracing = OpenTelemetryTracing.exporting(
                exporter, Resource.getDefault(), TracingSettings.defaults().withSampleRatio(1.0));
        return boundTo(tracing);
    }

    /** Traces every message as {@code properties} say ({@code otel.*}); returns a registry with its counts. */
    private SimpleMeterRegistry countedFromEnvironment(Map<String, String> properties) {
        tracing =
                OpenTelemetryTracing.fromEnvironment(TracingSettings.defaults().withSampleRatio(1.0), properties);
        return boundTo(tracing);
    }

    /** The tracer of a pipeline "p" of the tracing under test. */
    private MessageTracer tracer() {
        return Objects.requireNonNull(tracing).forPipeline("p", Ticker.system());
    }

    private static SimpleMeterRegistry boundTo(OpenTelemetryTracing tracing) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        tracing.bindTo(registry);
        return registry;
    }

    private static double dropped(MeterRegistry registry, String reason) {
        return registry.get("portflow.trace.spans.dropped")
                .tag("reason", reason)
                .functionCounter()
                .count();
    }

    private static double exported(MeterRegistry registry, String outcome) {
        return registry.get("portflow.trace.spans.exported")
                .tag("outcome", outcome)
                .functionCounter()
                .count();
    }

    private static double queued(MeterRegistry registry) {
        return registry.get("portflow.trace.spans.queued").gauge().value();
    }

    /** FIRST spans (a full batch, which the exporter holds), then BURST more while it does; then everything flushed. */
    private void burst(HeldExporter exporter) throws InterruptedException {
        MessageTracer tracer = tracer();
        endSpans(tracer, FIRST);
        assertThat(exporter.holding.await(10, TimeUnit.SECONDS))
                .as("the full first batch was handed to the exporter")
                .isTrue();
        endSpans(tracer, BURST);
        exporter.release.countDown();
        closeTracing();
    }

    /** Closes the tracing now, which exports every span still waiting (so none is left for {@link #close()}). */
    private void closeTracing() {
        Objects.requireNonNull(tracing).close();
        tracing = null;
    }

    private static void endSpans(MessageTracer tracer, int count) {
        for (int i = 0; i < count; i++) {
            long now = System.nanoTime();
            StageSpan span = Objects.requireNonNull(tracer.enterPicked("gen", now));
            span.end(now, 0L, null);
        }
    }

    /** How an export can end for the batch processor. */
    enum Ending {
        SUCCEEDED,
        FAILED,
        THREW,
        SUCCEEDED_LATER,
        FAILED_LATER
    }

    /** Ends its exports each way in turn, the later ones on another thread; notes which spans were delivered. */
    static final class MixedOutcomesExporter extends TestExporter {
        private static final List<Ending> IN_TURN = List.of(Ending.values());
        final List<Ending> endings = new CopyOnWriteArrayList<>();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong notDelivered = new AtomicLong();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            Ending ending = IN_TURN.get(endings.size() % IN_TURN.size());
            endings.add(ending);
            boolean success = ending == Ending.SUCCEEDED || ending == Ending.SUCCEEDED_LATER;
            (success ? delivered : notDelivered).addAndGet(spans.size());
            return switch (ending) {
                case SUCCEEDED -> CompletableResultCode.ofSuccess();
                case FAILED -> CompletableResultCode.ofFailure();
                case THREW -> throw new IllegalStateException("an exporter that throws");
                case SUCCEEDED_LATER, FAILED_LATER -> {
                    CompletableResultCode later = new CompletableResultCode();
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)
                            .execute(success ? later::succeed : later::fail);
                    yield later;
                }
            };
        }
    }

    /** Holds its first export until released: an exporter busy with a slow collector. */
    static final class HeldExporter extends TestExporter {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            batches.add(spans.size());
            holding.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    return CompletableResultCode.ofFailure();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableResultCode.ofFailure();
            }
            return CompletableResultCode.ofSuccess();
        }

        int exported() {
            return batches.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** An exporter of this test's: nothing to flush, nothing to shut down. */
    abstract static class TestExporter implements SpanExporter {
        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
