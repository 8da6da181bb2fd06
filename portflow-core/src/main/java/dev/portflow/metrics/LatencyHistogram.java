package dev.portflow.metrics;

import dev.portflow.trace.TraceContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import org.jspecify.annotations.Nullable;

/**
 * A log-linear histogram of durations in nanoseconds, built for a hot path.
 *
 * <p>Buckets: everything up to 1.024 µs in bucket 0; then four linear sub-buckets per power of two up to
 * 2^37 ns (~137 s); above that an overflow bucket. The bucket of a value is found with one
 * {@code numberOfLeadingZeros} and a shift, no search and no allocation. Percentiles are interpolated
 * linearly inside a bucket (as Prometheus' {@code histogram_quantile} does): for samples spread over
 * their buckets the relative error is below 12.5 %, but a low quantile of many identical samples can
 * be off by up to one bucket width (under 25 %). Count, min and max are exact, and every
 * percentile is clamped to [min, max], so it never lies outside the values actually recorded.
 *
 * <p>The sum is a {@code double}: a {@code long} of nanoseconds wraps at 2^63 (~292 years of
 * total), which 120,000 day-old events or ~107 days of 1 s waits at 1 M msg/s reach. A double
 * add costs what a long add does, never wraps, and is exact up to 2^53 ns (~104 days) of total;
 * past that each sample is rounded to the sum's precision (relative 1.1e-16), which is what a
 * Prometheus {@code _sum} or a Micrometer total carries anyway.
 *
 * <p>Striping: the first thread that records becomes the <em>owner</em> and writes its stripe with
 * plain (opaque) stores: no lock, no CAS, no contention. A port's receive-side histograms are only
 * ever recorded by the port's single receiving thread, so in practice every record takes that path.
 * Any other thread records into a shared stripe with atomic adds, so the histogram stays correct if
 * a port is used from several threads. Readers sum both stripes; a snapshot taken while recording
 * runs may be a few samples behind, never torn.
 */
public final class LatencyHistogram {

    /** An empty histogram. */
    public LatencyHistogram() {}

    /** Values below 2^MIN_SHIFT ns (1.024 µs) share bucket 0. */
    static final int MIN_SHIFT = 10;
    /** Values at or above 2^MAX_SHIFT ns (~137 s) share the overflow bucket. */
    static final int MAX_SHIFT = 37;

    static final int SUB_BUCKETS = 4;
    static final int BUCKETS = 1 + (MAX_SHIFT - MIN_SHIFT) * SUB_BUCKETS + 1;

    private static final VarHandle OWNER;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OWNER_SUM;
    private static final VarHandle OWNER_MAX;
    private static final VarHandle OWNER_MIN;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OWNER = lookup.findVarHandle(LatencyHistogram.class, "owner", Thread.class);
            OWNER_SUM = lookup.findVarHandle(LatencyHistogram.class, "ownerSum", double.class);
            OWNER_MAX = lookup.findVarHandle(LatencyHistogram.class, "ownerMax", long.class);
            OWNER_MIN = lookup.findVarHandle(LatencyHistogram.class, "ownerMin", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through OWNER
    private volatile @Nullable Thread owner;

    private final long[] ownerCounts = new long[BUCKETS];

    @SuppressWarnings("unused") // accessed through OWNER_SUM
    private double ownerSum;

    @SuppressWarnings("unused") // accessed through OWNER_MAX
    private long ownerMax;

    @SuppressWarnings("unused") // accessed through OWNER_MIN
    private long ownerMin = Long.MAX_VALUE;

    private final AtomicLongArray sharedCounts = new AtomicLongArray(BUCKETS);
    private volatile @Nullable HistogramExemplars exemplars; // created at the first traced sample
    private final DoubleAdder sharedSum = new DoubleAdder();
    private final LongAccumulator sharedMax = new LongAccumulator(Math::max, 0);
    private final LongAccumulator sharedMin = new LongAccumulator(Math::min, Long.MAX_VALUE);

    /** Records one duration; negative values are recorded as zero. */
    public void record(long nanos) {
        if (nanos < 0) {
            nanos = 0;
        }
        int index = bucketIndex(nanos);
        Thread current = Thread.currentThread();
        Thread o = (Thread) OWNER.getOpaque(this);
        if (o == current || (o == null && OWNER.compareAndSet(this, (Thread) null, current))) {
            long[] c = ownerCounts;
            COUNTS.setOpaque(c, index, (long) COUNTS.getOpaque(c, index) + 1);
            OWNER_SUM.setOpaque(this, (double) OWNER_SUM.getOpaque(this) + nanos);
            if (nanos > (long) OWNER_MAX.getOpaque(this)) {
                OWNER_MAX.setOpaque(this, nanos);
            }
            if (nanos < (long) OWNER_MIN.getOpaque(this)) {
                OWNER_MIN.setOpaque(this, nanos);
            }
        } else {
            sharedCounts.incrementAndGet(index);
            sharedSum.add(nanos);
            sharedMax.accumulate(nanos);
            sharedMin.accumulate(nanos);
        }
    }

    /**
     * Counts {@code times} more messages whose value is taken to be {@code nanos}, a value this
     * histogram has already recorded with {@link #record(long)}: it adds to the count and sum, and
     * cannot move min or max. Ports count the messages they do not time exactly this way, in one
     * call per stretch rather than one per message (the timed message before them on the same
     * connection stands for them; docs/metrics-fast-path.md).
     */
    public void recordRepeats(long nanos, long times) {
        if (times <= 0) {
            return;
        }
        if (nanos < 0) {
            nanos = 0;
        }
        int index = bucketIndex(nanos);
        double total = (double) nanos * times;
        Thread o = (Thread) OWNER.getOpaque(this);
        if (o == Thread.currentThread()) {
            long[] c = ownerCounts;
            COUNTS.setOpaque(c, index, (long) COUNTS.getOpaque(c, index) + times);
            OWNER_SUM.setOpaque(this, (double) OWNER_SUM.getOpaque(this) + total);
        } else {
            sharedCounts.addAndGet(index, times);
            sharedSum.add(total);
        }
    }

    /**
     * Raises the maximum to {@code nanos} if it is higher, without counting a message: an upper
     * bound of the values of messages counted by {@link #recordRepeats(long, long)}, so the reported max
     * is never below the real one.
     */
    public void raiseMax(long nanos) {
        Thread o = (Thread) OWNER.getOpaque(this);
        if (o == Thread.currentThread()) {
            if (nanos > (long) OWNER_MAX.getOpaque(this)) {
                OWNER_MAX.setOpaque(this, nanos);
            }
        } else {
            sharedMax.accumulate(nanos);
        }
    }

    /** Bucket {@code i} holds the values in {@code (lowerBound(i), upperBound(i)]}, as Prometheus' {@code le}. */
    static int bucketIndex(long nanos) {
        long v = nanos - 1;
        if (v < (1L << MIN_SHIFT)) {
            return 0;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v);
        if (shift >= MAX_SHIFT) {
            return BUCKETS - 1;
        }
        int sub = (int) (v >>> (shift - 2)) & (SUB_BUCKETS - 1);
        return 1 + (shift - MIN_SHIFT) * SUB_BUCKETS + sub;
    }

    /** Inclusive upper bound in nanoseconds of bucket {@code index} (the overflow bucket has none). */
    static long upperBoundNanos(int index) {
        if (index == 0) {
            return (1L << MIN_SHIFT);
        }
        if (index >= BUCKETS - 1) {
            return Long.MAX_VALUE;
        }
        int k = index - 1;
        int shift = MIN_SHIFT + k / SUB_BUCKETS;
        int sub = k % SUB_BUCKETS;
        return (1L << shift) + ((long) (sub + 1) << (shift - 2));
    }

    /** Lower bound in nanoseconds of bucket {@code index}. */
    static long lowerBoundNanos(int index) {
        return index == 0 ? 0 : upperBoundNanos(index - 1);
    }

    /** A consistent-enough copy for reading: counts per bucket, total count, sum, min and max. */
    public HistogramSnapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long c = (long) COUNTS.getOpaque(ownerCounts, i) + sharedCounts.get(i);
            counts[i] = c;
            total += c;
        }
        double sum = (double) OWNER_SUM.getOpaque(this) + sharedSum.sum();
        long max = Math.max((long) OWNER_MAX.getOpaque(this), sharedMax.get());
        long min = Math.min((long) OWNER_MIN.getOpaque(this), sharedMin.get());
        // A snapshot racing the first record may see its count before its min: no min then.
        return new HistogramSnapshot(counts, total, sum, total == 0 || min > max ? 0 : min, max);
    }

    /** Total samples recorded. */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += (long) COUNTS.getOpaque(ownerCounts, i) + sharedCounts.get(i);
        }
        return total;
    }

    /** Sum of all samples in nanoseconds (a double: it never wraps, see the class comment). */
    public double sumNanos() {
        return (double) OWNER_SUM.getOpaque(this) + sharedSum.sum();
    }

    /** Smallest sample in nanoseconds (0 when empty). */
    public long minNanos() {
        long min = Math.min((long) OWNER_MIN.getOpaque(this), sharedMin.get());
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * Offers {@code nanos}, a sample already {@link #record recorded} for a traced message, as its
     * bucket's exemplar (the trace an OpenMetrics scrape points at): kept if the bucket has none, or
     * if its exemplar is {@link HistogramExemplars#RENEW_AFTER_MILLIS} old. Only traced messages come here.
     *
     * @param epochMillis when it was taken, as wall time: the caller's reading of its ticker, converted
     *                    ({@code Ticker.toEpochMillis}), so no clock is read here
     */
    public void exemplar(long nanos, TraceContext context, long epochMillis) {
        HistogramExemplars e = exemplars;
        if (e == null) {
            synchronized (this) { // once per histogram, at its first traced sample
                e = exemplars;
                if (e == null) {
                    e = new HistogramExemplars();
                    exemplars = e;
                }
            }
        }
        e.offer(nanos, context, epochMillis);
    }

    /** The exemplars of traced samples, or null when none was recorded. */
    public @Nullable HistogramExemplars exemplars() {
        return exemplars;
    }

    /** Largest sample in nanoseconds (0 when empty). */
    public long maxNanos() {
        return Math.max((long) OWNER_MAX.getOpaque(this), sharedMax.get());
    }
}
