package dev.portflow.dashboard;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One connection's buffer over the last sampling interval.
 *
 * @param depth          messages buffered now
 * @param capacity       the buffer's capacity
 * @param fill           {@code depth / capacity}
 * @param inPerS         messages the buffer accepted per second
 * @param outPerS        messages the receiver took per second
 * @param ageP50Ms       median age of the messages the receiving port took, {@code null} when it took none
 * @param ageP99Ms       99th percentile of that age, {@code null} when it took none
 * @param oldestAgeMs    age of the oldest message still buffered, 0 when empty
 * @param blockedMsPerS  milliseconds per second the sending port spent blocked on full buffers
 * @param dropsPerS      messages dropped per second, all reasons
 * @param dropRates      messages dropped per second by reason, only the reasons that dropped in the interval
 * @param dropsTotal     drops since start by reason (the sender's reasons and the receiver's)
 */
record EdgeSample(
        int depth,
        int capacity,
        double fill,
        double inPerS,
        double outPerS,
        @Nullable Double ageP50Ms,
        @Nullable Double ageP99Ms,
        double oldestAgeMs,
        double blockedMsPerS,
        double dropsPerS,
        Map<String, Double> dropRates,
        Map<String, Long> dropsTotal) {

    /** The history series of an edge, in the order of {@link #seriesValues()}. */
    static final List<String> SERIES = List.of(
            "depth", "fill", "in_per_s", "out_per_s", "age_p50_ms", "age_p99_ms", "blocked_ms_per_s", "drops_per_s");

    double[] seriesValues() {
        return new double[] {depth, fill, inPerS, outPerS, orNaN(ageP50Ms), orNaN(ageP99Ms), blockedMsPerS, dropsPerS};
    }

    private static double orNaN(@Nullable Double value) {
        return value == null ? Double.NaN : value;
    }
}
