package dev.portflow.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Head sampling at a ratio by gaps ({@link MessageTracer#untracedGap}): instead of a random draw per
 * message, one draw per traced message says how many untraced ones come before it. The gaps are
 * geometric, so the sampled messages are exactly as likely, and as independent of one another, as with
 * a draw per message.
 */
public final class SamplingGaps {

    private final double ratio;
    private final double logUntraced; // ln(1 - ratio), taken once: a draw then costs one intrinsic logarithm

    private SamplingGaps(double ratio) {
        this.ratio = ratio;
        this.logUntraced = Math.log1p(-ratio);
    }

    /**
     * Gaps for tracing each message with probability {@code ratio}.
     *
     * @throws IllegalArgumentException if {@code ratio} is NaN
     */
    public static SamplingGaps atRatio(double ratio) {
        if (Double.isNaN(ratio)) {
            throw new IllegalArgumentException("sampling ratio must be a number, was NaN");
        }
        return new SamplingGaps(ratio);
    }

    /** A gap, drawn with the calling thread's {@link ThreadLocalRandom}. */
    public long draw() {
        return gap(ThreadLocalRandom.current().nextDouble());
    }

    /**
     * How many messages go untraced before the next traced one when each is traced with probability
     * {@code ratio} (as given to {@link #atRatio}), for a uniform {@code u} in [0, 1): {@code
     * floor(ln(1 - u) / ln(1 - ratio))}, so at least {@code k} go untraced with probability {@code (1 -
     * ratio)^k}. 0 for a ratio of 1 or more; {@link Long#MAX_VALUE} for a ratio of 0 or less (and for a
     * gap past a long's range, as the cast clamps it).
     */
    public long gap(double u) {
        if (ratio >= 1.0) {
            return 0L;
        }
        if (ratio <= 0.0) {
            return Long.MAX_VALUE;
        }
        // 1 - u is uniform in (0, 1] as u is in [0, 1); Math.log is an intrinsic, log1p is not
        return (long) Math.floor(Math.log(1.0 - u) / logUntraced);
    }
}
