package dev.portflow.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Drives a {@link ScalingPolicy} with a {@link StageSimulator} as the runtime will: one sample per
 * simulated second, each decision applied at once. Records what happened, second by second.
 */
final class ScalingRun {

    /** A decision and the simulated second it was taken at. */
    record Timed(int second, ScalingDecision decision) {
        @Override
        public String toString() {
            return "t=" + second + " " + decision.from() + "->" + decision.to() + ": " + decision.reason();
        }
    }

    static final long EPOCH_MILLIS = 1_800_000_000_000L;

    final StageSimulator stage;
    final ScalingPolicy policy;
    final List<Timed> decisions = new ArrayList<>();
    /** Index = second: backlog (upstream + input buffer), workers, desired, status after that second's sample. */
    final List<Long> backlog = new ArrayList<>();

    final List<Integer> workers = new ArrayList<>();
    final List<Integer> desired = new ArrayList<>();
    final List<String> statuses = new ArrayList<>();
    final long seed;

    ScalingRun(StageSimulator stage, Workers bounds, ScalingSettings settings, long seed) {
        this.stage = stage;
        this.seed = seed;
        this.policy = new ScalingPolicy(
                "stage", bounds, settings, () -> Instant.ofEpochMilli(EPOCH_MILLIS + stage.nanos() / 1_000_000));
        // the runtime's sampler starts with the stage: the first sample, at 0, only starts the measurement
        if (policy.observe(stage.sample()) != null) {
            throw new AssertionError("a decision on the first sample");
        }
        record();
    }

    ScalingRun(StageSimulator stage, Workers bounds, long seed) {
        this(stage, bounds, ScalingSettings.defaults(), seed);
    }

    /** Samples once per simulated second up to {@code seconds}. */
    ScalingRun runTo(int seconds) {
        for (int s = backlog.size(); s <= seconds; s++) {
            stage.advanceTo(s);
            ScalingDecision d = policy.observe(stage.sample());
            if (d != null) {
                decisions.add(new Timed(s, d));
                stage.setWorkers(d.to());
            }
            record();
        }
        return this;
    }

    private void record() {
        backlog.add(stage.backlog());
        workers.add(stage.workers());
        desired.add(policy.desired());
        statuses.add(policy.status());
    }

    List<Timed> decisionsBetween(double fromSecond, double toSecond) {
        return decisions.stream()
                .filter(t -> t.second() > fromSecond && t.second() <= toSecond)
                .toList();
    }

    /** The last second in [from, to] at which the backlog was larger than a second earlier; -1 if none. */
    int lastGrowthBetween(int from, int to) {
        int last = -1;
        for (int s = Math.max(1, from); s <= to && s < backlog.size(); s++) {
            if (backlog.get(s) > backlog.get(s - 1)) {
                last = s;
            }
        }
        return last;
    }

    int maxWorkersBetween(int from, int to) {
        return workers.subList(from, to + 1).stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElseThrow();
    }

    /** For assertion messages: the seed and every decision. */
    String describe() {
        return "seed " + seed + ", decisions:\n  "
                + decisions.stream().map(Timed::toString).collect(Collectors.joining("\n  ")) + "\nworkers per second: "
                + workers
                + "\nbacklog per second: " + backlog + "\nlast status: " + policy.status();
    }
}
