package dev.portflow.http;

import dev.portflow.metrics.PortCounters;

/**
 * How long the buffers behind an output port need to drain, from the rate at which their receivers
 * took messages over the last few seconds: the basis of {@code Retry-After}.
 *
 * <p>Samples the channels' receive counters at most every {@link #SAMPLE_EVERY_NANOS}, keeping
 * {@link #SAMPLES} of them (a window of about five seconds). Cheap to call per request: between
 * samples it costs one volatile read.
 */
final class DrainRate {

    static final long SAMPLE_EVERY_NANOS = 250_000_000L;
    static final int SAMPLES = 21;
    static final int MIN_SECONDS = 1;
    static final int MAX_SECONDS = 60;

    private final PortCounters port;
    private final long[] times = new long[SAMPLES];
    private final long[] drained = new long[SAMPLES];
    private int newest = -1;
    private int count;
    private volatile long nextSampleAt = Long.MIN_VALUE;

    DrainRate(PortCounters port) {
        this.port = port;
    }

    /** Takes a sample if one is due. */
    void tick(long nowNanos) {
        if (nowNanos - nextSampleAt >= 0 || nextSampleAt == Long.MIN_VALUE) {
            synchronized (this) {
                if (nowNanos - nextSampleAt >= 0 || nextSampleAt == Long.MIN_VALUE) {
                    newest = (newest + 1) % SAMPLES;
                    times[newest] = nowNanos;
                    drained[newest] = port.removedFromBuffers();
                    count = Math.min(count + 1, SAMPLES);
                    nextSampleAt = nowNanos + SAMPLE_EVERY_NANOS;
                }
            }
        }
    }

    /** Messages per second taken from the buffers over the window, or -1 before two samples exist. */
    synchronized double messagesPerSecond(long nowNanos) {
        if (count < 1) {
            return -1;
        }
        int oldest = (newest - count + 1 + SAMPLES) % SAMPLES;
        long elapsed = nowNanos - times[oldest];
        if (elapsed < SAMPLE_EVERY_NANOS / 2) {
            return -1;
        }
        return (port.removedFromBuffers() - drained[oldest]) * 1e9 / elapsed;
    }

    /**
     * Whole seconds, 1 to 60, for the buffers to drain at the measured rate, rounded up. With no
     * rate measured yet: 1 (look again soon). With a stalled receiver: 60.
     */
    int retryAfterSeconds(long nowNanos) {
        tick(nowNanos);
        int depth = port.depth();
        if (depth == 0) {
            return MIN_SECONDS;
        }
        double rate = messagesPerSecond(nowNanos);
        if (rate < 0) {
            return MIN_SECONDS;
        }
        if (rate == 0) {
            return MAX_SECONDS;
        }
        double seconds = Math.ceil(depth / rate);
        return (int) Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, seconds));
    }
}
