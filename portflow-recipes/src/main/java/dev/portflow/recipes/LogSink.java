package dev.portflow.recipes;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Sink;
import dev.portflow.message.JsonMessage;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code log_sink} recipe: logs each message through {@link System.Logger} (so through whatever
 * logging backend the application routes it to), one line per message:
 * {@code [<pipeline>/<component>] {"_id":..., "_ingest_time":..., <body fields>}}. Nothing is
 * rendered when the level is disabled. Connected to an {@code err_*} port it logs the error
 * envelopes as dead letters.
 *
 * <p>When {@code System.Logger} goes to {@code java.util.logging} (the JDK's default), {@code setup}
 * sets the level of the sink's logger to the sink's level if nobody set that logger's level
 * (e.g. in {@code logging.properties}): otherwise the JDK's default root level, INFO, would
 * silently swallow a {@code level: debug} sink. A level someone configured is respected. Whether a
 * record then reaches the console is up to the handlers (the JDK's default console handler passes
 * INFO and above only; the {@code portflow} command installs one that passes everything).
 *
 * <p>Any number of workers may call it at once: a message is one log record, and a logging backend
 * writes each record whole (java.util.logging's handlers publish under a lock).
 */
public final class LogSink implements Sink<Object> {

    /** Logger name to the java.util.logging level a log_sink set on it, to tell our setting from a user's. */
    private static final Map<String, java.util.logging.Level> LEVELS_SET = new ConcurrentHashMap<>();

    private final LogSinkConfig config;
    private final System.Logger logger;
    private String prefix = "[log_sink] ";

    @SuppressWarnings("unused") // held so java.util.logging (which keeps loggers weakly) does not forget the level
    private java.util.logging.@Nullable Logger julLogger;

    public LogSink(LogSinkConfig config) {
        this.config = config;
        this.logger = System.getLogger(config.logger());
    }

    public LogSinkConfig config() {
        return config;
    }

    @Override
    public void setup(ComponentContext context) {
        prefix = "[" + context.pipelineName() + "/" + context.componentName() + "] ";
        if (routedToJavaUtilLogging()) {
            julLogger = enableLevel(config.logger(), julLevel(config.level()));
        }
    }

    @Override
    public void accept(Object message) {
        if (logger.isLoggable(config.level())) {
            JsonMessage document = Documents.of(message);
            String line;
            try {
                line = Json.write(Documents.withMetadata(document));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log_sink: " + e.getMessage(), e);
            }
            logger.log(config.level(), prefix + line);
        }
    }

    /** Whether {@link System.Logger}s are java.util.logging's (no other backend installed a {@code LoggerFinder}). */
    private static boolean routedToJavaUtilLogging() {
        Module finder = System.LoggerFinder.getLoggerFinder().getClass().getModule();
        return "java.logging".equals(finder.getName());
    }

    /**
     * Lets {@code name} log at {@code level} unless someone else set its level: a logger without a level
     * of its own gets {@code level}; one whose level a log_sink set is lowered to {@code level} if
     * needed (two sinks sharing a logger both log).
     */
    static java.util.logging.Logger enableLevel(String name, java.util.logging.Level level) {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
        synchronized (LEVELS_SET) {
            java.util.logging.Level current = jul.getLevel();
            boolean ours = current != null && current.equals(LEVELS_SET.get(name));
            if (current == null || (ours && level.intValue() < current.intValue())) {
                jul.setLevel(level);
                LEVELS_SET.put(name, level);
            }
        }
        return jul;
    }

    /** The java.util.logging level a {@link System.Logger.Level} maps to (as the JDK maps them). */
    static java.util.logging.Level julLevel(Level level) {
        return switch (level) {
            case ALL -> java.util.logging.Level.ALL;
            case TRACE -> java.util.logging.Level.FINER;
            case DEBUG -> java.util.logging.Level.FINE;
            case INFO -> java.util.logging.Level.INFO;
            case WARNING -> java.util.logging.Level.WARNING;
            case ERROR -> java.util.logging.Level.SEVERE;
            case OFF -> java.util.logging.Level.OFF;
        };
    }
}
