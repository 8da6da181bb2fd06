package dev.portflow.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exporter Portflow's batch span processor hands its batches to, counting what the exporter it wraps made of
 * them: spans the endpoint took ({@link #succeeded()}) and spans it did not ({@link #failed()}: refused,
 * unreachable, timed out, after the exporter's own retries), each batch counted once, when its result completes.
 * The processor's drops are counted before this ({@link BatchProcessorCounts}); so every span that ended is
 * dropped, waiting, in an export not finished yet, or counted here.
 *
 * <p>Only the processor's export thread calls {@link #export}, and a result completes on the exporter's thread;
 * nothing is added to a pipeline's threads. An exporter that throws instead of failing its result has its batch
 * counted failed, and the exception goes on to the processor, which logs it.
 */
final class CountedSpanExporter implements SpanExporter {

    private final SpanExporter exporter;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    CountedSpanExporter(SpanExporter exporter) {
        this.exporter = exporter;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        int count = spans.size();
        CompletableResultCode result;
        try {
            result = exporter.export(spans);
        } catch (RuntimeException | Error thrown) {
            failed.addAndGet(count);
            throw thrown;
        }
        result.whenComplete(() -> (result.isSuccess() ? succeeded : failed).addAndGet(count));
        return result;
    }

    /** Spans the exporter delivered so far. */
    long succeeded() {
        return succeeded.get();
    }

    /** Spans the exporter could not deliver so far. */
    long failed() {
        return failed.get();
    }

    @Override
    public CompletableResultCode flush() {
        return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return exporter.shutdown();
    }

    @Override
    public String toString() {
        return "CountedSpanExporter{" + exporter + "}";
    }
}
