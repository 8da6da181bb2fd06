package dev.portflow.port;

import java.time.Duration;

/** Receives the envelope of every failed message that has no {@code err_*} port to go to. */
@FunctionalInterface
public interface ErrorReporter {

    void report(ErrorEnvelope envelope);

    /**
     * Logs failures through {@link System.Logger} (logger {@code dev.portflow.errors}, WARNING), at most
     * 10 a minute per component plus a summary line of those not logged, and never the payload: see
     * {@link #logging(int, Duration, boolean)}.
     */
    static ErrorReporter logging() {
        return logging(10, Duration.ofMinutes(1), false);
    }

    /**
     * Logs at most {@code perWindow} failures per component in each {@code window}, and at the start of
     * the next window one line with how many more failed, by error type.
     *
     * @param payloads whether a line carries the failed message (cut to 64 KiB); off by default because
     *                 messages may hold personal or payment data
     */
    static ErrorReporter logging(int perWindow, Duration window, boolean payloads) {
        return new LoggingErrorReporter(perWindow, window, payloads, System::nanoTime);
    }
}
