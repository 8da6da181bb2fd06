package dev.portflow.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Where the threads of the pipelines of one {@link OpenTelemetryTracing} record their ended spans ({@link
 * SpanLog}, one per thread), and the thread that turns those records into {@link RecordedSpan}s and hands them
 * to the span processor. The pipeline's threads so never build a span for export, share no counter and
 * touch no queue of the processor's: that is all done here, off the pipeline (docs/tracing.md, "What it
 * costs").
 *
 * <p>The drain thread wakes every {@link #PERIOD_MILLIS} ms, and whenever a log is half full, drains
 * every log, and forgets the logs of threads that ended once they are empty. A span reaches the processor
 * up to that period after it ended, which the processor's own schedule (5 s by default) dwarfs. A thread
 * that ends spans faster than the drain keeps up with drops them (counted in {@link #dropped()}, and a
 * warning at most once a minute) rather than wait. {@link #flush()} drains at once; {@link #close()} stops
 * the thread after a last drain.
 */
final class SpanLogDrain implements AutoCloseable {

    /** Records per thread's log: 1024 (64 KiB of longs). */
    static final int LOG_CAPACITY = 1024;

    /** How often the drain thread drains without being woken. */
    static final long PERIOD_MILLIS = 100;

    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final System.Logger LOG = System.getLogger(SpanLogDrain.class.getName());

    private final SpanProcessor processor;
    private final Resource resource;
    private final SpanShapeTable shapes = new SpanShapeTable();
    private final List<SpanLog> logs = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SpanLog> threadLog = ThreadLocal.withInitial(this::register);
    private final ReentrantLock draining = new ReentrantLock(); // one reader per log: the thread or flush()
    private final Thread thread;
    private volatile boolean closed;

    private long droppedByGone; // dropped by logs already forgotten (under draining)
    private long droppedWarned; // the total at the last warning (under draining)
    private long lastWarning; // nanoTime of the last warning (under draining)

    SpanLogDrain(SpanProcessor processor, Resource resource) {
        this.processor = processor;
        this.resource = resource;
        this.thread =
                Thread.ofPlatform().name("portflow-span-drain").daemon(true).unstarted(this::run);
        this.lastWarning = System.nanoTime() - WARN_EVERY_NANOS;
        thread.start();
    }

    Resource resource() {
        return resource;
    }

    SpanShapeTable shapes() {
        return shapes;
    }

    /** The calling thread's log, made on its first span. */
    SpanLog log() {
        return threadLog.get();
    }

    private SpanLog register() {
        SpanLog log = new SpanLog(Thread.currentThread(), LOG_CAPACITY, this::wake);
        logs.add(log);
        return log;
    }

    /** Asks the drain thread to drain now (a log is half full). */
    private void wake() {
        LockSupport.unpark(thread);
    }

    /** How many threads' logs it drains now (tests). */
    int logCount() {
        return logs.size();
    }

    /** Spans dropped so far because a thread's log was full. */
    long dropped() {
        draining.lock();
        try {
            return droppedTotal();
        } finally {
            draining.unlock();
        }
    }

    private long droppedTotal() {
        long total = droppedByGone;
        for (SpanLog log : logs) {
            total += log.dropped();
        }
        return total;
    }

    /** Hands every span recorded so far to the processor, on the calling thread. */
    void flush() {
        drainAll();
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
            drainAll();
        }
    }

    @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a CopyOnWriteArrayList iterates over a snapshot
    private void drainAll() {
        draining.lock();
        try {
            for (SpanLog log : logs) {
                boolean gone = !log.owner().isAlive(); // asked first: a thread that ended recorded all it will
                log.drainTo(this::toProcessor);
                if (gone) {
                    logs.remove(log);
                    droppedByGone += log.dropped();
                }
            }
            warnOfDrops();
        } finally {
            draining.unlock();
        }
    }

    private void toProcessor(
            int shapeId,
            long traceIdHigh,
            long traceIdLow,
            long spanId,
            long parentSpanId,
            @Nullable SpanContext remote,
            long startEpochNanos,
            long endEpochNanos,
            long blockedNanos,
            @Nullable Throwable failure) {
        processor.onEnd(new RecordedSpan(
                resource,
                shapes.get(shapeId),
                traceIdHigh,
                traceIdLow,
                spanId,
                parentSpanId,
                remote,
                startEpochNanos,
                endEpochNanos,
                blockedNanos,
                failure));
    }

    private void warnOfDrops() {
        long total = droppedTotal();
        long now = System.nanoTime();
        if (total > droppedWarned && now - lastWarning >= WARN_EVERY_NANOS) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "tracing: {0} spans dropped so far: a thread ended spans faster than they were handed to the"
                            + " exporter (more than {1} waiting)",
                    total,
                    LOG_CAPACITY);
            droppedWarned = total;
            lastWarning = now;
        }
    }

    /** Stops the drain thread after handing the processor every span recorded so far. Again: nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainAll(); // what was recorded after the thread's last drain
    }
}
