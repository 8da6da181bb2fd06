package dev.portflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The autoscaler's rule on hand-made samples: edge cases, each bound and timer. */
class ScalingPolicyTest {

    private static final ScalingSettings DEFAULTS = ScalingSettings.defaults();
    private static final long EPOCH_MILLIS = 1_800_000_000_000L;

    private static ScalingPolicy policy(Workers bounds) {
        return new ScalingPolicy("enrich", bounds, DEFAULTS, () -> Instant.ofEpochMilli(EPOCH_MILLIS));
    }

    @Test
    void theFirstSampleOnlyStartsTheMeasurement() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);

        assertThat(policy.observe(c.sample())).isNull();
        assertThat(policy.desired()).isEqualTo(2);
        assertThat(policy.drainSeconds()).isZero();
        assertThat(policy.status()).isEqualTo("first sample: measuring from 2 workers");

        ScalingPolicy withBacklog = policy(Workers.between(1, 16));
        c.depth = 500;
        assertThat(withBacklog.observe(c.sample())).isNull();
        assertThat(withBacklog.drainSeconds()).as("nothing seen draining yet").isEqualTo(DEFAULTS.drainSecondsCap());
    }

    @Test
    void countersThatDoNotMoveChangeNothing() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        policy.observe(c.sample());
        for (int i = 0; i < 30; i++) {
            c.nanoTime += 1_000_000_000L;
            assertThat(policy.observe(c.sample())).isNull();
        }
        assertThat(policy.status()).isEqualTo("no worker time measured in the last 1.0 s: holding at 4");
        assertThat(policy.desired()).isEqualTo(4);
        assertThat(policy.drainSeconds()).isZero();
    }

    @Test
    void aStageThatFinishesNothingWithAFullInputIsDoubled() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        policy.observe(c.sample());

        ScalingDecision d = policy.observe(c.advance(1, 1.0, 0, 0, 1000, 1000));

        assertThat(d).isNotNull();
        assertThat(Objects.requireNonNull(d).to()).isEqualTo(4);
        assertThat(d.reason())
                .isEqualTo("busy 100 % of worker time, input full (1,000 of 1,000), outputs not backpressured"
                        + " (0 %); demand hidden behind the full input: doubling; widening 2 -> 4");
        assertThat(policy.drainSeconds()).isEqualTo(DEFAULTS.drainSecondsCap());
    }

    @Test
    void withoutAFinishedMessageAGrowingBacklogWidensByOne() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        policy.observe(c.sample());

        ScalingDecision d = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 0, 300, 300)));

        assertThat(d.to()).isEqualTo(3);
        assertThat(d.reason())
                .contains("backlog grew by 300 to 300 in 1.0 s")
                .contains("no message finished to size from")
                .doesNotContain("NaN");
    }

    @Test
    void aMeasuredDemandIsServedAtTheTargetUtilizationInBoundedSteps() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(1, 1000);
        policy.observe(c.sample());

        // 200 finished in 1 s at 100 % busy: 5 ms each; 1,000/s arriving needs 1000 x 0.005 / 0.7 = 7.1 -> 8
        ScalingDecision d = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 200, 1000, 800)));

        assertThat(d.to()).isEqualTo(4);
        assertThat(d.reason())
                .isEqualTo("busy 100 % of worker time, backlog grew by 800 to 800 in 1.0 s, outputs not"
                        + " backpressured (0 %); 1,000/s arriving x 5.0 ms per message and a backlog of 800 need 8 workers at"
                        + " 70 % busy; widening 1 -> 4 (at most x4 at a time)");
        assertThat(d.epochMillis()).isEqualTo(EPOCH_MILLIS);
        assertThat(d.component()).isEqualTo("enrich");
        assertThat(policy.desired()).isEqualTo(4);
    }

    @Test
    void widenedStepsAreCappedAtMax() {
        ScalingPolicy policy = policy(Workers.between(1, 3));
        Counters c = new Counters(1, 1000);
        policy.observe(c.sample());

        ScalingDecision d = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 200, 1000, 800)));

        assertThat(d.to()).isEqualTo(3);
        assertThat(d.reason()).endsWith("widening 1 -> 3 (max 3)");
    }

    @Test
    void hysteresisBusyJustBelowTheWideningThresholdHolds() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        policy.observe(c.sample());

        for (int i = 0; i < 20; i++) {
            assertThat(policy.observe(c.advance(1, 0.84, 0, 672, 680, c.depth + 8)))
                    .isNull();
        }
        assertThat(policy.status()).contains("while busy only 84 % of worker time: not widening");
    }

    @Test
    void aBusyStageWithoutABacklogIsKeepingUp() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        policy.observe(c.sample());

        assertThat(policy.observe(c.advance(1, 0.95, 0, 760, 760, 3))).isNull();
        assertThat(policy.status()).isEqualTo("busy 95 % of worker time but backlog 3: keeping up; holding at 4");
    }

    @Test
    void aBacklogThatDrainsTooSlowlyCountsAsNotDraining() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        c.depth = 800;
        policy.observe(c.sample());

        // drains 20 a second: 780 left would take 39 s, more than backlogDrain (10 s)
        ScalingDecision d = policy.observe(c.advance(1, 1.0, 0, 800, 780, 780));

        assertThat(d).isNotNull();
        assertThat(Objects.requireNonNull(d).reason()).contains("backlog of 780 drains in 39.0 s (more than 10 s)");
    }

    @Test
    void backpressuredOutputsMeanTheBottleneckIsDownstream() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        policy.observe(c.sample());

        assertThat(policy.observe(c.advance(1, 0.40, 0.58, 320, 1000, 700))).isNull();
        assertThat(policy.status())
                .isEqualTo("busy 40 % and backpressured 58 % of worker time, backlog grew by 700 to 700"
                        + " in 1.0 s, but outputs backpressured 58 % of worker time: the bottleneck is downstream and widening would"
                        + " only move the queue; holding at 4");
        assertThat(policy.desired()).isEqualTo(4);
    }

    @Test
    void aMostlyIdleStageIsNarrowedAfterNarrowAfterAtMostByHalf() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(8, 1000);
        policy.observe(c.sample());

        for (int i = 1; i < 10; i++) {
            assertThat(policy.observe(c.advance(1, 0.05, 0, 80, 80, 0)))
                    .as("second %d", i)
                    .isNull();
        }
        assertThat(policy.status())
                .startsWith("mostly idle for 9.0 s of 10 s: busy 5 % of worker time")
                .contains("would narrow 8 -> 4");
        assertThat(policy.desired()).isEqualTo(4);

        ScalingDecision d = Objects.requireNonNull(policy.observe(c.advance(1, 0.05, 0, 80, 80, 0)));
        assertThat(d.to()).isEqualTo(4);
        assertThat(d.reason())
                .isEqualTo("mostly idle for 10.0 s: busy 5 % of worker time, 80/s arriving x 5.0 ms per message"
                        + " need 1 worker at 70 % busy; narrowing 8 -> 4 (at most halving)");

        c.workers = 4;
        for (int i = 1; i < 10; i++) {
            assertThat(policy.observe(c.advance(1, 0.10, 0, 80, 80, 0)))
                    .as("the timer restarts after a change")
                    .isNull();
        }
        assertThat(Objects.requireNonNull(policy.observe(c.advance(1, 0.10, 0, 80, 80, 0)))
                        .to())
                .isEqualTo(2);
    }

    @Test
    void oneBusySecondRestartsTheIdleTimer() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(8, 1000);
        policy.observe(c.sample());
        for (int i = 0; i < 8; i++) {
            assertThat(policy.observe(c.advance(1, 0.05, 0, 80, 80, 0))).isNull();
        }
        assertThat(policy.observe(c.advance(1, 0.60, 0, 960, 960, 0))).isNull();
        for (int i = 0; i < 9; i++) {
            assertThat(policy.observe(c.advance(1, 0.05, 0, 80, 80, 0))).isNull();
        }
        assertThat(policy.observe(c.advance(1, 0.05, 0, 80, 80, 0))).isNotNull();
    }

    @Test
    void aWideningThatDidNotRaiseThroughputIsUndoneAndBecomesACeiling() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        c.depth = 1000;
        policy.observe(c.sample());
        // 2 workers, 2 ms per message: 1,000/s; full input
        ScalingDecision widen = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 1000, 1000, 1000)));
        assertThat(widen.to()).isEqualTo(4);

        // 4 workers, but each message now takes 3.9 ms of worker time: 1,030/s
        c.workers = 4;
        for (int i = 0; i < 2; i++) {
            assertThat(policy.observe(c.advance(1, 1.0, 0, 1030, 1030, 1000))).isNull();
            assertThat(policy.status()).startsWith("measuring widening 2 -> 4");
        }
        ScalingDecision back = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 1030, 1030, 1000)));

        assertThat(back.from()).isEqualTo(4);
        assertThat(back.to()).isEqualTo(2);
        assertThat(back.reason())
                .isEqualTo("widening 2 -> 4 raised throughput 3 % (1,000/s -> 1,030/s), as much as 2.1"
                        + " workers would: more workers do not help (CPU-bound or a shared limit); back to 2");

        c.workers = 2;
        for (int i = 0; i < 60; i++) {
            assertThat(policy.observe(c.advance(1, 1.0, 0, 1000, 1000, 1000)))
                    .as("sticky")
                    .isNull();
        }
        assertThat(policy.status())
                .isEqualTo("busy 100 % of worker time, input full (1,000 of 1,000), outputs not"
                        + " backpressured (0 %): at the ceiling found at 2 workers: widening 2 -> 4 raised throughput 3 %"
                        + " (1,000/s -> 1,030/s); holding until the load drops or 10 min pass");
        assertThat(policy.desired()).isEqualTo(2);
    }

    /**
     * Seen on 2 cores: 4 spinning workers starve the stage's sink of a core, so its outputs fill up
     * and the workers wait for room (and for a core) instead of working. Busy 25 % of worker time
     * then extrapolates to four times what the stage finishes; what it finishes did not rise.
     */
    @Test
    void aBlindWideningAfterWhichTheOutputsFillAndNothingMoreIsFinishedIsUndone() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        c.depth = 1000;
        policy.observe(c.sample());
        // 2 workers, 2 ms per message: 1,000/s; full input, free outputs: demand hidden, doubling
        ScalingDecision widen = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 1000, 1000, 1000)));
        assertThat(widen.to()).isEqualTo(4);

        // 4 workers: still 1,000/s, busy 25 %, backpressured 25 %, the input still full
        c.workers = 4;
        ScalingDecision back = null;
        for (int i = 0; i < 3 && back == null; i++) {
            back = policy.observe(c.advance(1, 0.25, 0.25, 1000, 1000, 1000));
        }
        assertThat(back).as(policy.status()).isNotNull();
        assertThat(Objects.requireNonNull(back).to()).isEqualTo(2);
        assertThat(back.reason()).contains("more workers do not help");
    }

    /**
     * A CPU-bound stage on 2 cores widened 1 -> 4 (its workers are virtual threads: the two beyond the
     * cores wait for a carrier, and starve the stage's source and sink too). Messages wait throughout,
     * the outputs are somewhat backpressured, a third of the worker time is idle: worker time
     * extrapolates to 3,800/s; what the stage finished rose only to 1,900/s, as 2 workers would.
     * (Seen in AutoscalerTest on 2 cores: held at 4 until this rule.)
     */
    @Test
    void aWideningAfterWhichWorkersIdleWhileMessagesWaitIsJudgedByWhatItFinished() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(1, 1024);
        c.depth = 1024;
        policy.observe(c.sample());
        ScalingDecision widen = Objects.requireNonNull(policy.observe(c.advance(1, 0.99, 0, 900, 1900, 1024)));
        assertThat(widen.to()).as(widen.reason()).isEqualTo(4);

        c.workers = 4;
        ScalingDecision back = null;
        for (int i = 0; i < 3 && back == null; i++) {
            back = policy.observe(c.advance(1, 0.5, 0.15, 1900, 1980, 300 + 80 * i));
        }
        assertThat(back).as(policy.status()).isNotNull();
        assertThat(Objects.requireNonNull(back).to()).isEqualTo(2);
        assertThat(back.reason()).contains("more workers do not help");
    }

    @Test
    void aWideningWorthPartOfItsWorkersIsCutBackToWhatItIsWorth() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        c.depth = 1000;
        policy.observe(c.sample());
        assertThat(Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 800, 800, 1000)))
                        .to())
                .isEqualTo(8);

        // 8 workers finish what 6 would (a pool of 6 connections, say)
        c.workers = 8;
        ScalingDecision back = null;
        for (int i = 0; i < 3; i++) {
            back = policy.observe(c.advance(1, 1.0, 0, 1200, 1200, 1000));
        }
        assertThat(Objects.requireNonNull(back).to()).isEqualTo(6);
        assertThat(back.reason()).contains("as much as 6.0 workers would").endsWith("down to 6");
    }

    @Test
    void workersChangedBySomeoneElseAreAcceptedAndMeasuredAfresh() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        c.depth = 1000;
        policy.observe(c.sample());
        assertThat(Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 1000, 1000, 1000)))
                        .to())
                .isEqualTo(4);

        c.workers = 6; // an operator, not the decision
        assertThat(policy.observe(c.advance(1, 1.0, 0, 1000, 1000, 1000))).isNull();
        assertThat(policy.status()).isEqualTo("workers changed from 4 to 6 outside the autoscaler: measuring again");
        assertThat(policy.desired()).isEqualTo(6);

        // no evaluation of "2 -> 4" is judged on 6 workers; the rule carries on from 6
        ScalingDecision next = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 1000, 1000, 1000)));
        assertThat(next.from()).isEqualTo(6);
        assertThat(next.to()).isEqualTo(12);
    }

    @Test
    void aClockGoingBackwardsOrStandingStillNeverDividesByZero() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        policy.observe(c.sample());
        policy.observe(c.advance(1, 0.5, 0, 200, 200, 0));
        String before = policy.status();

        assertThat(policy.observe(c.sample())).as("the same sample again").isNull();
        assertThat(policy.status()).isEqualTo(before);

        c.finished += 5; // same time, other counters
        assertThat(policy.observe(c.sample())).isNull();
        assertThat(policy.status())
                .isEqualTo("a sample not later than the previous one: measuring again from 2 workers");

        c.nanoTime -= 5_000_000_000L;
        assertThat(policy.observe(c.sample())).isNull();
        assertThat(policy.status()).startsWith("a sample not later than the previous one");
        assertThat(policy.drainSeconds()).isZero();

        // and from there on it measures again
        ScalingDecision d = Objects.requireNonNull(policy.observe(c.advance(1, 1.0, 0, 0, 1000, 1000)));
        assertThat(d.to()).isEqualTo(4);
    }

    @Test
    void countersGoingBackRestartTheMeasurement() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(2, 1000);
        policy.observe(c.advance(1, 0.5, 0, 200, 200, 0));
        c.finished = 0;
        c.busy = 0;
        c.nanoTime += 1_000_000_000L;

        assertThat(policy.observe(c.sample())).isNull();
        assertThat(policy.status())
                .isEqualTo("counters went back (the stage restarted?): measuring again from 2 workers");
    }

    @Test
    void workersOutsideTheBoundsAreBroughtBack() {
        ScalingPolicy policy = policy(Workers.between(2, 16));
        Counters c = new Counters(20, 1000);

        ScalingDecision d = Objects.requireNonNull(policy.observe(c.sample()));

        assertThat(d.to()).isEqualTo(16);
        assertThat(d.reason()).isEqualTo("20 workers is outside the bounds 2 to 16: setting 16");
        c.workers = 1;
        assertThat(Objects.requireNonNull(policy.observe(c.advance(1, 0.5, 0, 10, 10, 0)))
                        .to())
                .isEqualTo(2);
    }

    @Test
    void aFixedStageIsOnlyMeasured() {
        ScalingPolicy policy = policy(Workers.fixed(3));
        Counters c = new Counters(3, 1000);
        policy.observe(c.sample());

        assertThat(policy.observe(c.advance(1, 1.0, 0, 0, 1000, 1000))).isNull();
        assertThat(policy.status()).isEqualTo("fixed at 3 workers");
        assertThat(policy.desired()).isEqualTo(3);
    }

    @Test
    void drainSecondsIsTheBacklogOverTheRecentThroughput() {
        ScalingPolicy policy = policy(Workers.between(1, 16));
        Counters c = new Counters(4, 1000);
        policy.observe(c.sample());
        policy.observe(c.advance(1, 0.6, 0, 400, 400, 0));
        policy.observe(c.advance(1, 0.6, 0, 600, 600, 0));
        policy.observe(c.advance(1, 0.6, 0, 500, 700, 200));

        assertThat(policy.drainSeconds()).isEqualTo(200 / 500.0);
    }

    @Test
    void settingsAreChecked() {
        ScalingSettings d = DEFAULTS;
        assertThatThrownBy(() -> new ScalingSettings(
                        d.interval(),
                        0.5,
                        0.6,
                        0.7,
                        d.maxBackpressured(),
                        d.fullFraction(),
                        d.backlogDrain(),
                        d.maxGrowth(),
                        d.evaluation(),
                        d.narrowAfter(),
                        d.minWorkerGain(),
                        d.proportionalShare(),
                        d.ceilingRetry(),
                        d.drainSecondsCap()))
                .hasMessageContaining("busyLow < targetUtilization < busyHigh");
        assertThatThrownBy(() -> new ScalingSettings(
                        Duration.ZERO,
                        d.busyHigh(),
                        d.busyLow(),
                        d.targetUtilization(),
                        d.maxBackpressured(),
                        d.fullFraction(),
                        d.backlogDrain(),
                        d.maxGrowth(),
                        d.evaluation(),
                        d.narrowAfter(),
                        d.minWorkerGain(),
                        d.proportionalShare(),
                        d.ceilingRetry(),
                        d.drainSecondsCap()))
                .hasMessage("interval must be positive, was PT0S");
        assertThatThrownBy(() -> new ScalingSettings(
                        d.interval(),
                        d.busyHigh(),
                        d.busyLow(),
                        d.targetUtilization(),
                        d.maxBackpressured(),
                        d.fullFraction(),
                        d.backlogDrain(),
                        1,
                        d.evaluation(),
                        d.narrowAfter(),
                        d.minWorkerGain(),
                        d.proportionalShare(),
                        d.ceilingRetry(),
                        d.drainSecondsCap()))
                .hasMessage("maxGrowth must be at least 2, was 1");
    }

    /**
     * Whatever the samples (counters jumping, standing still, going back, zero and odd worker counts),
     * figures stay finite: no NaN or Infinity in a reason, drain time within [0, cap], decisions
     * within the bounds.
     */
    @Test
    void arbitrarySamplesNeverProduceNaNOrDecisionsOutOfBounds() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Workers bounds = Workers.between(1 + r.nextInt(3), 4 + r.nextInt(13));
            ScalingPolicy policy = policy(bounds);
            Counters c = new Counters(1 + r.nextInt(20), r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(2000));
            for (int step = 0; step < 200; step++) {
                switch (r.nextInt(10)) {
                    case 0 -> c.nanoTime -= r.nextLong(2_000_000_000L);
                    case 1 -> {} // time stands still
                    case 2 -> c.workers = r.nextInt(25);
                    case 3 -> c.finished = Math.max(0, c.finished - r.nextInt(100));
                    default -> {
                        double busy = r.nextDouble();
                        c.advance(
                                r.nextDouble(0.001, 3),
                                busy,
                                r.nextDouble(1 - busy),
                                r.nextInt(5000),
                                r.nextInt(5000),
                                c.capacity == 0 ? 0 : r.nextInt(c.capacity + 1));
                    }
                }
                ScalingDecision d = policy.observe(c.sample());
                String context = "seed " + seed + " step " + step;
                assertThat(policy.status()).as(context).doesNotContain("NaN").doesNotContain("Infinity");
                assertThat(policy.drainSeconds()).as(context).isBetween(0.0, DEFAULTS.drainSecondsCap());
                assertThat(policy.desired()).as(context).isBetween(bounds.min(), bounds.max());
                if (d != null) {
                    assertThat(d.reason()).as(context).doesNotContain("NaN").doesNotContain("Infinity");
                    assertThat(d.to())
                            .as(context)
                            .isBetween(bounds.min(), bounds.max())
                            .isNotEqualTo(d.from());
                    c.workers = d.to();
                }
            }
        }
    }

    /** Cumulative counters advanced by hand, one interval at a time. */
    private static final class Counters {
        long nanoTime = 42_000_000_000L;
        int workers;
        long busy;
        long idle;
        long backpressured;
        long finished;
        long arrived;
        int depth;
        final int capacity;

        Counters(int workers, int capacity) {
            this.workers = workers;
            this.capacity = capacity;
        }

        /** {@code seconds} in which the workers were busy and backpressured the given shares (idle the rest). */
        StageSample advance(
                double seconds, double busyShare, double backpressuredShare, long finished, long arrived, int depth) {
            long nanos = Math.round(seconds * 1e9);
            long workerNanos = nanos * workers;
            long b = Math.round(workerNanos * busyShare);
            long p = Math.round(workerNanos * backpressuredShare);
            busy += b;
            backpressured += p;
            idle += Math.max(0, workerNanos - b - p);
            this.finished += finished;
            this.arrived += arrived;
            this.depth = depth;
            nanoTime += nanos;
            return sample();
        }

        StageSample sample() {
            return new StageSample(nanoTime, workers, busy, idle, backpressured, finished, arrived, depth, capacity);
        }
    }
}
