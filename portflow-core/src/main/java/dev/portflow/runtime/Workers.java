package dev.portflow.runtime;

/**
 * How many threads (workers) handle a component's messages: a fixed number, or a range the runtime
 * sizes the stage within from what it measures (see {@code docs/workers.md}).
 *
 * <p>Workers take messages from the component's input connections and call the component
 * concurrently, so the component must be thread-safe; a class that must not run concurrently is
 * annotated {@link dev.portflow.component.SingleWorker}. Across workers messages are handled in no
 * particular order, unless the component is ordered by a key
 * ({@link PipelineBuilder#orderedByKey}). Port counters and depth keep their meaning; component
 * time is counted in worker-seconds.
 *
 * @param min the fewest workers, at least 1
 * @param max the most workers, at least {@code min} and at most {@link #MAX}
 */
public record Workers(int min, int max) {

    /** The most workers a component may have: beyond it, a stage wants a different design, not more threads. */
    public static final int MAX = 256;

    public Workers {
        if (min < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + min);
        }
        if (max < min) {
            throw new IllegalArgumentException("workers max (" + max + ") must not be below min (" + min + ")");
        }
        if (max > MAX) {
            throw new IllegalArgumentException("workers must be at most " + MAX + ", was " + max);
        }
    }

    /** One worker: how every component runs unless told otherwise. */
    public static Workers one() {
        return new Workers(1, 1);
    }

    /** Exactly {@code n} workers. */
    public static Workers fixed(int n) {
        return new Workers(n, n);
    }

    /** Between {@code min} and {@code max} workers, sized by the runtime. */
    public static Workers between(int min, int max) {
        return new Workers(min, max);
    }

    /** Whether the runtime sizes the stage ({@code min < max}). */
    public boolean isAutoscaled() {
        return min < max;
    }
}
