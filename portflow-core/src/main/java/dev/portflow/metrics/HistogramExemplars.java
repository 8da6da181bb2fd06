package dev.portflow.metrics;

import dev.portflow.trace.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A recent traced sample of each bucket of one {@link LatencyHistogram}: what an OpenMetrics scrape
 * shows as the bucket's exemplar, pointing at the trace of a message that landed there. A bucket's
 * exemplar is renewed at most once every {@value #RENEW_AFTER_MILLIS} ms of its samples' time: by the
 * first traced sample that lands there once that much has passed. A scrape shows one exemplar per
 * bucket, seconds apart, so renewing it for every traced sample (100,000 a second at 1 % of a fast
 * pipeline) would allocate and publish exemplars nobody reads; the other traced samples cost one
 * read of the bucket's current exemplar. Only a pipeline that traces creates one, at its first traced
 * sample. The ids are read from the sample's context when a scrape asks, not on the pipeline's thread.
 */
public final class HistogramExemplars {

    /** One traced sample: its value, the trace and span it belongs to, and when it was taken. */
    public record Exemplar(long nanos, TraceContext trace, long epochMillis) {

        /** The sample's trace id, 32 hex digits. */
        public String traceId() {
            return trace.traceId();
        }

        /** The id of the span the sample belongs to, 16 hex digits. */
        public String spanId() {
            return trace.spanId();
        }
    }

    /** How long a bucket keeps its exemplar before a newer traced sample may replace it. */
    public static final long RENEW_AFTER_MILLIS = 1000;

    private final AtomicReferenceArray<Exemplar> latest = new AtomicReferenceArray<>(LatencyHistogram.BUCKETS);

    HistogramExemplars() {}

    void offer(long nanos, TraceContext context, long epochMillis) {
        long value = Math.max(0, nanos);
        int bucket = LatencyHistogram.bucketIndex(value);
        // A plain read: an Exemplar's fields are final, so one seen at all is seen whole. Threads
        // sharing the histogram (a stage's workers) may both renew a bucket at once; the last store
        // wins, and either is a traced sample of that bucket. A reading earlier than the kept one
        // (another worker's) counts as not yet due.
        Exemplar kept = latest.getPlain(bucket);
        if (kept != null && epochMillis - kept.epochMillis() < RENEW_AFTER_MILLIS) {
            return;
        }
        // release, not volatile: a scrape (volatile get) needs to see a whole exemplar, not the
        // latest one at once, and a volatile store would fence the traced message's stage
        latest.setRelease(bucket, new Exemplar(value, context, epochMillis));
    }

    /** The exemplars now, in bucket order (at most one per bucket). */
    public List<Exemplar> all() {
        List<Exemplar> all = new ArrayList<>();
        for (int i = 0; i < latest.length(); i++) {
            Exemplar e = latest.get(i);
            if (e != null) {
                all.add(e);
            }
        }
        return all;
    }
}
