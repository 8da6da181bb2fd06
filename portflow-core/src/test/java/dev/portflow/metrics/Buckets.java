package dev.portflow.metrics;

/** Test access to {@link LatencyHistogram}'s bucket of a value, for "within one bucket" assertions. */
public final class Buckets {

    private Buckets() {}

    /** The index of the histogram bucket that {@code nanos} falls in. */
    public static int of(long nanos) {
        return LatencyHistogram.bucketIndex(nanos);
    }
}
