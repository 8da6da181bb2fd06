package dev.portflow.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.function.Predicate;

/**
 * The counts the SDK's {@code BatchSpanProcessor} keeps of itself: spans it dropped (its queue was full, or it was
 * shut down) and spans waiting in its queue. The processor reports them only to an OpenTelemetry {@link
 * MeterProvider} (semantic-convention names, {@code otel.sdk.processor.span.*}); this is one of its own, with no
 * exporter, read when asked (a scrape of {@code portflow.trace.spans.*}, see {@link OpenTelemetryTracing#bindTo}).
 *
 * <p>Nothing is added to a pipeline's threads: the processor counts a span only when it drops one (a counter add on
 * the thread that ended it) and when it exports a batch (its own thread). The provider starts no thread and is never
 * shut down, so a count read after the tracing closed is still the last one, never a reset to zero.
 */
final class BatchProcessorCounts implements MetricReader {

    /** Spans the processor finished with; {@code error.type} says why one was dropped. */
    static final String PROCESSED = "otel.sdk.processor.span.processed";
    /** Spans waiting in the processor's queue (an observable up-down counter, read at collection). */
    static final String QUEUE_SIZE = "otel.sdk.processor.span.queue.size";
    /** {@code error.type} of a span dropped because the queue was full. */
    static final String QUEUE_FULL = "queue_full";
    /** {@code error.type} of a span ended after the processor was shut down. */
    static final String ALREADY_SHUTDOWN = "already_shutdown";

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    // Declared before meterProvider: building it registers this reader, which sets registration, and a field
    // initialized after that would overwrite it.
    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    private final SdkMeterProvider meterProvider =
            SdkMeterProvider.builder().registerMetricReader(this).build();

    /** What the batch processor is given to report to ({@code BatchSpanProcessorBuilder.setMeterProvider}). */
    MeterProvider meterProvider() {
        return meterProvider;
    }

    /** Spans dropped so far with {@code error.type} {@code reason} ({@link #QUEUE_FULL}, {@link #ALREADY_SHUTDOWN}). */
    long dropped(String reason) {
        return sum(PROCESSED, point -> reason.equals(point.getAttributes().get(ERROR_TYPE)));
    }

    /** Spans waiting in the processor's queue now (0 before its first export cycle registered the gauge). */
    long queued() {
        return sum(QUEUE_SIZE, point -> true);
    }

    // One collection at a time: the SDK's collection is per reader, and two scrapes may ask at once.
    private synchronized long sum(String metric, Predicate<LongPointData> which) {
        long sum = 0;
        for (MetricData data : registration.collectAllMetrics()) {
            if (data.getName().equals(metric) && data.getType() == MetricDataType.LONG_SUM) {
                for (LongPointData point : data.getLongSumData().getPoints()) {
                    if (which.test(point)) {
                        sum += point.getValue();
                    }
                }
            }
        }
        return sum;
    }

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /** Cumulative: a count read twice is the total both times, as a Micrometer function counter reads it. */
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess(); // nothing to send: counts are read, not exported
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
