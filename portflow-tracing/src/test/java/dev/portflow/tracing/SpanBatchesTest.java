package dev.portflow.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch processor Portflow puts in front of the exporter is sized for a pipeline's spans
 * (OpenTelemetryTracing.MAX_QUEUE_SIZE, MAX_EXPORT_BATCH_SIZE): a burst of spans that ends while the exporter is
 * still busy with the first batch waits and is exported, where the SDK's own sizes (2048 waiting, 512 a batch)
 * drop most of it; and {@code OTEL_BSP_*} still decide when set. Through {@code exporting} (an
 * exporter that holds the first batch) and {@code fromEnvironment} (OTLP to a test receiver).
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
    void fromEnvironmentSizesItsProcessorTheSameWayOverOtlp() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            tracing = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of("otel.exporter.otlp.endpoint", receiver.endpoint()));
            endSpans(tracing.forPipeline("p", Ticker.system()), FIRST + BURST); // faster than any round trip
            closeTracing();

            assertThat(receiver.spans()).as("every span, none dropped").hasSize(FIRST + BURST);
            int batches = (FIRST + BURST + OpenTelemetryTracing.MAX_EXPORT_BATCH_SIZE - 1)
                    / OpenTelemetryTracing.MAX_EXPORT_BATCH_SIZE;
            assertThat(receiver.requests()).as("requests of up to 4096 spans").isLessThanOrEqualTo(batches + 1);
        }
    }

    @Test
    void theEnvironmentsQueueSizeStillDecidesAndCutsTheBatchToIt() throws Exception {
        try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
            tracing = OpenTelemetryTracing.fromEnvironment(
                    TracingSettings.defaults().withSampleRatio(1.0),
                    Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(), "otel.bsp.max.queue.size", "1000"));
            endSpans(tracing.forPipeline("p", Ticker.system()), FIRST + BURST);
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
        }
    }

    /** FIRST spans (a full batch, which the exporter holds), then BURST more while it does; then everything flushed. */
    private void burst(HeldExporter exporter) throws InterruptedException {
        MessageTracer tracer = Objects.requireNonNull(tracing).forPipeline("p", Ticker.system());
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

    /** Holds its first export until released: an exporter busy with a slow collector. */
    static final class HeldExporter implements SpanExporter {
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
