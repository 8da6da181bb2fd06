package dev.portflow.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portflow.metrics.HistogramExemplars.Exemplar;
import dev.portflow.trace.TraceContext;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** A bucket's exemplar is a traced sample of that bucket, renewed at most once a second of sample time. */
class HistogramExemplarsTest {

    private record Context(String traceId) implements TraceContext {
        @Override
        public String spanId() {
            return "00f067aa0ba902b7";
        }
    }

    private static final long MS = 1_000_000L;

    private static String traceIn(LatencyHistogram histogram, long nanos) {
        int bucket = LatencyHistogram.bucketIndex(nanos);
        for (Exemplar e : Objects.requireNonNull(histogram.exemplars()).all()) {
            if (LatencyHistogram.bucketIndex(e.nanos()) == bucket) {
                return e.traceId();
            }
        }
        return "none";
    }

    @Test
    void aBucketKeepsItsExemplarForASecondThenTakesTheNextTracedSample() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.exemplars()).isNull();

        histogram.exemplar(3 * MS, new Context("a"), 10_000);
        histogram.exemplar(3 * MS, new Context("b"), 10_999); // same bucket, 999 ms later: kept "a"
        assertThat(traceIn(histogram, 3 * MS)).isEqualTo("a");

        histogram.exemplar(40 * MS, new Context("c"), 10_500); // another bucket has its own
        assertThat(traceIn(histogram, 40 * MS)).isEqualTo("c");

        histogram.exemplar(3 * MS, new Context("d"), 9_000); // an earlier reading (another worker's): not due
        assertThat(traceIn(histogram, 3 * MS)).isEqualTo("a");

        histogram.exemplar(3 * MS, new Context("e"), 11_000); // a second after "a": renewed
        assertThat(traceIn(histogram, 3 * MS)).isEqualTo("e");
        assertThat(traceIn(histogram, 40 * MS)).isEqualTo("c");
        assertThat(Objects.requireNonNull(histogram.exemplars()).all())
                .extracting(Exemplar::epochMillis)
                .containsExactlyInAnyOrder(11_000L, 10_500L);
    }
}
