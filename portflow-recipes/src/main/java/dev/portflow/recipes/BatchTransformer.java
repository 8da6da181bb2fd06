package dev.portflow.recipes;

import dev.portflow.component.ComponentContext;
import dev.portflow.component.Emitter;
import dev.portflow.component.SingleWorker;
import dev.portflow.component.Transformer;
import dev.portflow.message.JsonMessage;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code batch} recipe: collects messages and emits them as one message whose body is
 * {@code {"items": [<body>, ...], "count": <n>}}, when the batch is full ({@code size}), when its
 * window has passed since its first message ({@code window_ms}), and at end of stream (the partial
 * batch is emitted before the output closes, so a drain loses nothing).
 *
 * <p>The batch message has a fresh id; its ingest time is the earliest of its items' ingest
 * times and its event time the earliest of their event times, so its age is its oldest item's.
 *
 * <p>Windows are kept by a timer on a virtual thread of its own: a window ends on time even when no
 * further message arrives. That thread emits through the {@link Emitter} the runtime handed to
 * {@link #transform}; output ports are thread-safe, and every emit (by either thread) happens under
 * one lock, so batches leave in order. Messages that go into a batch without completing one emit
 * nothing at that moment, so the runtime counts them as {@code filtered} on the input port.
 *
 * <p>One worker ({@link SingleWorker}): there is one open batch, so several workers would only
 * queue for its lock, and a batch would leave through whichever worker's emitter filled it.
 */
@SingleWorker("it holds one open batch")
public final class BatchTransformer implements Transformer<JsonMessage, JsonMessage> {

    private static final System.Logger LOG = System.getLogger(BatchTransformer.class.getName());

    private final BatchConfig config;
    private final int maxSize;
    private final long windowNanos; // 0: no window

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<JsonMessage> pending = new ArrayList<>();
    // Guarded by lock.
    private long deadline;
    private @Nullable Emitter<JsonMessage> emitter; // the last transform's: a timer-emitted batch leaves through it
    private @Nullable Thread timer;
    private boolean closed;
    private String name = "batch";

    public BatchTransformer(BatchConfig config) {
        this.config = config;
        this.maxSize = config.maxSize();
        this.windowNanos = config.windowMs() == null ? 0L : TimeUnit.MILLISECONDS.toNanos(config.windowMs());
    }

    public BatchConfig config() {
        return config;
    }

    @Override
    public void setup(ComponentContext context) {
        name = context.pipelineName() + "-" + context.componentName();
    }

    @Override
    public void transform(JsonMessage message, Emitter<JsonMessage> out) throws InterruptedException {
        lock.lock();
        try {
            emitter = out;
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                deadline = now + windowNanos;
                if (windowNanos > 0) {
                    startTimerIfNeeded();
                    changed.signalAll();
                }
            }
            pending.add(message);
            if (pending.size() >= maxSize || (windowNanos > 0 && now - deadline >= 0)) {
                flushLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void startTimerIfNeeded() {
        if (timer == null && !closed) {
            timer = Thread.ofVirtual().name("portflow-" + name + "-window").start(this::runTimer);
        }
    }

    private void runTimer() {
        lock.lock();
        try {
            while (!closed) {
                if (pending.isEmpty()) {
                    changed.await();
                    continue;
                }
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                flushLocked();
            }
        } catch (InterruptedException e) {
            // cleanup() interrupted us: it flushes what is left
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "batch '" + name + "': emitting a batch on its window failed; "
                            + "the batch is emitted by the next message or at end of stream",
                    e);
        } finally {
            lock.unlock();
        }
    }

    /** Emits the pending batch; it is cleared only once the emit returned. */
    private void flushLocked() throws InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        JsonMessage batch = batchOf(pending);
        Objects.requireNonNull(emitter, "emitter").emit(batch); // set by the transform that added a message
        pending.clear();
    }

    static JsonMessage batchOf(List<JsonMessage> messages) {
        List<Object> items = new ArrayList<>(messages.size());
        Instant ingest = null;
        Instant event = null;
        for (JsonMessage m : messages) {
            items.add(m.body());
            if (ingest == null || m.ingestTime().isBefore(ingest)) {
                ingest = m.ingestTime();
            }
            if (m.declaredEventTime() != null
                    && (event == null || m.declaredEventTime().isBefore(event))) {
                event = m.declaredEventTime();
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("count", items.size());
        return new JsonMessage(UUID.randomUUID().toString(), Objects.requireNonNull(ingest, "ingest"), event, body);
    }

    /** Stops the window timer and emits the partial batch (the output is still open here). */
    @Override
    public void cleanup() throws InterruptedException {
        Thread t;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            t = timer;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            try {
                t.join(); // returns once an emit in progress completed
            } catch (InterruptedException e) {
                t.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            if (!pending.isEmpty() && emitter != null) {
                int n = pending.size();
                try {
                    flushLocked();
                } catch (InterruptedException | RuntimeException e) {
                    LOG.log(
                            Level.WARNING,
                            "batch '" + name + "': the last, partial batch of " + n
                                    + " messages could not be emitted at end of stream",
                            e);
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
