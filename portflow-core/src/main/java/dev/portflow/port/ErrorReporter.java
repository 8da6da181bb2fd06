package dev.portflow.port;

import java.lang.System.Logger.Level;

/** Receives the envelope of every failed message that has no {@code err_*} port to go to. */
@FunctionalInterface
public interface ErrorReporter {

    void report(ErrorEnvelope envelope);

    /** Logs each envelope at WARNING through {@link System.Logger} (routed to SLF4J or JUL by the application). */
    static ErrorReporter logging() {
        System.Logger logger = System.getLogger("dev.portflow.errors");
        return e -> logger.log(Level.WARNING, () -> "pipeline=" + e.pipeline() + " component=" + e.component()
                + " port=" + e.port() + " error_type=" + e.errorType() + " message=" + e.message()
                + " payload=" + e.payload());
    }
}
