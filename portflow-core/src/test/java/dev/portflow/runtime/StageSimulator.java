package dev.portflow.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic discrete-time model of one stage, for driving {@link ScalingPolicy} without threads
 * or real time. An offered load (messages/s, a function of time) feeds a bounded input buffer with
 * BLOCK semantics: what does not fit waits upstream (blocked senders), so the arrival rate measured
 * at the stage is capped by its drain rate, as in the runtime. N workers each take a message, spend
 * its service time on it (busy), then put the result into an output buffer that a downstream
 * drains at a given rate (backpressured while it is full), and take the next one (idle while the
 * input is empty). Optionally the offered messages that find the input full are refused instead
 * (an HTTP ingress answering 503): the demand is then just as hidden, but nothing piles up.
 *
 * <p>CPU-bound work gets processor sharing: with {@code n} workers running, together they progress
 * as fast as {@code parallelism(n)} workers would (e.g. {@code min(n, cores)}), and each one's busy
 * time is wall time, as the runtime measures it. Service times vary per message by a seeded
 * ±{@code serviceNoise}, and the whole stage's speed per simulated second by ±{@code jitter} (the
 * machine's other load), so the policy sees measurement noise.
 *
 * <p>Time advances in ticks of 0.1 ms; {@link #sample()} reads cumulative counters exactly as the
 * runtime's sampler does.
 */
final class StageSimulator {

    static final long TICK_NANOS = 100_000;
    /** An arbitrary origin for the sampled nanoTime, far from 0 so nothing relies on it. */
    static final long NANO_ORIGIN = 7_000_000_000_000L;

    private final int capacity;
    private final double serviceNanos;
    private final @Nullable IntToDoubleFunction parallelism; // null: I/O-bound, workers do not compete
    private final double serviceNoise;
    private final double jitter;
    private final double downstreamRate;
    private final int outputCapacity;
    private final SplittableRandom random;
    private final DoubleUnaryOperator offered;
    private final boolean rejectWhenFull;

    private long now;
    private double upstream;
    private int depth;
    private double outputDepth;
    private final List<Worker> workers = new ArrayList<>();
    private int workerCount;
    private double busy;
    private double idle;
    private double backpressured;
    private long finished;
    private long arrived;
    private long jitterSecond = -1;
    private double speedThisSecond = 1;

    private StageSimulator(Builder b) {
        this.capacity = b.capacity;
        this.serviceNanos = b.serviceNanos;
        this.parallelism = b.parallelism;
        this.serviceNoise = b.serviceNoise;
        this.jitter = b.jitter;
        this.downstreamRate = b.downstreamRate;
        this.outputCapacity = b.outputCapacity;
        this.random = new SplittableRandom(b.seed);
        this.offered = b.offered;
        this.rejectWhenFull = b.rejectWhenFull;
        setWorkers(b.workers);
    }

    /** A stage of messages taking {@code serviceMillis} each, offered {@code offered(tSeconds)} messages/s. */
    static Builder stage(double serviceMillis, DoubleUnaryOperator offered) {
        return new Builder(serviceMillis, offered);
    }

    /** Runs until {@code seconds} of simulated time have passed since the start. */
    void advanceTo(double seconds) {
        long until = Math.round(seconds * 1e9);
        while (now < until) {
            tick();
        }
    }

    /** The stage's cumulative counters now, as the runtime samples them. */
    StageSample sample() {
        return new StageSample(
                NANO_ORIGIN + now,
                workerCount,
                (long) busy,
                (long) idle,
                (long) backpressured,
                finished,
                arrived,
                depth,
                capacity);
    }

    /** Applies a decision: new workers start at once; removed ones finish their message first. */
    void setWorkers(int n) {
        workerCount = n;
        List<Worker> staying = new ArrayList<>();
        for (Worker w : workers) {
            if (!w.retiring) {
                staying.add(w);
            }
        }
        while (staying.size() < n) {
            Worker revived = null;
            for (Worker w : workers) {
                if (w.retiring) {
                    revived = w;
                    break;
                }
            }
            if (revived != null) {
                revived.retiring = false;
                staying.add(revived);
            } else {
                Worker w = new Worker();
                workers.add(w);
                staying.add(w);
            }
        }
        // idle workers leave at once, busy ones after their message
        for (int i = staying.size() - 1; i >= 0 && staying.size() > n; i--) {
            Worker w = staying.get(i);
            if (w.remaining <= 0 && !w.holding) {
                workers.remove(w);
                staying.remove(i);
            }
        }
        for (int i = staying.size() - 1; staying.size() > n; i--) {
            staying.get(i).retiring = true;
            staying.remove(i);
        }
    }

    /** Messages offered and not yet handled: waiting upstream plus in the input buffer. */
    long backlog() {
        return (long) Math.floor(upstream) + depth;
    }

    long nanos() {
        return now;
    }

    int workers() {
        return workerCount;
    }

    private void tick() {
        long second = now / 1_000_000_000L;
        if (second != jitterSecond) {
            jitterSecond = second;
            speedThisSecond = 1 + jitter * (2 * random.nextDouble() - 1);
        }
        double tickSeconds = TICK_NANOS / 1e9;
        upstream += offered.applyAsDouble(now / 1e9) * tickSeconds;
        int move = (int) Math.min(Math.floor(upstream), capacity - depth);
        if (move > 0) {
            depth += move;
            upstream -= move;
            arrived += move;
        }
        if (rejectWhenFull) {
            upstream -= Math.floor(upstream); // answered 503: the offered load does not pile up upstream
        }
        if (Double.isFinite(downstreamRate)) {
            outputDepth = Math.max(0, outputDepth - downstreamRate * tickSeconds);
        }
        double speed = speedThisSecond;
        if (parallelism != null) {
            int running = 0;
            int free = 0;
            for (Worker w : workers) {
                if (w.remaining > 0) {
                    running++;
                } else if (!w.holding && !w.retiring) {
                    free++;
                }
            }
            running += Math.min(free, depth);
            if (running > 0) {
                speed *= Math.min(1, parallelism.applyAsDouble(running) / running);
            }
        }
        for (int i = 0; i < workers.size(); i++) {
            if (step(workers.get(i), speed)) {
                workers.remove(i--);
            }
        }
        now += TICK_NANOS;
    }

    /** One tick of one worker; true if it retired. */
    private boolean step(Worker w, double speed) {
        double budget = TICK_NANOS;
        while (budget > 0) {
            if (w.holding) {
                if (Double.isFinite(downstreamRate) && outputDepth + 1 > outputCapacity) {
                    backpressured += budget;
                    return false;
                }
                if (Double.isFinite(downstreamRate)) {
                    outputDepth += 1;
                }
                w.holding = false;
                finished++;
                continue;
            }
            if (w.remaining <= 0) {
                if (w.retiring) {
                    return true;
                }
                if (depth == 0) {
                    idle += budget;
                    return false;
                }
                depth--;
                w.remaining = serviceNanos * (1 + serviceNoise * (2 * random.nextDouble() - 1));
            }
            double wall = w.remaining / speed;
            if (wall <= budget) {
                busy += wall;
                budget -= wall;
                w.remaining = 0;
                w.holding = true;
            } else {
                busy += budget;
                w.remaining -= budget * speed;
                return false;
            }
        }
        return false;
    }

    private static final class Worker {
        double remaining; // work left on the current message, ns at full speed; 0: none
        boolean holding; // its result waits for room in the output buffer
        boolean retiring; // leaves after its current message
    }

    static final class Builder {
        private final double serviceNanos;
        private final DoubleUnaryOperator offered;
        private int capacity = 1024;
        private @Nullable IntToDoubleFunction parallelism; // null: I/O-bound
        private double serviceNoise;
        private double jitter;
        private double downstreamRate = Double.POSITIVE_INFINITY;
        private int outputCapacity = 64;
        private long seed = 1;
        private int workers = 1;
        private boolean rejectWhenFull;

        private Builder(double serviceMillis, DoubleUnaryOperator offered) {
            this.serviceNanos = serviceMillis * 1e6;
            this.offered = offered;
        }

        Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /** CPU-bound on {@code cores} cores: n workers progress as fast as min(n, cores) would. */
        Builder cpuBound(double cores) {
            return cpuBound(n -> Math.min(n, cores));
        }

        /** CPU-bound with a measured speed-up curve: n running workers progress as fast as {@code parallelism(n)} would. */
        Builder cpuBound(IntToDoubleFunction parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** Each message's service time varies by ±{@code fraction}; the stage's speed per second by ±{@code perSecond}. */
        Builder noise(double fraction, double perSecond) {
            this.serviceNoise = fraction;
            this.jitter = perSecond;
            return this;
        }

        /** The downstream takes {@code perSecond} messages/s from an output buffer of {@code outputCapacity}. */
        Builder downstream(double perSecond, int outputCapacity) {
            this.downstreamRate = perSecond;
            this.outputCapacity = outputCapacity;
            return this;
        }

        /** Offered messages that find the input full are refused (an HTTP ingress answering 503), not kept upstream. */
        Builder rejectWhenFull() {
            this.rejectWhenFull = true;
            return this;
        }

        Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        StageSimulator build() {
            return new StageSimulator(this);
        }
    }
}
