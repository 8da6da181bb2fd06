package dev.portflow.metrics;

/**
 * An immutable copy of a {@link LatencyHistogram}.
 *
 * @param counts   samples per bucket (see {@link LatencyHistogram} for the layout)
 * @param count    total samples
 * @param sumNanos sum of the samples (a double: see {@link LatencyHistogram})
 * @param minNanos smallest sample (0 when empty)
 * @param maxNanos largest sample
 */
@SuppressWarnings("ArrayRecordComponent") // a snapshot's buckets: built once, read by exporters, never compared
public record HistogramSnapshot(long[] counts, long count, double sumNanos, long minNanos, long maxNanos) {

    public static final HistogramSnapshot EMPTY = new HistogramSnapshot(new long[LatencyHistogram.BUCKETS], 0, 0, 0, 0);

    /** Mean in nanoseconds, 0 when empty. */
    public double meanNanos() {
        return count == 0 ? 0 : sumNanos / count;
    }

    /**
     * The value below which {@code quantile} of the samples fall, interpolated linearly inside its
     * bucket, and always within [{@link #minNanos()}, {@link #maxNanos()}]: a quantile never lies below
     * the smallest or above the largest value recorded. Its error is at most one bucket's width
     * (see {@link LatencyHistogram}); 0 when empty.
     */
    public double percentileNanos(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be within [0, 1], was " + quantile);
        }
        if (count == 0) {
            return 0;
        }
        double rank = quantile * count;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if (c == 0) {
                continue;
            }
            if (seen + c >= rank) {
                // The bucket's range narrowed to what was recorded: all-time min and max are exact.
                double lower = Math.max((double) LatencyHistogram.lowerBoundNanos(i), (double) minNanos);
                double upper = Math.min((double) LatencyHistogram.upperBoundNanos(i), (double) maxNanos);
                if (upper <= lower) {
                    return clamp(upper);
                }
                double within = (rank - seen) / c;
                return clamp(lower + within * (upper - lower));
            }
            seen += c;
        }
        return maxNanos;
    }

    private double clamp(double nanos) {
        return Math.max(minNanos, Math.min(maxNanos, nanos));
    }

    /** Samples at or below {@code boundNanos}, counting whole buckets whose upper bound is within it. */
    public long cumulativeCountAtOrBelow(long boundNanos) {
        long total = 0;
        for (int i = 0; i < counts.length - 1; i++) {
            if (LatencyHistogram.upperBoundNanos(i) > boundNanos) {
                break;
            }
            total += counts[i];
        }
        return total;
    }

    /** The difference {@code this - earlier}: the samples recorded between two snapshots. */
    public HistogramSnapshot minus(HistogramSnapshot earlier) {
        long[] diff = new long[counts.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            diff[i] = Math.max(0, counts[i] - earlier.counts[i]);
            total += diff[i];
        }
        // A window's min and max are not recoverable from two cumulative snapshots; the all-time ones
        // stay bounds of every value in it, so its quantiles still lie within what was recorded.
        return new HistogramSnapshot(
                diff,
                total,
                Math.max(0, sumNanos - earlier.sumNanos),
                total == 0 ? 0 : minNanos,
                total == 0 ? 0 : maxNanos);
    }
}
