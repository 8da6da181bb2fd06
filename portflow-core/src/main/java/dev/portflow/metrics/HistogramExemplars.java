package dev.portflow.metrics;

import dev.portflow.trace.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest traced sample of each bucket of one {@link LatencyHistogram}: what an OpenMetrics
 * scrape shows as the bucket's exemplar, pointing at the trace of a message that landed there. Only
 * a pipeline that traces creates one, at its first traced sample; one allocation per traced sample.
 * The ids are read from the sample's context when a scrape asks, not on the pipeline's thread.
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

    private final AtomicReferenceArray<Exemplar> latest = new AtomicReferenceArray<>(LatencyHistogram.BUCKETS);

    HistogramExemplars() {}

    void offer(long nanos, TraceContext context, long epochMillis) {
        // release, not volatile: a scrape (volatile get) needs to see a whole exemplar, not the
        // latest one at once, and a volatile store would fence the traced message's stage
        latest.setRelease(
                LatencyHistogram.bucketIndex(Math.max(0, nanos)),
                new Exemplar(Math.max(0, nanos), context, epochMillis));
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
