package dev.portflow.tracing;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Which messages a pipeline traces (docs/tracing.md): a share of those that enter, and those that turn
 * out slow or fail. The blueprint's {@code tracing: {sample_ratio: 0.01, slow_ms: 500}} sets the first
 * two.
 *
 * @param sampleRatio         the share of entering messages traced from their entry (head sampling), 0 to
 *                            1; a caller's {@code traceparent} that says <em>sampled</em> is traced whatever
 *                            the ratio. Default {@value #DEFAULT_SAMPLE_RATIO}: one message in a hundred
 * @param slowAfter           the age at which a message not traced from its entry is traced from the stage
 *                            that sees it that old; {@code null}: never. Default 1 s: far beyond the
 *                            milliseconds a message spends in a healthy in-memory pipeline, so what it
 *                            catches is a backlog or a stalled stage
 * @param lateTracesPerSecond how many such late traces (slow or failed messages) a pipeline starts per
 *                            second at most, so that a backed-up pipeline, in which every message is slow,
 *                            or a stage that fails every message, does not trace every message; bursts of up
 *                            to a second's worth. 0: no late traces. Default {@value
 *                            #DEFAULT_LATE_TRACES_PER_SECOND}
 */
public record TracingSettings(double sampleRatio, @Nullable Duration slowAfter, int lateTracesPerSecond) {

    /** {@link #sampleRatio()} when not set. */
    public static final double DEFAULT_SAMPLE_RATIO = 0.01;
    /** {@link #slowAfter()} when not set. */
    public static final Duration DEFAULT_SLOW_AFTER = Duration.ofSeconds(1);
    /** {@link #lateTracesPerSecond()} when not set. */
    public static final int DEFAULT_LATE_TRACES_PER_SECOND = 10;

    /**
     * @throws IllegalArgumentException if {@code sampleRatio} is not between 0 and 1, {@code slowAfter}
     *                                  is negative, or {@code lateTracesPerSecond} is negative
     */
    public TracingSettings {
        if (!(sampleRatio >= 0.0 && sampleRatio <= 1.0)) { // also refuses NaN
            throw new IllegalArgumentException(
                    "sample ratio must be between 0 and 1 (0.01: one message in a hundred)," + " was " + sampleRatio);
        }
        if (slowAfter != null && slowAfter.isNegative()) {
            throw new IllegalArgumentException(
                    "slowAfter must not be negative, was " + slowAfter + " (null: never trace slow messages)");
        }
        if (lateTracesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "late traces per second must not be negative, was " + lateTracesPerSecond + " (0: none)");
        }
    }

    /** Ratio 0.01, slow after 1 s, at most 10 late traces a second. */
    public static TracingSettings defaults() {
        return new TracingSettings(DEFAULT_SAMPLE_RATIO, DEFAULT_SLOW_AFTER, DEFAULT_LATE_TRACES_PER_SECOND);
    }

    /** These settings with {@code ratio} of the entering messages traced. */
    public TracingSettings withSampleRatio(double ratio) {
        return new TracingSettings(ratio, slowAfter, lateTracesPerSecond);
    }

    /** These settings with messages traced late from the age {@code age} ({@code null}: never). */
    public TracingSettings withSlowAfter(@Nullable Duration age) {
        return new TracingSettings(sampleRatio, age, lateTracesPerSecond);
    }

    /** These settings with at most {@code perSecond} late traces a second. */
    public TracingSettings withLateTracesPerSecond(int perSecond) {
        return new TracingSettings(sampleRatio, slowAfter, perSecond);
    }

    /** {@link #slowAfter()} in nanoseconds, {@code Long.MAX_VALUE} for never (and for ages beyond 292 years). */
    public long slowAfterNanos() {
        if (slowAfter == null) {
            return Long.MAX_VALUE;
        }
        try {
            return slowAfter.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
