package dev.portflow.recipes;

import java.lang.System.Logger.Level;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of the {@code log_sink} recipe.
 *
 * @param level  the {@link System.Logger} level each message is logged at (default {@code INFO})
 * @param logger the logger's name; {@code null}: {@value #DEFAULT_LOGGER}
 */
public record LogSinkConfig(Level level, String logger) {

    static final String RECIPE = "log_sink";
    public static final String DEFAULT_LOGGER = "dev.portflow.recipes.log_sink";
    private static final String LEVELS = "TRACE, DEBUG, INFO, WARNING (or WARN), ERROR";

    /** A {@code null} level is INFO, a {@code null} logger {@value #DEFAULT_LOGGER}. */
    public LogSinkConfig(@Nullable Level level, @Nullable String logger) {
        Level lvl = level == null ? Level.INFO : level;
        if (lvl == Level.ALL || lvl == Level.OFF) {
            throw ConfigProblems.problem(RECIPE, "level", "one of " + LEVELS, lvl.getName());
        }
        if (logger != null && logger.isBlank()) {
            throw ConfigProblems.problem(RECIPE, "logger", "a logger name such as orders.audit", logger);
        }
        this.level = lvl;
        this.logger = logger == null ? DEFAULT_LOGGER : logger;
    }

    /** INFO, on the default logger. */
    public LogSinkConfig() {
        this(Level.INFO, null);
    }

    static Level parseLevel(@Nullable String text) {
        if (text == null) {
            return Level.INFO;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARNING", "WARN" -> Level.WARNING;
            case "ERROR" -> Level.ERROR;
            default -> throw ConfigProblems.problem(RECIPE, "level", "one of " + LEVELS, text);
        };
    }
}
