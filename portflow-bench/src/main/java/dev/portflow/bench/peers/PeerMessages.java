package dev.portflow.bench.peers;

/**
 * The messages every peer benchmark sends: pre-allocated {@link Integer}s, so nothing is boxed in a
 * measured loop, whatever the framework.
 *
 * <p>Message {@code i} of a run is {@code POOL[i & MASK]}; the values lie above the
 * {@code Integer.valueOf} cache, so each is a distinct object. The one map function of shape
 * {@code map} ({@link #mapped}) is a table look-up into the same pool: it allocates nothing either.
 * {@link #expectedSum} gives the sum a sink must see for a run, so a benchmark can check that every
 * message arrived exactly once (a lost message and a duplicated one cannot both hide in the count
 * and the sum).
 */
final class PeerMessages {

    /** Pool size, a power of two. */
    static final int SIZE = 4096;

    static final int MASK = SIZE - 1;
    /** Value of {@code POOL[0]}. */
    static final int BASE = 1_000_000;
    /** Shared, read-only after class initialisation (safe publication by the class initialiser). */
    static final Integer[] POOL = pool();

    private PeerMessages() {}

    private static Integer[] pool() {
        Integer[] pool = new Integer[SIZE];
        for (int i = 0; i < SIZE; i++) {
            pool[i] = Integer.valueOf(BASE + i); // above the valueOf cache: a distinct object each
        }
        return pool;
    }

    /** Message {@code i} of a run. */
    static Integer message(int i) {
        return POOL[i & MASK];
    }

    /** The map stage of shape {@code map}: the next pooled value (no allocation). */
    static Integer mapped(Integer m) {
        return POOL[(m.intValue() - BASE + 1) & MASK];
    }

    /** The router's choice: {@code message % 4}. */
    static int lane(Integer m) {
        return m.intValue() % 4;
    }

    /** Sum of the values a sink sees for a run of {@code n} messages, mapped or not. */
    static long expectedSum(int n, boolean mapped) {
        long sum = 0;
        int shift = mapped ? 1 : 0;
        for (int i = 0; i < n; i++) {
            sum += BASE + ((i + shift) & MASK);
        }
        return sum;
    }

    /**
     * What a sink saw. Written by the sink's thread only (plain fields); read by the benchmark
     * thread after the framework signalled completion, which orders the reads after the writes.
     */
    static final class Tally {
        long count;
        long sum;
        long batches;

        void add(Integer m) {
            count++;
            sum += m.intValue();
        }

        void addBatch(java.util.List<Integer> batch) {
            batches++;
            for (int i = 0, n = batch.size(); i < n; i++) {
                add(batch.get(i));
            }
        }

        void reset() {
            count = 0;
            sum = 0;
            batches = 0;
        }

        /** Throws unless exactly {@code n} messages with the expected sum arrived (and, for batches, whole batches). */
        void verify(String what, int n, long expectedSum, int batchSize) {
            if (count != n || sum != expectedSum) {
                throw new IllegalStateException(what + ": the sink saw " + count + " messages (sum " + sum
                        + "), expected " + n + " (sum " + expectedSum + ")");
            }
            if (batchSize > 0) {
                long expectedBatches = ((long) n + batchSize - 1) / batchSize;
                if (batches != expectedBatches) {
                    throw new IllegalStateException(
                            what + ": the sink saw " + batches + " batches, expected " + expectedBatches);
                }
            }
        }
    }
}
