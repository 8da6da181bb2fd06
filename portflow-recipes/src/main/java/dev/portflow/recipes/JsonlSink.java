package dev.portflow.recipes;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Sink;
import dev.portflow.message.JsonMessage;
import java.io.IOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code jsonl_sink} recipe: appends one JSON object per line to a file (UTF-8, {@code \n}).
 *
 * <p>Each line is the message body, with {@code _id}, {@code _ingest_time} and (when the message
 * has an event time) {@code _event_time} in front unless {@code metadata: false}; a body that is not
 * an object is written as {@code {"_id":..., "_ingest_time":..., "body": <value>}}. The id lets a
 * reader drop the duplicates an at-least-once upstream may cause. Connected to an {@code err_*}
 * port it writes the error envelopes.
 *
 * <p>Durability: lines are buffered and flushed to the file at most {@code flush_ms} after they
 * were written (by a small flusher on a virtual thread, so a quiet stream is flushed too), at end of
 * stream, and when the pipeline drains; a crash of the process loses at most the last
 * {@code flush_ms} of lines (the file is not fsync'ed, so a crash of the machine may lose more). The
 * file is opened in {@code setup} (creating its parent directories) and closed in {@code cleanup}.
 */
public final class JsonlSink implements Sink<Object> {

    private static final System.Logger LOG = System.getLogger(JsonlSink.class.getName());

    private final JsonlSinkConfig config;
    private final long intervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition(); // the flusher waits on it
    // Guarded by lock.
    private Writer writer;
    private boolean dirty;
    private long lastFlush;
    private boolean closed;
    private Thread flusher;

    public JsonlSink(JsonlSinkConfig config) {
        this.config = config;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs());
    }

    public JsonlSinkConfig config() {
        return config;
    }

    @Override
    public void setup(ComponentContext context) throws IOException {
        Path path = config.path().toAbsolutePath();
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        lock.lock();
        try {
            writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            lastFlush = System.nanoTime();
            closed = false;
            if (intervalNanos > 0) {
                flusher = Thread.ofVirtual().name("portflow-" + context.pipelineName() + "-" + context.componentName() + "-flush")
                        .start(this::runFlusher);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void accept(Object message) throws IOException {
        JsonMessage document = Documents.of(message);
        String line = Json.write(config.metadata() ? Documents.withMetadata(document) : document.body());
        lock.lock();
        try {
            if (writer == null) {
                throw new IllegalStateException("jsonl_sink for " + config.path() + " is not open (setup not called, or already cleaned up)");
            }
            writer.write(line);
            writer.write('\n');
            if (!dirty) {
                dirty = true;
                wake.signal(); // the flusher now waits for this line's deadline
            }
            if (intervalNanos == 0 || System.nanoTime() - lastFlush >= intervalNanos) {
                flushLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            if (writer != null) {
                flushLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() throws IOException {
        writer.flush();
        dirty = false;
        lastFlush = System.nanoTime();
    }

    private void runFlusher() {
        lock.lock();
        try {
            while (!closed) {
                if (!dirty) {
                    wake.await();
                    continue;
                }
                long wait = lastFlush + intervalNanos - System.nanoTime();
                if (wait > 0) {
                    wake.awaitNanos(wait);
                    continue;
                }
                try {
                    flushLocked();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "jsonl_sink: flushing " + config.path() + " failed", e);
                    lastFlush = System.nanoTime(); // retry after another interval
                }
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cleanup() throws IOException, InterruptedException {
        Thread t;
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
            t = flusher;
            flusher = null;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.join();
        }
        lock.lock();
        try {
            if (writer != null) {
                try {
                    writer.flush();
                } finally {
                    writer.close();
                    writer = null;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
