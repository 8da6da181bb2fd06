package dev.portflow.trace;

import dev.portflow.time.Ticker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The recent traced messages of one pipeline with their per-stage breakdown, for the dashboard's list
 * of the slowest ones. A {@link MessageTracer} in front of the pipeline's own: it passes every call
 * on unchanged (the contexts are the delegate's) and notes the spans' times as they end. Keeps the
 * newest {@link #CAPACITY} traces; a trace is what spans with the same trace id told, so a message
 * that fanned out shows each branch's stages.
 *
 * <p>Only traced messages come here (1 % by default, plus the slow and failed ones), so one lock
 * around a small map costs nothing the hot path would notice.
 */
public final class RecentTraces implements MessageTracer {

    /** How many traces are kept: the newest ones, by the time their latest span ended. */
    public static final int CAPACITY = 512;

    /**
     * One stage a traced message went through: its buffer wait and its handling, which started at
     * {@code receivedNanos} (on the ticker). A trace lists its stages in that order.
     */
    public record Stage(
            String component, String port, long receivedNanos, long waitNanos, long handlingNanos, boolean failed) {}

    /**
     * One traced message so far.
     *
     * @param why          {@code sampled} (at the entry), {@code slow} or {@code error} (traced late)
     * @param startNanos   its origin (or, traced late, its origin as that stage saw it), on the ticker
     * @param endNanos     when its latest span ended, on the ticker
     * @param endEpochMillis the same as wall time
     * @param entryNanos   the entry span's duration (0 when traced late: before that, {@code beforeNanos})
     */
    public record Trace(
            String traceId,
            String why,
            long startNanos,
            long endNanos,
            long endEpochMillis,
            long entryNanos,
            List<Stage> stages) {

        /** From its origin to the end of its latest span. */
        public long totalNanos() {
            return endNanos - startNanos;
        }
    }

    private final MessageTracer delegate;
    private final Ticker ticker;
    private final Map<String, Building> traces = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Building> eldest) {
            return size() > CAPACITY;
        }
    };

    public RecentTraces(MessageTracer delegate, Ticker ticker) {
        this.delegate = delegate;
        this.ticker = ticker;
    }

    /** The slowest of the traces whose latest span ended in the last {@code windowNanos}, slowest first. */
    public List<Trace> slowest(int limit, long windowNanos) {
        long since = ticker.read() - windowNanos;
        List<Trace> recent = new ArrayList<>();
        synchronized (traces) {
            for (Building b : traces.values()) {
                if (b.end - since >= 0) {
                    recent.add(b.snapshot(ticker));
                }
            }
        }
        recent.sort(Comparator.comparingLong(Trace::totalNanos).reversed());
        return recent.size() > limit ? List.copyOf(recent.subList(0, limit)) : List.copyOf(recent);
    }

    @Override
    public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
        StageSpan span = delegate.enter(component, traceparent, originNanos);
        return span == null ? null : notedEntry(span, originNanos);
    }

    @Override
    public @Nullable StageSpan enter(String component, Ticker sourceTicker) {
        StageSpan span = delegate.enter(component, sourceTicker);
        if (span == null) {
            return null;
        }
        // the delegate read the start; this reading, a few ns later, stands for it in the trace's entry time
        return notedEntry(span, sourceTicker.read());
    }

    /** An entry span whose end notes the trace's entry time, from {@code originNanos}. */
    private StageSpan notedEntry(StageSpan span, long originNanos) {
        String traceId = span.context().traceId();
        return new Noting(span, (end, failed) -> {
            Building b = building(traceId, "sampled", originNanos);
            b.entry = Math.max(b.entry, end - originNanos);
            b.ended(end);
        });
    }

    @Override
    public StageSpan stage(TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
        StageSpan span = delegate.stage(parent, component, port, enqueuedNanos, receivedNanos);
        return noted(span, parent.traceId(), "sampled", enqueuedNanos, component, port, enqueuedNanos, receivedNanos);
    }

    @Override
    public @Nullable StageSpan late(
            String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why) {
        StageSpan span = delegate.late(component, port, originNanos, enqueuedNanos, receivedNanos, why);
        if (span == null) {
            return null;
        }
        return noted(span, span.context().traceId(), why, originNanos, component, port, enqueuedNanos, receivedNanos);
    }

    @Override
    public long slowAfterNanos() {
        return delegate.slowAfterNanos();
    }

    private StageSpan noted(
            StageSpan span,
            String traceId,
            String why,
            long startNanos,
            String component,
            String port,
            long enqueuedNanos,
            long receivedNanos) {
        return new Noting(span, (end, failed) -> {
            Building b = building(traceId, why, startNanos);
            b.stages.add(new Stage(
                    component, port, receivedNanos, receivedNanos - enqueuedNanos, end - receivedNanos, failed));
            b.ended(end);
        });
    }

    /** The trace {@code traceId}, created if new; called with the map's lock held (from Noting.end). */
    private Building building(String traceId, String why, long startNanos) {
        Building b = traces.get(traceId);
        if (b == null) {
            b = new Building(traceId, why, startNanos);
            traces.put(traceId, b);
        } else if (startNanos - b.start < 0) {
            b.start = startNanos;
        }
        return b;
    }

    /** What a span's end adds to its trace; called with the map's lock held. */
    @FunctionalInterface
    private interface Note {
        void ended(long endNanos, boolean failed);
    }

    /** Passes end() on, then notes the end reading (and whether it failed) under the lock. */
    private final class Noting implements StageSpan {
        private final StageSpan span;
        private final Note note;

        Noting(StageSpan span, Note note) {
            this.span = span;
            this.note = note;
        }

        @Override
        public TraceContext context() {
            return span.context();
        }

        @Override
        public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {
            span.end(endNanos, blockedNanos, error);
            synchronized (traces) {
                note.ended(endNanos, error != null);
            }
        }
    }

    /** A trace being noted; guarded by the map's lock. */
    private static final class Building {
        final String traceId;
        final String why;
        long start;
        long end;
        long entry;
        final List<Stage> stages = new ArrayList<>();

        Building(String traceId, String why, long start) {
            this.traceId = traceId;
            this.why = why;
            this.start = start;
            this.end = start;
        }

        void ended(long at) {
            if (at - end > 0) {
                end = at;
            }
        }

        Trace snapshot(Ticker ticker) {
            List<Stage> inOrder = new ArrayList<>(stages); // noted as they ended: a fast downstream stage ends first
            inOrder.sort(Comparator.comparingLong(st -> st.receivedNanos() - start));
            return new Trace(traceId, why, start, end, ticker.toEpochMillis(end), entry, List.copyOf(inOrder));
        }
    }
}
