package dev.portflow.port;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Logs failed messages that have no {@code err_*} port, without flooding the log: per component, the
 * first {@code perWindow} failures of a window are logged one line each (component, port, error
 * type, message, the message id when it has one; the payload only when asked for), the rest are
 * counted and summarised in one line when the next window starts with a failure.
 *
 * <p>Payloads are not logged by default: a failed message may hold personal or payment data, and a
 * component that fails every message would copy the whole stream into the log. The metrics
 * ({@code portflow.port.errors}) count every failure whatever is logged.
 */
final class LoggingErrorReporter implements ErrorReporter {

    private static final System.Logger LOG = System.getLogger("dev.portflow.errors");

    private final int perWindow;
    private final long windowNanos;
    private final boolean payloads;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    LoggingErrorReporter(int perWindow, Duration window, boolean payloads, LongSupplier nanoClock) {
        if (perWindow < 0) {
            throw new IllegalArgumentException("failures logged per window must be >= 0, was " + perWindow);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.perWindow = perWindow;
        this.windowNanos = window.toNanos();
        this.payloads = payloads;
        this.nanoClock = nanoClock;
    }

    /** One component's current window: when it started, how many were logged and how many were not. */
    private static final class Window {
        long start;
        int logged;
        long suppressed;
        final Map<String, Long> suppressedByType = new TreeMap<>();
    }

    @Override
    public void report(ErrorEnvelope e) {
        String line;
        String summary = null;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            String key = e.pipeline() + "/" + e.component();
            Window w = windows.computeIfAbsent(key, k -> new Window());
            if (w.logged == 0 && w.suppressed == 0) {
                w.start = now;
            } else if (now - w.start >= windowNanos) {
                summary = summary(e, w, now);
                w.start = now;
                w.logged = 0;
                w.suppressed = 0;
                w.suppressedByType.clear();
            }
            if (w.logged >= perWindow) {
                w.suppressed++;
                w.suppressedByType.merge(e.errorType(), 1L, Long::sum);
                line = null;
            } else {
                w.logged++;
                line = line(e, w.logged == perWindow);
            }
        }
        if (summary != null) {
            LOG.log(Level.WARNING, summary);
        }
        if (line != null) {
            LOG.log(Level.WARNING, line);
        }
    }

    private String line(ErrorEnvelope e, boolean lastOfWindow) {
        StringBuilder b = new StringBuilder("message failed: pipeline=")
                .append(e.pipeline())
                .append(" component=")
                .append(e.component())
                .append(" port=")
                .append(e.port())
                .append(" error_type=")
                .append(e.errorType())
                .append(" message=")
                .append(e.message());
        String id = e.payloadId();
        if (id != null) {
            b.append(" id=").append(id);
        }
        if (payloads) {
            b.append(" payload=").append(e.payloadText());
        }
        if (lastOfWindow) {
            b.append(" (further failures of '")
                    .append(e.component())
                    .append("' in the next ")
                    .append(Duration.ofNanos(windowNanos).toSeconds())
                    .append(" s are counted, not logged; connect an err_* port to keep them)");
        }
        return b.toString();
    }

    private @Nullable String summary(ErrorEnvelope e, Window w, long now) {
        if (w.suppressed == 0) {
            return null;
        }
        return "component '" + e.component() + "' of pipeline '" + e.pipeline() + "': " + w.suppressed
                + " more failed messages not logged in the last "
                + Duration.ofNanos(now - w.start).toSeconds()
                + " s, by error type " + w.suppressedByType;
    }
}
