package dev.portflow.disk;

import dev.portflow.component.Source;
import dev.portflow.component.SourceContext;
import dev.portflow.metrics.RemoteBuffer;
import dev.portflow.port.OutputPort;
import dev.portflow.runtime.CompletionWatermark;
import dev.portflow.runtime.Pipeline;
import dev.portflow.runtime.ReceivedRecords;
import dev.portflow.time.NanoWallClock;
import dev.portflow.trace.TraceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The receiving end of a disk edge: a source that reads the edge's log from the committed position
 * and feeds the receiving component's input port through a small in-process prefetch buffer.
 *
 * <p>At-least-once: the position advances past a record only once its message is done with in this
 * process, finished by the receiving component and by every component downstream that it led to
 * ({@link CompletionWatermark}), in log order; it is made durable every {@code commitInterval} and
 * on drain. A restart delivers from there, so a crash redelivers at most what was finished since
 * the last commit; an idempotent sink (the {@code store} recipe upserts by id) makes that
 * exactly-once in effect. A record whose payload is not a valid message is logged, counted as an
 * error of this source ({@code invalid_record}) and passed, so one bad record cannot stop the edge.
 *
 * <p>In a pipeline that traces, a record's trace context (written for a traced message) goes with
 * its message, so the receiving stage's spans continue the sender's trace, and its wait span starts
 * when the record was appended.
 *
 * <p>On drain it stops reading, waits (up to {@link #FINISH_TIMEOUT}) for the component to finish
 * what it was given, commits, and ends; as a Kafka receiver does, it stops waiting early when the
 * pipeline refused a message (the receiving component died) and finishing stalls.
 */
public final class DiskReceiver<T> implements Source<T> {

    /** How long a draining receiver waits for its messages to be finished before it stops committing. */
    public static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration STALL_AFTER_REFUSAL = Duration.ofMillis(500);
    private static final Duration READ_RETRY = Duration.ofMillis(100);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final System.Logger LOG = System.getLogger("dev.portflow.disk");

    private final DiskEdge edge;
    private final DiskCodec<T> codec;
    private final DiskLog log;
    private final int prefetch;
    private final long commitIntervalNanos;
    private volatile @Nullable CompletionWatermark watermark;

    DiskReceiver(DiskEdge edge, DiskCodec<T> codec, DiskLog log, int prefetch, Duration commitInterval) {
        this.edge = edge;
        this.codec = codec;
        this.log = log;
        this.prefetch = prefetch;
        this.commitIntervalNanos = commitInterval.toNanos();
    }

    public DiskEdge edge() {
        return edge;
    }

    /** The records waiting in the log: bind the fed input port to it ({@code PipelineBuilder#bindRemote}). */
    public RemoteBuffer backlog() {
        return log;
    }

    /** The prefetch buffer's size: records read ahead of the component, at most. */
    public int prefetch() {
        return prefetch;
    }

    /**
     * The pipeline this receiver feeds (it must hold the edge's receiving component); required after
     * {@code build()} and before {@code start()}, since the position advances only past messages
     * whose work is complete in it ({@link Pipeline#completionWatermark}). Registers the log's
     * meters ({@code portflow.disk.*}) in the pipeline's registry.
     */
    public void watch(Pipeline pipeline) {
        this.watermark = pipeline.completionWatermark(edge.toComponent(), edge.toPort());
        // bound here rather than when the receiver starts running, so the meters are there from the first scrape
        DiskMeters.bind(pipeline.meterRegistry(), log, edge.pipeline(), edge.toComponent(), edge.toPort());
    }

    @Override
    public void run(SourceContext<T> context) throws Exception {
        CompletionWatermark fed = watermark;
        if (fed == null) {
            throw new IllegalStateException("the disk receiver of " + edge.describe()
                    + " does not know the pipeline it feeds (call watch(pipeline) before start)");
        }
        new Reading(context, fed).run();
    }

    /** One run's state: what was given to the pipeline and is not yet done with. */
    private final class Reading {
        private final SourceContext<T> context;
        private final OutputPort<T> out;
        private final DiskLog.Cursor cursor;
        private final ReceivedRecords<Long> pending; // sequence numbers
        private long position; // every record below is done with
        private long lastCommit = System.nanoTime();
        private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;
        private boolean refused;
        private final boolean traced; // the pipeline traces: records' trace contexts are carried on

        Reading(SourceContext<T> context, CompletionWatermark fed) {
            this.context = context;
            this.out = Objects.requireNonNull(context.outputPort(), "a DiskReceiver needs exactly one output port");
            this.pending = new ReceivedRecords<>(fed);
            this.cursor = log.cursor();
            this.position = log.committedPosition();
            this.traced = context.tracer() != null;
        }

        void run() throws InterruptedException {
            try {
                reading:
                while (context.isRunning()) {
                    List<SegmentScanner.Frame> frames;
                    try {
                        frames = cursor.read(prefetch);
                    } catch (IOException e) {
                        // the records stay on disk; reading is tried again (a disk error may pass)
                        warn("cannot read the log of " + edge.describe() + " (retrying): " + e);
                        context.pause(READ_RETRY);
                        continue;
                    }
                    for (SegmentScanner.Frame frame : frames) {
                        if (!give(frame)) {
                            // the pipeline refuses (closing, or the receiving component died): this
                            // record and the rest stay in the log for the next run
                            break reading;
                        }
                    }
                    settle(false);
                    if (frames.isEmpty()) {
                        cursor.await(IDLE_WAIT_NANOS);
                    }
                }
            } catch (InterruptedException e) {
                if (context.isRunning()) {
                    throw e;
                }
            }
            Thread.interrupted(); // a drain interrupts sources once to wake them; the last commits are still to be made
            finishAndCommit();
        }

        /** Hands one record's message to the pipeline; {@code false} if the pipeline takes no more. */
        private boolean give(SegmentScanner.Frame frame) throws InterruptedException {
            T message;
            try {
                message = codec.decode(frame.payload());
            } catch (RuntimeException invalid) {
                out.countError("invalid_record");
                LOG.log(
                        System.Logger.Level.WARNING,
                        "skipping record " + frame.seq() + " of " + edge.describe() + ": " + invalid.getMessage());
                pending.skipped(frame.seq());
                return true;
            }
            long now = System.nanoTime();
            long origin = NanoWallClock.fromEpochNanos(frame.originEpochNanos(), now);
            // queue wait counts from when the sender handed the record over: its wait on disk is the edge's
            long appended = Math.min(now, NanoWallClock.fromEpochNanos(frame.appendedEpochNanos(), now));
            // a traced message continues its trace (only a pipeline that traces reads the record's context);
            // its wait span covers the time on disk too
            byte[] stored = traced ? frame.trace() : null;
            TraceContext trace = stored == null ? null : RecordTrace.decode(stored);
            if (!out.send(message, origin, appended, trace).isAccepted()) {
                refused = true;
                return false;
            }
            pending.given(frame.seq());
            return true;
        }

        /**
         * Releases the records whose messages are done with (and the skipped ones before them), in
         * order, and makes the position durable when {@code force} or the commit interval has passed.
         */
        private void settle(boolean force) {
            List<Long> done = pending.done();
            if (!done.isEmpty()) {
                pending.removeDone(done.size());
                position = done.getLast() + 1;
                log.release(done.size());
            }
            long now = System.nanoTime();
            if (position > log.committedPosition() && (force || now - lastCommit >= commitIntervalNanos)) {
                try {
                    log.commit(position);
                    lastCommit = now;
                } catch (IOException e) {
                    warn("cannot make the position of " + edge.describe() + " durable (retried): " + e);
                }
            }
        }

        /** Logs {@code message} unless a warning was logged in the last minute. */
        private void warn(String message) {
            long now = System.nanoTime();
            if (now - lastWarning >= WARN_EVERY_NANOS) {
                lastWarning = now;
                LOG.log(System.Logger.Level.WARNING, message);
            }
        }

        private void finishAndCommit() throws InterruptedException {
            int left = pending.settleAll(FINISH_TIMEOUT, refused, STALL_AFTER_REFUSAL, () -> settle(true));
            if (left > 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        left + " records of " + edge.describe() + " were not finished in " + FINISH_TIMEOUT.toSeconds()
                                + " s; they will be delivered again");
            }
        }
    }
}
