package dev.portflow.runtime;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stage autoscaler's rule: given one {@link StageSample} per interval, decides when to widen or
 * narrow a stage configured {@code workers: {min, max}}, and says why with the figures that led to
 * it. Pure computation: no threads, no clock reads except the injected wall clock stamped on
 * decisions.
 *
 * <p>The rule, in short (details in {@code docs/workers.md}, "Autoscaling: the control rule"):
 * <ul>
 * <li><b>Widen</b> a stage whose workers are occupied at least {@link ScalingSettings#busyHigh()} of
 * their time and whose input backlog grows or would take longer than
 * {@link ScalingSettings#backlogDrain()} to drain, unless its outputs are backpressured
 * ({@link ScalingSettings#maxBackpressured()}): then the bottleneck is downstream. If the input is
 * full, the measured arrival rate is capped by the stage itself and hides the demand, so the stage
 * is doubled; otherwise it is sized from measurement: arrivals x time per message / target
 * utilization, plus what drains the backlog in {@code backlogDrain}. At most
 * x{@link ScalingSettings#maxGrowth()} per step, never above max or a known ceiling.</li>
 * <li><b>Judge every widening</b>: for {@link ScalingSettings#evaluation()} nothing else changes;
 * then the throughput the workers achieve at full use (workers / worker time per message) is compared
 * with the one before. If it did not rise in proportion, the stage goes back to the worker count
 * that throughput is worth, and that count becomes a sticky <b>ceiling</b> ("more workers do not
 * help"), lifted once the load has dropped (the stage mostly idle for
 * {@link ScalingSettings#narrowAfter()}) or after {@link ScalingSettings#ceilingRetry()}.</li>
 * <li><b>Narrow</b> a stage occupied less than {@link ScalingSettings#busyLow()} for
 * {@code narrowAfter}, to what its measured load needs at the target utilization, but at most
 * halving at once.</li>
 * </ul>
 * Between {@code busyLow} and {@code busyHigh} nothing changes, and sizing aims at
 * {@link ScalingSettings#targetUtilization()} inside that band, so a resized stage does not
 * oscillate.
 *
 * <p>Use: call {@link #observe} once per interval from one thread with the newest sample and apply
 * the decision it returns (if any) at once; the next sample is expected to show the new count. The
 * gauges {@link #desired()}, {@link #drainSeconds()} and {@link #status()} may be read from any thread.
 */
final class ScalingPolicy {

    private static final long NONE = Long.MIN_VALUE;
    private static final int HISTORY = 8;
    /** Intervals, newest first, that make the "before" throughput of a widening. */
    private static final int BASELINE_INTERVALS = 3;
    /** Below this busy share a throughput-at-full-use figure is too extrapolated to judge a widening by. */
    private static final double MIN_BASELINE_BUSY = 0.5;

    private static final double EPSILON = 1e-9;

    private final String component;
    private final Workers bounds;
    private final ScalingSettings settings;
    private final InstantSource clock;

    private @Nullable StageSample previous; // null before the first sample
    /** The worker count the next sample should show: the last one seen, or the last decision's. */
    private int expectedWorkers;
    /** Recent intervals at a known worker count, newest first. */
    private final ArrayDeque<Interval> history = new ArrayDeque<>();

    private @Nullable Evaluation evaluation; // a widening being measured
    private @Nullable Ceiling ceiling; // a limit found below max
    private volatile int usefulMax; // the workers the stage can usefully have: max, or a ceiling found below it
    private long lastChangeNanos;
    private long idleSinceNanos = NONE;

    private volatile int desired;
    private volatile double drainSeconds;
    private volatile String status = "no sample yet";

    /**
     * @param component the stage's name, put on decisions
     * @param bounds    its worker range
     * @param settings  the rule's knobs
     * @param clock     the wall clock decisions are stamped with ({@link InstantSource#system()} in the runtime)
     */
    ScalingPolicy(String component, Workers bounds, ScalingSettings settings, InstantSource clock) {
        this.component = Objects.requireNonNull(component, "component");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.desired = bounds.min();
        this.usefulMax = bounds.max();
    }

    /**
     * Takes the newest sample and returns the change to apply now, or null to keep the workers as they
     * are. The first sample only starts the measurement. A sample not later than the previous one, or
     * whose counters went back, restarts it; a worker count changed by someone else is accepted and
     * measured afresh.
     */
    @Nullable
    ScalingDecision observe(StageSample sample) {
        Objects.requireNonNull(sample, "sample");
        int current = sample.workers();
        if (previous == null) {
            restart(sample);
            drainSeconds = drainTime(sample, Double.NaN);
            status = "first sample: measuring from " + current + " " + workersWord(current);
            return bringIntoBounds(current);
        }
        long elapsed = sample.nanoTime() - previous.nanoTime();
        if (elapsed == 0 && sample.equals(previous)) {
            return null; // the same reading twice: nothing happened in between
        }
        if (elapsed <= 0 || countersWentBack(previous, sample)) {
            restart(sample);
            drainSeconds = drainTime(sample, Double.NaN);
            status = (elapsed <= 0
                            ? "a sample not later than the previous one"
                            : "counters went back (the stage restarted?)")
                    + ": measuring again from " + current + " " + workersWord(current);
            return bringIntoBounds(current);
        }
        Interval interval = Interval.between(previous, sample);
        previous = sample;
        if (current != expectedWorkers) {
            // someone else (an operator, the runtime failing to apply a change) resized the stage:
            // this interval mixes two sizes, so nothing measured so far describes the new one
            int was = expectedWorkers;
            restart(sample);
            drainSeconds = drainTime(sample, interval.throughput());
            status = "workers changed from " + was + " to " + current + " outside the autoscaler: measuring again";
            return bringIntoBounds(current);
        }
        history.addFirst(interval);
        while (history.size() > HISTORY) {
            history.removeLast();
        }
        drainSeconds = drainTime(sample, recentThroughput());
        long now = sample.nanoTime();

        if (!bounds.isAutoscaled() || current < bounds.min() || current > bounds.max()) {
            ScalingDecision out = bringIntoBounds(current);
            if (out == null) {
                desired = current;
                status = "fixed at " + current + " " + workersWord(current);
            }
            return out;
        }
        String note = "";
        if (ceiling != null && reached(now - ceiling.sinceNanos, settings.ceilingRetry())) {
            note = "the ceiling at " + ceiling.workers + " " + workersWord(ceiling.workers) + " expired after "
                    + duration(settings.ceilingRetry()) + ": may widen again; ";
            ceiling = null;
            usefulMax = ceiling == null ? bounds.max() : Math.min(bounds.max(), ceiling.workers);
        }
        if (evaluation != null) {
            evaluation.add(interval, settings.fullFraction(), settings.maxBackpressured());
            if (!reached(evaluation.nanos, settings.evaluation())) {
                desired = assess(interval, current).target;
                status = note + "measuring widening " + evaluation.from + " -> " + evaluation.to + ": "
                        + seconds(evaluation.nanos / 1e9) + " of " + duration(settings.evaluation());
                return null;
            }
            Evaluation finished = evaluation;
            evaluation = null;
            ScalingDecision undo = judge(finished, now);
            if (undo != null) {
                return undo;
            }
            note = note + finished.verdict + "; ";
        }

        Assessment assessment = assess(interval, current);
        trackIdleness(assessment.mostlyIdle, interval);
        desired = assessment.target;
        if (assessment.mostlyIdle && ceiling != null && reached(now - idleSinceNanos, settings.narrowAfter())) {
            note = note + "the load dropped: the ceiling at " + ceiling.workers + " " + workersWord(ceiling.workers)
                    + " is lifted; ";
            ceiling = null;
            usefulMax = ceiling == null ? bounds.max() : Math.min(bounds.max(), ceiling.workers);
        }
        switch (assessment.verdict) {
            case WIDEN -> {
                boolean demandHidden =
                        interval.capacity() > 0 && interval.depth() >= settings.fullFraction() * interval.capacity();
                evaluation = new Evaluation(
                        current,
                        assessment.target,
                        baselineThroughput(current),
                        demandHidden ? interval.throughput() : Double.NaN);
                return decide(current, assessment.target, note + assessment.reason);
            }
            case NARROW -> {
                long idleFor = now - Math.max(idleSinceNanos, lastChangeNanos);
                if (reached(idleFor, settings.narrowAfter())) {
                    return decide(
                            current,
                            assessment.target,
                            note + "mostly idle for " + seconds(idleFor / 1e9) + ": " + assessment.reason);
                }
                status = note + "mostly idle for " + seconds(idleFor / 1e9) + " of " + duration(settings.narrowAfter())
                        + ": " + assessment.reason.replace("; narrowing", "; would narrow");
                return null;
            }
            default -> {
                status = note + assessment.reason;
                return null;
            }
        }
    }

    /**
     * The worker count the rule calls for now, within the bounds and any ceiling: the target of a
     * widening being measured or wanted, of a narrowing waiting for the stage to stay idle long
     * enough, otherwise the current count. Gauge {@code portflow.component.workers.desired}.
     */
    int desired() {
        return desired;
    }

    /**
     * Seconds the current input backlog would take at the recent throughput (the last few intervals),
     * not counting new arrivals: 0 without a backlog; {@link ScalingSettings#drainSecondsCap()} when
     * nothing was finished, or when the input is full (at least {@link ScalingSettings#fullFraction()}):
     * then arrivals are held back and the real backlog waits upstream, unmeasured. The signal an
     * external scaler (KEDA, HPA) can scale replicas on: below the cap it halves when the throughput
     * doubles.
     */
    double drainSeconds() {
        return drainSeconds;
    }

    /**
     * The most workers the stage can usefully have now: its max, or the ceiling found below it (more
     * workers did not raise its throughput) until the ceiling is lifted. A stage at this limit, busy
     * with a full input, is the bottleneck: it cannot be widened away.
     */
    int usefulMax() {
        return usefulMax;
    }

    /**
     * Why the stage has the workers it has, as of the last sample: the last decision's reason, or the
     * state the rule is holding in (e.g. "... at the ceiling found at 2 workers: widening 2 -> 4 raised
     * throughput 3 % (1,950/s -> 2,010/s); holding until the load drops or 10 min pass").
     */
    String status() {
        return status;
    }

    // ---------------------------------------------------------------------------------------------
    // the rule

    private enum Verdict {
        WIDEN,
        NARROW,
        HOLD
    }

    /** What the newest interval calls for, before the timers (evaluation, narrowAfter) have their say. */
    private record Assessment(Verdict verdict, int target, String reason, boolean mostlyIdle) {}

    private Assessment assess(Interval iv, int current) {
        if (iv.workerNanos() <= 0) {
            return new Assessment(
                    Verdict.HOLD,
                    current,
                    "no worker time measured in the last " + seconds(iv.seconds()) + ": holding at " + current,
                    false);
        }
        double occupied = iv.occupiedShare();
        int floor = backlogFloor(iv.capacity());
        boolean full = isFull(iv.depth(), iv.capacity());
        boolean backlogging =
                iv.depth() > floor && (iv.growth() > 0 || drainSecondsAtNetRate(iv) > seconds(settings.backlogDrain()));
        int need = neededWorkers(iv);

        if (occupied >= settings.busyHigh() && backlogging) {
            String situation = workText(iv) + ", " + backlogText(iv, full);
            if (iv.backpressuredShare() >= settings.maxBackpressured()) {
                return new Assessment(
                        Verdict.HOLD,
                        current,
                        situation + ", but outputs backpressured "
                                + percent(iv.backpressuredShare())
                                + " of worker time: the bottleneck is downstream and widening"
                                + " would only move the queue; holding at " + current,
                        false);
            }
            situation = situation + ", outputs not backpressured (" + percent(iv.backpressuredShare()) + ")";
            if (current >= bounds.max()) {
                return new Assessment(
                        Verdict.HOLD,
                        current,
                        situation + ": at max " + bounds.max() + " " + workersWord(bounds.max())
                                + ", cannot widen further",
                        false);
            }
            if (ceiling != null && current >= ceiling.workers) {
                return new Assessment(
                        Verdict.HOLD,
                        current,
                        situation + ": at the ceiling found at " + ceiling.workers
                                + " " + workersWord(ceiling.workers) + ": " + ceiling.finding
                                + "; holding until the load drops or "
                                + duration(settings.ceilingRetry()) + " pass",
                        false);
            }
            int limit = Math.min(bounds.max(), current * settings.maxGrowth());
            String limitText = "at most x" + settings.maxGrowth() + " at a time";
            if (bounds.max() < current * settings.maxGrowth()) {
                limitText = "max " + bounds.max();
            }
            if (ceiling != null && ceiling.workers < limit) {
                limit = ceiling.workers;
                limitText = "the ceiling found at " + ceiling.workers;
            }
            String sizing;
            int wanted;
            if (full) {
                // the full input holds arrivals back: the arrival rate is capped by the drain rate and
                // says nothing about the demand, so grow geometrically until the input stops being full
                wanted = Math.max(current * 2, need);
                sizing = need > current * 2
                        ? "demand hidden behind the full input, and even the held-back " + needText(iv, need)
                        : "demand hidden behind the full input: doubling";
            } else {
                wanted = Math.max(current + 1, need);
                sizing = needText(iv, need);
            }
            int target = Math.min(wanted, limit);
            String capped = target < wanted ? " (" + limitText + ")" : "";
            return new Assessment(
                    Verdict.WIDEN,
                    target,
                    situation + "; " + sizing + "; widening " + current + " -> " + target + capped,
                    false);
        }

        boolean mostlyIdle = occupied < settings.busyLow() && iv.depth() <= floor;
        if (mostlyIdle) {
            int half = (current + 1) / 2;
            int target = Math.min(current, Math.max(bounds.min(), Math.max(half, need)));
            if (target >= current) {
                String why = current <= bounds.min() ? "at min " + bounds.min() : needText(iv, need);
                return new Assessment(
                        Verdict.HOLD, current, workText(iv) + ", " + why + ": holding at " + current, true);
            }
            String capped = target == half && need < half && half > bounds.min() ? " (at most halving)" : "";
            return new Assessment(
                    Verdict.NARROW,
                    target,
                    workText(iv) + ", " + needText(iv, need) + "; narrowing " + current + " -> " + target + capped,
                    true);
        }

        String why;
        if (occupied >= settings.busyHigh()) {
            why = workText(iv) + " but " + backlogText(iv, full) + ": keeping up";
        } else if (backlogging) {
            why = backlogText(iv, full) + " while " + workText(iv).replace("busy ", "busy only ")
                    + ": not widening a stage whose workers are not busy";
        } else {
            why = workText(iv) + " (band " + percent(settings.busyLow()) + " to " + percent(settings.busyHigh()) + "), "
                    + backlogText(iv, full) + ": comfortably sized";
        }
        return new Assessment(Verdict.HOLD, current, why + "; holding at " + current, false);
    }

    /**
     * Judges a finished widening: the throughput at full use before and after. Returns the narrowing
     * back to what the measured gain is worth, or null if the widening is kept (its verdict noted).
     */
    private @Nullable ScalingDecision judge(Evaluation e, long now) {
        double before = e.throughputBefore;
        double after = e.throughputAfter();
        if (Double.isNaN(after) || Double.isNaN(before) || (before <= 0 && after <= 0)) {
            e.verdict = "widening " + e.from + " -> " + e.to + " could not be judged (no work measured)";
            return null;
        }
        if (before <= 0) {
            e.verdict = "widening " + e.from + " -> " + e.to + " raised throughput from 0/s to " + rate(after);
            return null;
        }
        double ratio = after / before;
        double effective = e.from * ratio;
        String change =
                "widening " + e.from + " -> " + e.to + " " + (ratio >= 1 ? "raised" : "lowered") + " throughput "
                        + Math.round(Math.abs(ratio - 1) * 100) + " % (" + rate(before) + " -> " + rate(after) + ")";
        if (effective >= e.to * settings.proportionalShare()) {
            e.verdict = change;
            return null;
        }
        // keep a worker only for each part of the effective worker count above minWorkerGain
        int keep = (int) Math.ceil(effective - settings.minWorkerGain() - EPSILON);
        keep = Math.max(e.from, Math.min(e.to, keep));
        String worth = String.format(Locale.ROOT, ", as much as %.1f workers would", effective);
        if (keep == e.to) {
            e.verdict = change + worth + ": keeping " + e.to;
            return null;
        }
        ceiling = new Ceiling(keep, change, now);
        usefulMax = ceiling == null ? bounds.max() : Math.min(bounds.max(), ceiling.workers);
        return decide(
                e.to,
                keep,
                change + worth + ": more workers do not help (CPU-bound or a shared limit); "
                        + (keep == e.from ? "back to " : "down to ") + keep);
    }

    /** Throughput at full use over the newest intervals at {@code workers}: the "before" of a widening. */
    private double baselineThroughput(int workers) {
        long busy = 0;
        long finished = 0;
        int used = 0;
        for (Interval iv : history) {
            if (iv.workers() != workers) {
                break;
            }
            if (iv.busyShare() >= MIN_BASELINE_BUSY) {
                busy += iv.busy();
                finished += iv.finished();
                if (++used == BASELINE_INTERVALS) {
                    break;
                }
            }
        }
        return throughputAtFullUse(workers, busy, finished);
    }

    /** Messages per second {@code workers} would finish if always busy: workers / worker time per message. */
    private static double throughputAtFullUse(int workers, long busyNanos, long finished) {
        if (busyNanos <= 0) {
            return Double.NaN;
        }
        return workers * (finished * 1e9 / busyNanos);
    }

    /**
     * Workers that serve the measured arrivals at the target utilization and drain the backlog in
     * {@code backlogDrain}; -1 if unknown (no message finished, so no time per message).
     */
    private int neededWorkers(Interval iv) {
        if (iv.finished() <= 0 || iv.busy() <= 0) {
            return -1;
        }
        double serviceSeconds = iv.busy() / 1e9 / iv.finished();
        double forArrivals = iv.arrivalRate() * serviceSeconds / settings.targetUtilization();
        double forBacklog = iv.depth() * serviceSeconds / seconds(settings.backlogDrain());
        return (int) Math.min(Workers.MAX, Math.ceil(forArrivals + forBacklog - EPSILON));
    }

    private void trackIdleness(boolean mostlyIdle, Interval iv) {
        if (!mostlyIdle) {
            idleSinceNanos = NONE;
        } else if (idleSinceNanos == NONE) {
            idleSinceNanos = iv.startNanos();
        }
    }

    private ScalingDecision decide(int from, int to, String reason) {
        expectedWorkers = to;
        lastChangeNanos = Objects.requireNonNull(previous).nanoTime(); // every caller has taken a sample
        idleSinceNanos = NONE;
        desired = to;
        status = reason;
        return new ScalingDecision(component, from, to, reason, clock.millis());
    }

    private @Nullable ScalingDecision bringIntoBounds(int current) {
        int inBounds = Math.max(bounds.min(), Math.min(bounds.max(), current));
        desired = inBounds;
        if (inBounds == current) {
            return null;
        }
        evaluation = null;
        return decide(
                current,
                inBounds,
                current + " " + workersWord(current) + " is outside the bounds " + bounds.min() + " to " + bounds.max()
                        + ": setting " + inBounds);
    }

    /** Forgets what was measured and starts again from {@code sample}; a ceiling stays, its timer restarts. */
    private void restart(StageSample sample) {
        previous = sample;
        expectedWorkers = sample.workers();
        history.clear();
        evaluation = null;
        lastChangeNanos = sample.nanoTime();
        idleSinceNanos = NONE;
        if (ceiling != null) {
            ceiling = new Ceiling(ceiling.workers, ceiling.finding, sample.nanoTime());
            usefulMax = ceiling == null ? bounds.max() : Math.min(bounds.max(), ceiling.workers);
        }
        desired = Math.max(bounds.min(), Math.min(bounds.max(), sample.workers()));
    }

    private static boolean countersWentBack(StageSample a, StageSample b) {
        return b.busyNanos() < a.busyNanos()
                || b.idleNanos() < a.idleNanos()
                || b.backpressuredNanos() < a.backpressuredNanos()
                || b.finished() < a.finished()
                || b.arrived() < a.arrived();
    }

    private double recentThroughput() {
        long finished = 0;
        long nanos = 0;
        int used = 0;
        for (Interval iv : history) {
            finished += iv.finished();
            nanos += iv.nanos();
            if (++used == BASELINE_INTERVALS) {
                break;
            }
        }
        return nanos > 0 ? finished * 1e9 / nanos : Double.NaN;
    }

    private double drainTime(StageSample sample, double throughput) {
        // a full input holds arrivals back: the real backlog is upstream, unmeasured, and not draining
        return DrainTime.seconds(
                sample.depth(), sample.capacity(), throughput, settings.fullFraction(), settings.drainSecondsCap());
    }

    private boolean isFull(int depth, int capacity) {
        return DrainTime.isFull(depth, capacity, settings.fullFraction());
    }

    /** Seconds the backlog would take to drain at the interval's net rate (shrink of the depth); +Infinity if it did not shrink. */
    private static double drainSecondsAtNetRate(Interval iv) {
        double netRate = -iv.growth() / iv.seconds();
        return netRate > 0 ? iv.depth() / netRate : Double.POSITIVE_INFINITY;
    }

    /** A backlog of at most this many is noise (a message or two between a send and a take), not a backlog. */
    private static int backlogFloor(int capacity) {
        return Math.max(1, capacity / 100);
    }

    /** Whether {@code nanos} covers {@code d}, allowing for the jitter of sampling. */
    private boolean reached(long nanos, Duration d) {
        return nanos >= d.toNanos() - settings.interval().toNanos() / 2;
    }

    // ---------------------------------------------------------------------------------------------
    // text: every figure formatted here, none of them NaN

    private static String workText(Interval iv) {
        String text = "busy " + percent(iv.busyShare());
        if (iv.backpressuredShare() >= 0.005) {
            text = text + " and backpressured " + percent(iv.backpressuredShare());
        }
        return text + " of worker time";
    }

    private String backlogText(Interval iv, boolean full) {
        String text;
        if (full) {
            text = "input full (" + count(iv.depth()) + " of " + count(iv.capacity()) + ")";
        } else if (iv.depth() <= backlogFloor(iv.capacity())) {
            text = "backlog " + count(iv.depth());
        } else if (iv.growth() > 0) {
            text = "backlog grew by " + count(iv.growth()) + " to " + count(iv.depth()) + " in "
                    + seconds(iv.seconds());
        } else {
            double drain = drainSecondsAtNetRate(iv);
            text = "backlog of " + count(iv.depth())
                    + (Double.isInfinite(drain)
                            ? " does not drain"
                            : " drains in " + seconds(drain)
                                    + (drain > seconds(settings.backlogDrain())
                                            ? " (more than " + duration(settings.backlogDrain()) + ")"
                                            : ""));
        }
        return text;
    }

    private String needText(Interval iv, int need) {
        if (need < 0) {
            return "no message finished to size from";
        }
        double serviceNanos = (double) iv.busy() / iv.finished();
        return rate(iv.arrivalRate()) + " arriving x " + millis(serviceNanos) + " per message"
                + (iv.depth() > backlogFloor(iv.capacity()) ? " and a backlog of " + count(iv.depth()) : "")
                + " need " + need + " " + workersWord(need) + " at " + percent(settings.targetUtilization()) + " busy";
    }

    private static String workersWord(int n) {
        return n == 1 ? "worker" : "workers";
    }

    private static String percent(double share) {
        return Math.round(share * 100) + " %";
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    private static String millis(double nanos) {
        return String.format(Locale.ROOT, nanos < 1e6 ? "%.3f ms" : "%.1f ms", nanos / 1e6);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String duration(Duration d) {
        if (d.toSeconds() >= 60 && d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    // ---------------------------------------------------------------------------------------------
    // state

    /** The differences between two consecutive samples, at one worker count. */
    private record Interval(
            long startNanos,
            long endNanos,
            int workers,
            long busy,
            long idle,
            long backpressured,
            long finished,
            long arrived,
            int depthBefore,
            int depth,
            int capacity) {

        static Interval between(StageSample a, StageSample b) {
            return new Interval(
                    a.nanoTime(),
                    b.nanoTime(),
                    b.workers(),
                    b.busyNanos() - a.busyNanos(),
                    b.idleNanos() - a.idleNanos(),
                    b.backpressuredNanos() - a.backpressuredNanos(),
                    b.finished() - a.finished(),
                    b.arrived() - a.arrived(),
                    a.depth(),
                    b.depth(),
                    b.capacity());
        }

        long nanos() {
            return endNanos - startNanos;
        }

        double seconds() {
            return nanos() / 1e9;
        }

        long workerNanos() {
            return busy + idle + backpressured;
        }

        double busyShare() {
            return share(busy);
        }

        double backpressuredShare() {
            return share(backpressured);
        }

        /** Busy or backpressured: not waiting for input. */
        double occupiedShare() {
            return share(busy + backpressured);
        }

        double throughput() {
            return finished / seconds();
        }

        double arrivalRate() {
            return arrived / seconds();
        }

        int growth() {
            return depth - depthBefore;
        }

        private double share(long part) {
            long total = workerNanos();
            return total > 0 ? (double) part / total : 0;
        }
    }

    /** A widening being measured: how fast the stage was at full use before, and what it did since. */
    private static final class Evaluation {
        final int from;
        final int to;
        final double throughputBefore;
        // per second, in the interval that led to a widening made blind (its input full, the demand
        // hidden); NaN when the widening was sized from a visible demand
        final double finishedBefore;
        long busy;
        long workerNanos;
        long idle;
        long finished;
        long nanos;
        boolean inputStayedFull = true;
        boolean outputsStayedFree = true;
        boolean backlogStayed = true;
        String verdict = "";

        Evaluation(int from, int to, double throughputBefore, double finishedBefore) {
            this.from = from;
            this.to = to;
            this.throughputBefore = throughputBefore;
            this.finishedBefore = finishedBefore;
        }

        void add(Interval iv, double fullFraction, double maxBackpressured) {
            busy += iv.busy();
            idle += iv.idle();
            workerNanos += iv.workerNanos();
            finished += iv.finished();
            nanos += iv.nanos();
            outputsStayedFree &= iv.backpressuredShare() < maxBackpressured;
            // full input and free outputs: the stage itself was the limit all along
            inputStayedFull &= iv.capacity() > 0 && iv.depth() >= fullFraction * iv.capacity() && outputsStayedFree;
            // messages waiting at both ends of every interval: an idle worker was not short of input
            backlogStayed &= iv.depthBefore() > backlogFloor(iv.capacity()) && iv.depth() > backlogFloor(iv.capacity());
        }

        /**
         * What the widened stage did at full use. While its input stayed full and its outputs free it
         * was never short of work nor held by its downstream, so what it finished is what it can do:
         * that caps the estimate from worker time, which reads too high when workers wait for a core
         * (on a lock, counted as idle) rather than work.
         */
        double throughputAfter() {
            double fullUse = throughputAtFullUse(to, busy, finished);
            if (nanos <= 0 || Double.isNaN(fullUse)) {
                return fullUse;
            }
            double actual = finished * 1e9 / nanos;
            if (inputStayedFull) {
                return Math.min(fullUse, actual);
            }
            // Messages waited the whole time, yet workers were idle a fair share of it: they waited
            // for a core (virtual threads behind CPU-bound neighbours, docs/workers.md), for the
            // receive lock or for their key, not for work. Idle time then says nothing about what
            // they could do; what they finished does.
            if (backlogStayed && idle >= IDLE_WITH_BACKLOG * workerNanos) {
                return Math.min(fullUse, actual);
            }
            // A blind widening (the demand was hidden behind a full input) after which the stage
            // finished no more: the widened workers starved their neighbours of cores (CPU-bound work
            // on few cores), so the stage's own source left its input empty, or its sink let its
            // outputs fill up. Its workers then wait for input or for room, and worker time says they
            // could do more. What it finished did not rise, so neither did its capacity; and if the
            // downstream is now the limit, more workers here do not help either. (A widening sized
            // from a visible demand that it then met also empties the input; it is not judged so.)
            if (finishedBefore > 0 && actual < finishedBefore * UNCHANGED) {
                return Math.min(fullUse, actual);
            }
            return fullUse;
        }

        /** Idle share of worker time, with messages waiting throughout, that says workers could not run. */
        private static final double IDLE_WITH_BACKLOG = 0.10;

        /** Finished per second below this multiple of before counts as no rise. */
        private static final double UNCHANGED = 1.15;
    }

    /** A worker count beyond which widening was measured not to help, and what showed it. */
    private record Ceiling(int workers, String finding, long sinceNanos) {}
}
