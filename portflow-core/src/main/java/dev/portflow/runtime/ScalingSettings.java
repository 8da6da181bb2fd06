package dev.portflow.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of the stage autoscaler's rule ({@link ScalingPolicy}); {@link #defaults()} suits stages
 * whose messages take microseconds to a few hundred milliseconds. Shares are fractions of the
 * stage's worker time in one interval (busy, idle and backpressured add up to 1). See
 * {@code docs/workers.md}, "Autoscaling: the control rule".
 *
 * @param interval           how often the runtime samples the stage and calls
 *                           {@link ScalingPolicy#observe}; the policy itself works on the samples'
 *                           own timestamps and uses this only to tolerate jitter in them
 * @param busyHigh           widen only a stage whose workers are occupied (busy or backpressured) at
 *                           least this share of their time
 * @param busyLow            narrow only a stage occupied less than this share, for {@link #narrowAfter}
 * @param targetUtilization  the busy share a stage is sized for when its demand can be measured; between
 *                           {@code busyLow} and {@code busyHigh}, so a resized stage lands inside the
 *                           band where nothing changes (hysteresis)
 * @param maxBackpressured   outputs backpressured at least this share of worker time mean the
 *                           bottleneck is downstream: the stage is not widened
 * @param fullFraction       input at least this full counts as full: arrivals are then held back by
 *                           the stage itself (upstream blocked, an ingress answering 503), so the
 *                           measured arrival rate hides the demand and the stage is doubled instead
 * @param backlogDrain       a backlog that would take longer than this to drain counts as "not
 *                           draining"; sizing adds enough workers to drain the current backlog in it
 * @param maxGrowth          a widening multiplies the workers by at most this (at least 2)
 * @param evaluation         after a widening, how long the new size is measured (nothing else
 *                           changes meanwhile) before judging whether it raised throughput
 * @param narrowAfter        how long a stage must stay mostly idle before each narrowing
 * @param minWorkerGain      after a widening that raised throughput less than in proportion, the
 *                           stage keeps a further worker only for each part of its effective
 *                           worker count above this fraction; below it, the widening is undone to
 *                           that count and it becomes a ceiling
 * @param proportionalShare  a widening whose throughput rose at least to this share of proportional
 *                           (e.g. 2 -> 4 workers, at least 0.85 x 2 = 1.7 times) fully helped; the
 *                           allowance absorbs measurement noise
 * @param ceilingRetry       how long a ceiling found by a widening that did not help holds, unless the
 *                           load drops first (the stage mostly idle for {@code narrowAfter})
 * @param drainSecondsCap    the value of {@link ScalingPolicy#drainSeconds()} when a backlog does not
 *                           drain at all (a finite number that Prometheus adapters and HPA can read)
 */
record ScalingSettings(
        Duration interval,
        double busyHigh,
        double busyLow,
        double targetUtilization,
        double maxBackpressured,
        double fullFraction,
        Duration backlogDrain,
        int maxGrowth,
        Duration evaluation,
        Duration narrowAfter,
        double minWorkerGain,
        double proportionalShare,
        Duration ceilingRetry,
        double drainSecondsCap) {

    ScalingSettings {
        positive(interval, "interval");
        positive(backlogDrain, "backlogDrain");
        positive(evaluation, "evaluation");
        positive(narrowAfter, "narrowAfter");
        positive(ceilingRetry, "ceilingRetry");
        if (!(0 < busyLow && busyLow < targetUtilization && targetUtilization < busyHigh && busyHigh <= 1)) {
            throw new IllegalArgumentException("need 0 < busyLow < targetUtilization < busyHigh <= 1, was " + busyLow
                    + ", " + targetUtilization + ", " + busyHigh);
        }
        if (!(0 < maxBackpressured && maxBackpressured < 1)) {
            throw new IllegalArgumentException("maxBackpressured must be in (0, 1), was " + maxBackpressured);
        }
        if (!(0 < fullFraction && fullFraction <= 1)) {
            throw new IllegalArgumentException("fullFraction must be in (0, 1], was " + fullFraction);
        }
        if (maxGrowth < 2) {
            throw new IllegalArgumentException("maxGrowth must be at least 2, was " + maxGrowth);
        }
        if (!(0 < minWorkerGain && minWorkerGain < 1)) {
            throw new IllegalArgumentException("minWorkerGain must be in (0, 1), was " + minWorkerGain);
        }
        if (!(0 < proportionalShare && proportionalShare <= 1)) {
            throw new IllegalArgumentException("proportionalShare must be in (0, 1], was " + proportionalShare);
        }
        if (!(drainSecondsCap > 0) || Double.isInfinite(drainSecondsCap)) {
            throw new IllegalArgumentException("drainSecondsCap must be positive and finite, was " + drainSecondsCap);
        }
    }

    /**
     * Sample every second; widen when occupied at least 85 % with a backlog that grows or would take
     * more than 10 s to drain and outputs backpressured less than 10 %; size for 70 % busy; double
     * when the input is 90 % full; at most x4 per step; judge a widening over 3 s; narrow after 10 s
     * below 40 %, at most halving; keep a worker for more than 0.3 of a worker's throughput, a
     * widening counts as fully helping at 85 % of proportional; a ceiling holds 10 min; drain time
     * capped at 3600 s.
     */
    static ScalingSettings defaults() {
        return new ScalingSettings(
                Duration.ofSeconds(1),
                0.85,
                0.40,
                0.70,
                0.10,
                0.90,
                Duration.ofSeconds(10),
                4,
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                0.30,
                0.85,
                Duration.ofMinutes(10),
                3600);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
