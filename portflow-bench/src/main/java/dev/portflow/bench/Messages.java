package dev.portflow.bench;

/**
 * Pre-allocated message objects, so no benchmark allocates (boxes) a message in its measured loop.
 *
 * <p>The pool holds {@value #SIZE} distinct {@link Integer} objects whose values lie outside the
 * {@code Integer.valueOf} cache range; they are created once per trial and only ever read.
 */
final class Messages {

    /** Pool size, a power of two (index with {@code & MASK}). */
    static final int SIZE = 4096;

    static final int MASK = SIZE - 1;

    private Messages() {}

    /** A fresh pool of {@value #SIZE} distinct, non-cached {@code Integer} objects. */
    static Integer[] pool() {
        Integer[] pool = new Integer[SIZE];
        for (int i = 0; i < SIZE; i++) {
            pool[i] = Integer.valueOf(1_000_000 + i); // above the valueOf cache: a distinct object each
        }
        return pool;
    }
}
