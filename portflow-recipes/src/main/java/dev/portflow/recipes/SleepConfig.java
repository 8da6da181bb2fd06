package dev.portflow.recipes;

/**
 * Configuration of the {@code sleep} recipe.
 *
 * @param durationMs how long to hold each message, in milliseconds, &gt;= 0
 */
public record SleepConfig(long durationMs) {

    static final String RECIPE = "sleep";

    public SleepConfig {
        if (durationMs < 0) {
            throw ConfigProblems.problem(RECIPE, "duration_ms", "a whole number of milliseconds >= 0", durationMs);
        }
    }
}
