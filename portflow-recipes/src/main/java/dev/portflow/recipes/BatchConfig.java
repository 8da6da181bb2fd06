package dev.portflow.recipes;

import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code batch} recipe; at least one of the two.
 *
 * @param size     the most messages in one batch: a batch is emitted as soon as it has this many;
 *                 {@code null} with a window: at most {@value #DEFAULT_MAX_SIZE}
 * @param windowMs emit a batch this many milliseconds after its first message arrived, however
 *                 few messages it has; {@code null}: batches are emitted only when full (and at end
 *                 of stream)
 */
public record BatchConfig(@Nullable Integer size, @Nullable Long windowMs) {

    static final String RECIPE = "batch";

    /** The cap on a batch's size when only {@code window_ms} is given, so memory stays bounded. */
    public static final int DEFAULT_MAX_SIZE = 10_000;

    public BatchConfig {
        if (size == null && windowMs == null) {
            throw new IllegalArgumentException(RECIPE + ": give 'size' (messages per batch, >= 1), 'window_ms'"
                    + " (milliseconds after a batch's first message, >= 1), or both");
        }
        if (size != null && size < 1) {
            throw ConfigProblems.problem(RECIPE, "size", "a whole number of messages >= 1", size);
        }
        if (windowMs != null && windowMs < 1) {
            throw ConfigProblems.problem(RECIPE, "window_ms", "a whole number of milliseconds >= 1", windowMs);
        }
    }

    /** The most messages in one batch. */
    public int maxSize() {
        return size != null ? size : DEFAULT_MAX_SIZE;
    }
}
