package dev.portflow.metrics;

/**
 * An immutable copy of a {@link LatencyHistogram}.
 *
 * @param counts   samples per bucket (see {@link LatencyHistogram} for the layout)
 * @param count    total samples
 * @param sumNanos sum of the samples
 * @param maxNanos largest sample
 */
public record HistogramSnapshot(long[] counts, long count, long sumNanos, long maxNanos) {

    public static final HistogramSnapshot EMPTY =
            new HistogramSnapshot(new long[LatencyHistogram.BUCKETS], 0, 0, 0);

    /** Mean in nanoseconds, 0 when empty. */
    public double meanNanos() {
        return count == 0 ? 0 : (double) sumNanos / count;
    }

    /**
     * The value below which {@code quantile} of the samples fall, interpolated linearly inside its
     * bucket and never above the recorded maximum; 0 when empty.
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
                double lower = LatencyHistogram.lowerBoundNanos(i);
                double upper = Math.min((double) LatencyHistogram.upperBoundNanos(i), (double) maxNanos);
                if (upper < lower) {
                    return upper;
                }
                double within = (rank - seen) / c;
                return Math.min(maxNanos, lower + within * (upper - lower));
            }
            seen += c;
        }
        return maxNanos;
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
        // The max of a window is not recoverable from two cumulative snapshots; keep the all-time max
        // as an upper bound only when the window saw samples.
        return new HistogramSnapshot(diff, total, Math.max(0, sumNanos - earlier.sumNanos), total == 0 ? 0 : maxNanos);
    }
}
