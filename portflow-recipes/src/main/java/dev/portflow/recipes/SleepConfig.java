package dev.portflow.recipes;

import java.util.Map;

/**
 * Configuration of the {@code sleep} recipe.
 *
 * @param durationMs how long to hold each message, in milliseconds, &gt;= 0
 */
public record SleepConfig(long durationMs) {

    static final String RECIPE = "sleep";

    public SleepConfig {
        if (durationMs < 0) {
            throw ConfigMap.problem(RECIPE, "duration_ms", "a whole number of milliseconds >= 0", durationMs);
        }
    }

    /** Reads the blueprint form: {@code duration_ms} (required). */
    public static SleepConfig fromMap(Map<String, ?> config) {
        ConfigMap c = new ConfigMap(RECIPE, config, "duration_ms");
        Long duration = c.integer("duration_ms");
        if (duration == null) {
            throw ConfigMap.missing(RECIPE, "duration_ms", "milliseconds to hold each message, e.g. 50");
        }
        return new SleepConfig(duration);
    }
}
