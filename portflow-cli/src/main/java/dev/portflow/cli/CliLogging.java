package dev.portflow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The command's logging: one line per record on standard error ({@code time LEVEL logger: message}),
 * at the level of {@code --log-level}. The console handler passes every level, so a logger set lower
 * on purpose (the {@code log_sink} recipe at its configured level) is printed. Stack traces are
 * printed at {@code debug} and {@code trace} only; otherwise a failure is its exception chain on the
 * same line. A logging configuration given to the JVM ({@code -Djava.util.logging.config.file})
 * is left alone.
 *
 * <p>The libraries under Portflow log what a user cannot act on at {@code info}: Helidon its
 * features and bind lines (the command prints the endpoints itself), Kafka's clients every
 * configuration value, OpenTelemetry's SDK its configuration steps. At {@code info} and above they print warnings and errors only; at
 * {@code debug} and {@code trace} they log at the level asked for, like Portflow.
 */
final class CliLogging {

    private CliLogging() {}

    /** The levels {@code --log-level} takes, as java.util.logging levels. */
    static Level parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            case "off" -> Level.OFF;
            default ->
                throw new IllegalArgumentException(
                        "unknown log level '" + name + "'; use trace, debug, info, warn, error or off");
        };
    }

    static boolean configuredByUser() {
        return System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null;
    }

    /** Loggers of the libraries quieted at {@code info}, see the class comment. */
    static final List<String> LIBRARIES = List.of("io.helidon", "org.apache.kafka", "io.opentelemetry");

    /* Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> LIBRARY_LOGGERS = new ArrayList<>();

    /**
     * Replaces the root logger's handlers with one one-line console handler, sets the root level and
     * the libraries' level ({@code level}, but at least {@code WARNING} unless it is below
     * {@code INFO}).
     */
    static synchronized void configure(Level level) {
        if (configuredByUser()) {
            return;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLine(level.intValue() <= Level.FINE.intValue()));
        root.addHandler(console);
        root.setLevel(level);
        Level libraries = level.intValue() < Level.INFO.intValue() || level.intValue() > Level.WARNING.intValue()
                ? level
                : Level.WARNING;
        if (LIBRARY_LOGGERS.isEmpty()) {
            LIBRARIES.forEach(name -> LIBRARY_LOGGERS.add(Logger.getLogger(name)));
        }
        LIBRARY_LOGGERS.forEach(logger -> logger.setLevel(libraries));
    }

    /** {@code 2026-12-01T19:36:39.123Z WARN dev.portflow.runtime: message (Exception: why <- Cause: why)}. */
    static final class OneLine extends Formatter {

        private final boolean stackTraces;

        OneLine(boolean stackTraces) {
            this.stackTraces = stackTraces;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(record.getMillis()))
                    .append(' ')
                    .append(levelName(record.getLevel()))
                    .append(' ')
                    .append(record.getLoggerName())
                    .append(": ")
                    .append(formatMessage(record).replace('\n', ' '));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                if (stackTraces) {
                    StringWriter trace = new StringWriter();
                    thrown.printStackTrace(new PrintWriter(trace));
                    line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                } else {
                    line.append(" (").append(chain(thrown)).append(')');
                }
            }
            return line.append(System.lineSeparator()).toString();
        }

        /** {@code Exception: why <- Cause: why}, five deep at most. */
        static String chain(Throwable thrown) {
            StringBuilder chain = new StringBuilder();
            int depth = 0;
            for (Throwable t = thrown; t != null && depth < 5; t = t.getCause(), depth++) {
                if (depth > 0) {
                    chain.append(" <- ");
                }
                chain.append(t.getClass().getSimpleName());
                if (t.getMessage() != null) {
                    chain.append(": ").append(t.getMessage().replace('\n', ' '));
                }
            }
            return chain.toString();
        }

        private static String levelName(Level level) {
            int value = level.intValue();
            if (value >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (value >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (value >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return value >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
        }
    }
}
