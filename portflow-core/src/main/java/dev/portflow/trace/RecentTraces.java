package dev.portflow.trace;

import dev.portflow.time.Ticker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The recent traced messages of one pipeline with their per-stage breakdown, for the dashboard's list
 * of the slowest ones. A {@link MessageTracer} in front of the pipeline's own: it passes every call
 * on unchanged (the contexts are the delegate's) and notes each span as it ends. It keeps the newest
 * {@link #NOTES} span ends, a few per trace; {@link #slowest} groups them into traces by trace id, so
 * a message that fanned out shows each branch's stages.
 *
 * <p>The pipeline's threads only publish: a span's end stores its note into a ring (one atomic
 * increment and one release store, no lock, no trace id built), and the reader groups the ring's
 * notes and builds the ids. So noting never blocks a stage, and costs a traced message no more than
 * its span's own wrapper. What that gives up: a trace whose earliest span ends have been overwritten
 * shows the stages still held, and a stage delayed between taking its slot and storing into it for a
 * whole turn of the ring (another {@link #NOTES} span ends) overwrites a newer note, which is lost.
 */
public final class RecentTraces implements MessageTracer {

    /** How many span ends are kept: the newest (about this many over stages-plus-one traces). */
    public static final int NOTES = 4096;

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
    private final AtomicReferenceArray<Noting> notes = new AtomicReferenceArray<>(NOTES);
    private final AtomicLong ends = new AtomicLong(); // span ends so far: the next one's place in the ring

    public RecentTraces(MessageTracer delegate, Ticker ticker) {
        this.delegate = delegate;
        this.ticker = ticker;
    }

    /** The slowest of the traces whose latest span ended in the last {@code windowNanos}, slowest first. */
    public List<Trace> slowest(int limit, long windowNanos) {
        long since = ticker.read() - windowNanos;
        Map<String, Building> traces = new HashMap<>();
        long newest = ends.get();
        for (long k = Math.max(0, newest - NOTES); k < newest; k++) { // oldest first: the order they ended in
            Noting note = notes.getAcquire((int) (k & (NOTES - 1)));
            if (note != null) {
                traces.computeIfAbsent(note.span.context().traceId(), id -> new Building(id, note))
                        .add(note);
            }
        }
        List<Trace> recent = new ArrayList<>();
        for (Building b : traces.values()) {
            if (b.end - since >= 0) {
                recent.add(b.snapshot(ticker));
            }
        }
        recent.sort(Comparator.comparingLong(Trace::totalNanos).reversed());
        return recent.size() > limit ? List.copyOf(recent.subList(0, limit)) : List.copyOf(recent);
    }

    @Override
    public @Nullable StageSpan enter(String component, @Nullable String traceparent, long originNanos) {
        StageSpan span = delegate.enter(component, traceparent, originNanos);
        return span == null ? null : new Noting(span, "sampled", originNanos, null, null, 0L, 0L);
    }

    @Override
    public long untracedGap() {
        return delegate.untracedGap();
    }

    @Override
    public @Nullable StageSpan enterPicked(String component, long handOffNanos) {
        StageSpan span = delegate.enterPicked(component, handOffNanos);
        return span == null ? null : new Noting(span, "sampled", handOffNanos, null, null, 0L, 0L);
    }

    @Override
    public StageSpan stage(TraceContext parent, String component, String port, long enqueuedNanos, long receivedNanos) {
        StageSpan span = delegate.stage(parent, component, port, enqueuedNanos, receivedNanos);
        return new Noting(span, "sampled", enqueuedNanos, component, port, enqueuedNanos, receivedNanos);
    }

    @Override
    public @Nullable StageSpan late(
            String component, String port, long originNanos, long enqueuedNanos, long receivedNanos, String why) {
        StageSpan span = delegate.late(component, port, originNanos, enqueuedNanos, receivedNanos, why);
        return span == null ? null : new Noting(span, why, originNanos, component, port, enqueuedNanos, receivedNanos);
    }

    @Override
    public long slowAfterNanos() {
        return delegate.slowAfterNanos();
    }

    /**
     * A span passed on, and once it has ended, its note in the ring: an entry's ({@code component}
     * null) or a stage's. Its end fields are written before the release store that publishes it, so
     * a reader that finds it (acquire) sees them.
     */
    private final class Noting implements StageSpan {
        final StageSpan span;
        final String why;
        final long startNanos;
        final @Nullable String component; // null: the entry span
        final @Nullable String port;
        final long enqueuedNanos;
        final long receivedNanos;
        long endNanos;
        boolean failed;

        Noting(
                StageSpan span,
                String why,
                long startNanos,
                @Nullable String component,
                @Nullable String port,
                long enqueuedNanos,
                long receivedNanos) {
            this.span = span;
            this.why = why;
            this.startNanos = startNanos;
            this.component = component;
            this.port = port;
            this.enqueuedNanos = enqueuedNanos;
            this.receivedNanos = receivedNanos;
        }

        @Override
        public TraceContext context() {
            return span.context();
        }

        @Override
        public void end(long endNanos, long blockedNanos, @Nullable Throwable error) {
            span.end(endNanos, blockedNanos, error);
            this.endNanos = endNanos;
            this.failed = error != null;
            notes.setRelease((int) (ends.getAndIncrement() & (NOTES - 1)), this);
        }
    }

    /** One trace being grouped by {@link #slowest}, from its notes oldest first. */
    private static final class Building {
        final String traceId;
        final String why; // its first note's: the entry's for a sampled message, else the stage that traced it
        long start;
        long end;
        long entry;
        final List<Stage> stages = new ArrayList<>();

        Building(String traceId, Noting first) {
            this.traceId = traceId;
            this.why = first.why;
            this.start = first.startNanos;
            this.end = first.startNanos;
        }

        void add(Noting note) {
            if (note.startNanos - start < 0) {
                start = note.startNanos;
            }
            if (note.endNanos - end > 0) {
                end = note.endNanos;
            }
            if (note.component == null) {
                entry = Math.max(entry, note.endNanos - note.startNanos);
            } else {
                stages.add(new Stage(
                        note.component,
                        Objects.requireNonNull(note.port),
                        note.receivedNanos,
                        note.receivedNanos - note.enqueuedNanos,
                        note.endNanos - note.receivedNanos,
                        note.failed));
            }
        }

        Trace snapshot(Ticker ticker) {
            List<Stage> inOrder = new ArrayList<>(stages); // noted as they ended: a fast downstream stage ends first
            inOrder.sort(Comparator.comparingLong(st -> st.receivedNanos() - start));
            return new Trace(traceId, why, start, end, ticker.toEpochMillis(end), entry, List.copyOf(inOrder));
        }
    }
}
