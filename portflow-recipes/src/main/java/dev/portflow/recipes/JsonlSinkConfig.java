package dev.portflow.recipes;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code jsonl_sink} recipe.
 *
 * @param path            the file to append to (created with its parent directories); relative
 *                        paths resolve against the working directory
 * @param metadata        {@code true} (default): each line carries {@code _id}, {@code _ingest_time}
 *                        and {@code _event_time} before the body's fields; {@code false}: the body alone
 * @param flushIntervalMs the longest a written line may stay in the buffer before it is flushed to
 *                        the file, in milliseconds (default 100; 0 flushes after every line)
 */
public record JsonlSinkConfig(Path path, boolean metadata, long flushIntervalMs) {

    static final String RECIPE = "jsonl_sink";
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 100;

    /**
     * @throws IllegalArgumentException when {@code path} is missing ({@code null}) or blank, or the flush
     *     interval is negative
     */
    public JsonlSinkConfig(@Nullable Path path, boolean metadata, long flushIntervalMs) {
        if (path == null || path.toString().isBlank()) {
            throw ConfigProblems.missing(RECIPE, "path", "the file to append JSON lines to, e.g. ./data/out.jsonl");
        }
        if (flushIntervalMs < 0) {
            throw ConfigProblems.problem(RECIPE, "flush_ms", "a whole number of milliseconds >= 0", flushIntervalMs);
        }
        this.path = path;
        this.metadata = metadata;
        this.flushIntervalMs = flushIntervalMs;
    }

    /** Lines with metadata, flushed at least every 100 ms. */
    public JsonlSinkConfig(@Nullable Path path) {
        this(path, true, DEFAULT_FLUSH_INTERVAL_MS);
    }
}
