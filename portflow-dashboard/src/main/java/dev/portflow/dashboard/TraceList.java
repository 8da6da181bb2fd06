package dev.portflow.dashboard;

import dev.portflow.trace.RecentTraces;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard serves of the slowest recent traced messages ({@code /dashboard/api/traces}):
 * the pipeline's {@link RecentTraces} of the last {@link #WINDOW}, slowest first, each with its
 * stages in the order the message reached them. The page asks for it every few seconds while frames
 * arrive; nothing of it is in the frames.
 */
final class TraceList {

    /** Traces whose latest span ended longer ago than this are not listed (as long as the history, by default). */
    static final Duration WINDOW = Duration.ofMinutes(5);
    /** Traces listed when the request names no {@code limit}. */
    static final int DEFAULT_LIMIT = 10;
    /** The most traces one answer lists; a larger {@code limit} is served as this. */
    static final int MAX_LIMIT = 50;

    /**
     * One stage of a traced message: its wait in the stage's input buffer, which began {@code atMs} after
     * the trace's start, then its handling.
     */
    record Stage(String component, String port, double atMs, double waitMs, double handlingMs, boolean failed) {

        static Stage of(RecentTraces.Stage stage, long traceStartNanos) {
            return new Stage(
                    stage.component(),
                    stage.port(),
                    millis(Math.max(0, stage.receivedNanos() - stage.waitNanos() - traceStartNanos)),
                    millis(stage.waitNanos()),
                    millis(stage.handlingNanos()),
                    stage.failed());
        }
    }

    /**
     * One traced message as the page shows it.
     *
     * @param why      {@code sampled} (at its entry), {@code slow} or {@code error} (traced from the stage
     *                 where it turned slow or failed)
     * @param totalMs  from its origin to the end of its latest span
     * @param endedAt  when its latest span ended, ISO-8601 (UTC)
     * @param entryMs  its entry span (a sampled message: its send into the first buffer); 0 when traced late
     * @param beforeMs a message traced late: its life before the first traced stage's buffer; 0 otherwise
     */
    record Entry(
            String traceId,
            String why,
            double totalMs,
            String endedAt,
            double entryMs,
            double beforeMs,
            List<Stage> stages) {

        static Entry of(RecentTraces.Trace trace) {
            List<RecentTraces.Stage> stages = trace.stages();
            long before = 0;
            if (!trace.why().equals("sampled") && !stages.isEmpty()) {
                RecentTraces.Stage first = stages.getFirst(); // in the order the message reached them
                before = Math.max(0, first.receivedNanos() - first.waitNanos() - trace.startNanos());
            }
            return new Entry(
                    trace.traceId(),
                    trace.why(),
                    millis(trace.totalNanos()),
                    Instant.ofEpochMilli(trace.endEpochMillis()).toString(),
                    millis(trace.entryNanos()),
                    millis(before),
                    stages.stream()
                            .map(stage -> Stage.of(stage, trace.startNanos()))
                            .toList());
        }
    }

    private TraceList() {}

    /**
     * The {@code limit} query parameter: absent, the default; a whole number from 1, served as at most
     * {@link #MAX_LIMIT}.
     *
     * @throws IllegalArgumentException with the message for the 400 answer
     */
    static int limit(@Nullable String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        if (!raw.matches("[0-9]+") || raw.matches("0+")) {
            throw new IllegalArgumentException("limit must be a whole number from 1 (at most " + MAX_LIMIT
                    + " are listed), was \"" + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + "\"");
        }
        String digits = raw.replaceFirst("^0+", "");
        return digits.length() > 3 ? MAX_LIMIT : Math.min(MAX_LIMIT, Integer.parseInt(digits));
    }

    /** From the traces {@link RecentTraces#slowest} listed, slowest first. */
    static Map<String, Object> json(boolean tracing, List<RecentTraces.Trace> slowest, int limit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tracing", tracing);
        out.put("window_s", WINDOW.toSeconds());
        out.put("limit", limit);
        out.put("traces", slowest.stream().map(Entry::of).toList());
        return out;
    }

    /**
     * The body of {@code /dashboard/api/traces}: the slowest {@code limit} traces of the window; {@code
     * tracing} false and no traces for a pipeline built without tracing ({@code recent} null).
     */
    static Map<String, Object> json(@Nullable RecentTraces recent, int limit) {
        return recent == null
                ? json(false, List.of(), limit)
                : json(true, recent.slowest(limit, WINDOW.toNanos()), limit);
    }

    /** Nanoseconds as milliseconds, to the microsecond. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
