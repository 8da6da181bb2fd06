package dev.portflow.runtime;

import dev.portflow.component.Emitter;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Transformer;
import dev.portflow.internal.PortMeasurements;
import dev.portflow.metrics.DropReason;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import dev.portflow.trace.TraceContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Runs a component that handles messages (transformer, sink, router, merger) on its workers: each
 * receives fairly from the component's inputs, handles, accounts its time, and repeats until every
 * input reaches end of stream. When the last worker ends, the component is cleaned up and its
 * outputs closed.
 *
 * <p><b>One worker</b> (the default) receives straight from the inbox, as a single consumer, and
 * costs one clock read per timed message: the read that ends one message's processing is handed to
 * the next receive as its receive time when a message is already waiting. A message its port did
 * not time (sampling at high rates, docs/metrics-fast-path.md) costs none: it is counted at the
 * worker's next exact reading.
 *
 * <p>A worker's {@link ComponentTime} changes state only when the state really changes: back-to-back
 * messages stay busy (no write at all); it enters idle only when its receive is about to wait (input
 * empty), at the reading that ended the last message; a message that arrives after that reading but
 * before the worker looked again makes one write (busy, idle in between, busy). So busy + idle +
 * backpressured still adds up to the wall time exactly.
 *
 * <p><b>Several workers</b> take turns at the inbox under a lock (leader/follower: the channels keep
 * their single consumer, the one holding the lock) and handle what they took concurrently. Their
 * finishing goes by sequence ({@link PortMeasurements#finishInAnyOrder}) so a transport that
 * acknowledges finished work still sees a prefix. With a key ({@link KeyedOrder}) messages with the
 * same key are handled one at a time in arrival order. The number of workers can change while it
 * runs ({@link #setWorkers}): new ones start at once; surplus ones leave after their message.
 */
final class HandlerRunner extends ComponentRunner {

    /** How often a worker waiting at the inbox looks whether it is asked to leave. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final boolean timed;
    private final boolean shared; // more than one worker at some point: the lock, sequences
    private final @Nullable OutputPort<Object> output; // the one data output, or null
    private final Map<String, OutputPort<Object>> routes = new HashMap<>();
    private final @Nullable KeyedOrder keyed; // null: no per-key order
    private final @Nullable MessageTracer tracer; // null: the pipeline traces nothing (docs/tracing.md)
    private final long slowAfterNanos; // the tracer's, read once: an interface call per message costs (MAX: never)

    private final ReentrantLock receiveLock = new ReentrantLock();
    private final List<Worker> workers = new CopyOnWriteArrayList<>(); // running, and ended with a message unfinished
    // Guarded by this: workers not yet ended (a worker that took a request to leave no longer counts),
    // and requests to leave that no worker has taken yet. Running now: live - leaving.
    private int live;
    private int leaving;
    private boolean ended; // end of stream reached or forced: no new workers; guarded by this
    private volatile boolean endOfStream;
    // A worker died (an error outside any one message): the others take nothing more, the inputs
    // refuse further messages. Issue 13 F6: a dead component must not wedge its producers.
    private volatile boolean dead;

    @SuppressWarnings("unchecked")
    HandlerRunner(ComponentNode node, String pipelineName, ErrorReporter fallbackReporter) {
        super(node, pipelineName, fallbackReporter);
        List<OutputPort<?>> data = node.dataOutputs();
        this.output = data.size() == 1 ? (OutputPort<Object>) data.get(0) : null;
        for (OutputPort<?> port : data) {
            routes.put(port.name(), (OutputPort<Object>) port);
        }
        // A component whose every input connection is untimed (ConnectionOptions.timed(false)) is not
        // timed either: no clock read per message, no processing-time histogram, no busy/idle time.
        // Its counters (in, out, drops, errors, finished) stay exact.
        this.timed = node.inputs.values().stream().anyMatch(InputPort::isTimed);
        if (!timed) {
            node.times.turnOff();
        }
        int max = node.workers.max();
        this.shared = max > 1;
        this.keyed = node.key == null ? null : new KeyedOrder(node.key, max);
        this.tracer = node.tracer;
        this.slowAfterNanos = tracer == null ? Long.MAX_VALUE : tracer.slowAfterNanos();
        if (shared) {
            for (InputPort<?> port : node.inputs.values()) {
                port.measurements().finishInAnyOrder();
            }
        }
    }

    @Override
    void start() {
        setWorkers(node.workers.min());
    }

    /** Workers running now. */
    synchronized int workerCount() {
        return live - leaving;
    }

    /**
     * Runs {@code n} workers (clamped to the component's bounds): starts the missing ones, or asks the
     * surplus ones to leave once they have finished their message.
     */
    void setWorkers(int n) {
        int wanted = Math.max(node.workers.min(), Math.min(node.workers.max(), n));
        List<Worker> started = new ArrayList<>();
        synchronized (this) {
            if (ended) {
                return;
            }
            int running = live - leaving;
            if (wanted < running) {
                leaving += running - wanted;
            } else {
                int cancel = Math.min(leaving, wanted - running); // asked to leave, not gone: stay
                leaving -= cancel;
                for (int i = running + cancel; i < wanted; i++) {
                    Worker w = new Worker(node.times.newWorker());
                    workers.add(w);
                    live++;
                    started.add(w);
                }
            }
        }
        for (Worker w : started) {
            w.start(workers.size());
        }
    }

    @Override
    @Nullable
    ComponentTime timeOfCurrentThread() {
        Worker w = currentWorker();
        return w == null ? null : w.time;
    }

    private @Nullable Worker currentWorker() {
        Thread current = Thread.currentThread();
        for (Worker w : workers) {
            if (w.thread == current) {
                return w;
            }
        }
        return null;
    }

    /** Also takes the wait out of the message's processing time. */
    @Override
    public void waitEnded(long startNanos, long endNanos) {
        Worker w = currentWorker();
        if (w != null) {
            w.blockedNanos += endNanos - startNanos;
            w.time.enter(ComponentTime.BUSY, endNanos);
        }
    }

    @Override
    void interruptAll() {
        synchronized (this) {
            ended = true;
        }
        for (Worker w : workers) {
            Thread t = w.thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /** The messages taken and not finished when the workers were stopped, with their ports; after they ended. */
    List<KeyedOrder.Parked> unfinished() {
        List<KeyedOrder.Parked> left = new ArrayList<>();
        for (Worker w : workers) {
            if (w.unfinished != null) {
                // set with unfinished, and the worker has ended
                left.add(new KeyedOrder.Parked(
                        w.unfinished, Objects.requireNonNull(w.unfinishedPort), 0L, 0L, 0L, null, 0L));
            }
        }
        if (keyed != null) {
            left.addAll(keyed.parked());
        }
        return left;
    }

    /**
     * After a worker died: no new workers; the others end once they have finished the message they
     * hold (they take no other); every input refuses further messages at once, so producers blocked
     * on a full input are released with {@code CLOSED} rather than waiting for a drain to time out.
     * What is still buffered is left over for the drain report.
     */
    private void stopForGood() {
        synchronized (this) {
            ended = true;
        }
        dead = true;
        if (keyed != null) {
            keyed.abandon();
        }
        for (InputPort<?> port : node.inputs.values()) {
            port.refuseMessages();
        }
    }

    /** One worker ended (end of stream, asked to leave, forced, or failed); the last one finishes the component. */
    private void workerEnded(Worker w, boolean left) {
        boolean last;
        synchronized (this) {
            if (!left) {
                live--; // a leaver was taken off when it took the request
            }
            last = live == 0 && !left;
            if (last) {
                ended = true;
            }
        }
        node.times.retire(w.time);
        if (w.unfinished == null) {
            workers.remove(w); // keep only the ones a drain report must read
        }
        if (last) {
            if (endOfStream && node.component instanceof Sink<?> sink) {
                try {
                    sink.flush();
                } catch (Exception e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "flush of sink '" + node.name + "' at end of stream failed",
                            e);
                }
            }
            finishComponent();
        }
    }

    /** One worker thread and its per-message state (the emitter its component calls). */
    private final class Worker implements Emitter<Object> {

        final ComponentTime time;
        volatile @Nullable Thread thread; // set by start()
        // State of the message being handled; this worker's thread only.
        private long currentOrigin = OutputPort.NO_ORIGIN;
        private @Nullable TraceContext currentTrace; // the span of the message being handled, when traced
        private long lastEnd; // the clock reading that ended the last message (0: none, or untimed)
        // Sampling (docs/metrics-fast-path.md): a message its port did not time counts the last timed
        // processing time of the same port; the next exact reading counts the stretch and bounds it
        // from above. Per input port, in the order of samplePorts: that last timed processing time
        // (-1: none yet), and the untimed messages handled since the last exact reading. Per port,
        // so a component with several inputs (a merger taking them in turn) samples as one with one.
        private final InputPort<?>[] samplePorts = node.inputs.values().toArray(new InputPort<?>[0]);
        private final long[] lastProcessNanos = new long[samplePorts.length];
        private final int[] processRepeats = new int[samplePorts.length];
        private long lastExactReading; // this worker's last exact reading that ended a message or a stretch
        private boolean untimedSinceExact;
        private int emitted;
        long blockedNanos;
        // The message taken and not finished yet: still set when a forced stop interrupts its
        // handling, so the drain report can count it and hand it back. Read after the thread ended.
        @Nullable
        Object unfinished;

        @Nullable
        InputPort<?> unfinishedPort;
        // What take() handed over (several workers).
        @SuppressWarnings("NullAway.Init") // set by take() before it returns TOOK, the only time runShared reads it
        private Object taken;

        @SuppressWarnings("NullAway.Init") // as taken
        private InputPort<?> takenPort;

        private long takenAt;
        private long takenOrigin;
        private long takenSequence;
        private @Nullable TraceContext takenContext;
        private long takenEnqueuedAt;
        private @Nullable Object key; // null is a key too
        private @Nullable RuntimeException keyFailure;

        Worker(ComponentTime time) {
            this.time = time;
            java.util.Arrays.fill(lastProcessNanos, -1L);
        }

        void start(int number) {
            // The worker's clock runs from now, idle, not from its thread's first step: a virtual thread
            // waits for a carrier before that, and on few cores behind CPU-bound workers that never
            // block it may wait for seconds. Uncounted, that wait made a widened stage look as busy as
            // the workers that did run, and the widening look as if it had helped (2 -> 4 "raised
            // throughput 101 %" on 2 cores). Thread.start orders this write before the thread's own.
            time.start(ComponentTime.IDLE, timed ? node.ticker.read() : 0L);
            Thread t = Thread.ofVirtual()
                    .name("portflow-" + pipelineName + "-" + node.name + (shared ? "-" + number : ""))
                    .unstarted(this::run);
            thread = t; // before it runs: backpressure callbacks compare against it at once
            t.start();
        }

        private void run() {
            boolean left = false;
            try {
                if (shared) {
                    left = runShared();
                } else {
                    runAlone();
                }
            } catch (InterruptedException e) {
                // forced stop: the message being handled stays in unfinished
            } catch (Throwable t) {
                died(t);
                stopForGood();
            } finally {
                long end = node.ticker.read();
                if (untimedSinceExact) {
                    settleProcessing(end); // stopped or failed right after untimed messages: count them
                }
                time.finish(end);
                workerEnded(this, left);
            }
        }

        /** The only worker: receives straight from the inbox, at most one clock read per message. */
        private void runAlone() throws Exception {
            long now = timed ? node.ticker.read() : 0L;
            while (true) {
                Object message = node.inbox.poll(now);
                if (message == null) {
                    idle(); // about to wait: idle since the end of the last message
                    message = node.inbox.receive(Long.MAX_VALUE, 0L);
                    if (message == null) {
                        endOfStream = true; // end of stream on every input
                        return;
                    }
                }
                InputPort<?> port = node.inbox.lastPort();
                now = handle(
                        message,
                        port,
                        receiveTime(port),
                        port.lastOrigin(),
                        -1L,
                        null,
                        port.lastContext(),
                        port.lastEnqueuedAt());
            }
        }

        /**
         * One of several workers: takes turns at the inbox, handles what it took (and, with a key,
         * what was parked behind it). Returns whether it left because it was asked to.
         */
        private boolean runShared() throws Exception {
            while (true) {
                int outcome = take();
                if (outcome != TOOK) {
                    return outcome == LEAVE;
                }
                long end = handle(
                        taken,
                        takenPort,
                        takenAt,
                        takenOrigin,
                        takenSequence,
                        keyFailure,
                        takenContext,
                        takenEnqueuedAt);
                if (keyed != null && keyFailure == null) {
                    for (KeyedOrder.Parked next = keyed.next(key); next != null; next = keyed.next(key)) {
                        // its wait ended with the last message (0 when untimed); its queue wait was measured when taken
                        end = handle(
                                next.message(),
                                next.port(),
                                end,
                                next.origin(),
                                next.sequence(),
                                null,
                                next.context(),
                                next.enqueuedAt());
                    }
                }
            }
        }

        /**
         * When the message just taken from {@code port} was received: its exact reading, or a new one
         * when its connection is untimed and another input is not; 0 when this component is untimed
         * or the message is a sampled-out one (handled as the last timed one was).
         */
        private long receiveTime(InputPort<?> port) {
            if (!timed) {
                return 0L;
            }
            long at = port.lastReceivedAt();
            if (at == 0L && !port.lastUntimed()) {
                at = node.ticker.read(); // this port is untimed, another one is not
            }
            return at;
        }

        /** Before a wait for input (or for the receive lock, or for room to park): idle since the last message ended. */
        private void idle() {
            if (timed && time.state() == ComponentTime.BUSY) {
                long at = lastEnd;
                if (at == 0L || untimedSinceExact) {
                    at = node.ticker.read(); // the last message ended without a reading
                    settleProcessing(at);
                }
                time.enter(ComponentTime.IDLE, at);
            }
        }

        /**
         * An exact reading after the untimed messages since the last one: counts them (each as the
         * last timed processing time of their port) and bounds their processing time from above.
         */
        private void settleProcessing(long now) {
            if (untimedSinceExact) {
                long bound = now - lastExactReading;
                for (int i = 0; i < samplePorts.length; i++) {
                    if (processRepeats[i] > 0) {
                        var histogram = samplePorts[i].measurements().processDuration;
                        histogram.recordRepeats(lastProcessNanos[i], processRepeats[i]);
                        histogram.raiseMax(bound);
                        processRepeats[i] = 0;
                    }
                }
                untimedSinceExact = false;
            }
            lastExactReading = now;
        }

        /** The place of {@code port} in samplePorts, or -1 (not an input of this component: never sampled). */
        private int sampleIndex(InputPort<?> port) {
            for (int i = 0; i < samplePorts.length; i++) {
                if (samplePorts[i] == port) {
                    return i;
                }
            }
            return -1;
        }

        private static final int TOOK = 0;
        private static final int END = 1;
        private static final int LEAVE = 2;

        /** Takes the next message under the receive lock: {@link #TOOK}, {@link #END} of stream, or asked to {@link #LEAVE}. */
        private int take() throws InterruptedException {
            // The reading that ended the last message is the receive time of a message already waiting,
            // unless this worker waited first (for the lock, for room, or for input).
            long hint = lastEnd;
            if (!receiveLock.tryLock()) {
                idle();
                hint = 0L;
                receiveLock.lockInterruptibly();
            }
            try {
                while (true) {
                    synchronized (HandlerRunner.this) {
                        if (leaving > 0 && !ended) {
                            leaving--; // this worker takes the request: it is gone from now on
                            live--;
                            idle();
                            return LEAVE;
                        }
                    }
                    if (endOfStream || dead) {
                        idle();
                        return END;
                    }
                    if (keyed != null) {
                        if (keyed.awaitRoom(this::idle)) {
                            hint = 0L;
                        }
                        if (dead) {
                            idle();
                            return END;
                        }
                    }
                    Object message = node.inbox.poll(hint);
                    hint = 0L;
                    if (message == null) {
                        idle();
                        message = node.inbox.receive(RECHECK_NANOS, 0L);
                    }
                    if (message == null) {
                        if (node.inbox.isEndOfStream()) {
                            endOfStream = true;
                            return END;
                        }
                        continue; // timed out: look whether to leave, then wait again
                    }
                    InputPort<?> port = node.inbox.lastPort();
                    long at = receiveTime(port);
                    if (keyed == null) {
                        set(message, port, at, null, null);
                        return TOOK;
                    }
                    Object k;
                    try {
                        k = keyed.keyOf(message);
                    } catch (RuntimeException e) {
                        set(message, port, at, null, e); // fails alone
                        return TOOK;
                    }
                    KeyedOrder.Parked p = new KeyedOrder.Parked(
                            message,
                            port,
                            at,
                            port.lastOrigin(),
                            port.lastSequence(),
                            port.lastContext(),
                            port.lastEnqueuedAt());
                    if (keyed.claimOrPark(k, p)) {
                        set(message, port, at, k, null);
                        return TOOK;
                    }
                    // parked behind the worker that holds its key; take another
                }
            } finally {
                receiveLock.unlock();
            }
        }

        /** Keeps what take() took from {@code port} (read under the receive lock: the port's last message). */
        private void set(
                Object message, InputPort<?> port, long at, @Nullable Object k, @Nullable RuntimeException failure) {
            taken = message;
            takenPort = port;
            takenAt = at;
            takenOrigin = port.lastOrigin();
            takenSequence = port.lastSequence();
            takenContext = port.lastContext();
            takenEnqueuedAt = port.lastEnqueuedAt();
            key = k;
            keyFailure = failure;
        }

        /**
         * Handles one message taken from {@code port}: errors to err_* or the reporter, drops, the
         * finished count, processing time. Returns the clock read that ended it (0 when untimed).
         *
         * @param sequence   its place in the port's order (several workers), or -1 (one worker)
         * @param failure    a failure to report instead of handling it (its key could not be computed)
         * @param context    its trace context, or null (untraced, or no tracer)
         * @param enqueuedAt when it entered its buffer (tracing only: exact for a traced message)
         */
        private long handle(
                Object message,
                InputPort<?> port,
                long receivedAt,
                long origin,
                long sequence,
                @Nullable RuntimeException failure,
                @Nullable TraceContext context,
                long enqueuedAt)
                throws InterruptedException {
            PortMeasurements measurements = port.measurements();
            int sample = timed ? sampleIndex(port) : -1;
            // Untimed and back to back (the common case at high rates): still busy, no clock read;
            // "busy on one message" counts from the last timed one, at most about SETTLE_NANOS
            // earlier (the port times one by then). Kept out of startTimed so this stays small.
            if (timed
                    && (receivedAt != 0L
                            || time.state() != ComponentTime.BUSY
                            || sample < 0
                            || lastProcessNanos[sample] < 0)) {
                receivedAt = startTimed(receivedAt); // it waited for this one, or no timed one stands for it
            }
            unfinished = message;
            unfinishedPort = port;
            currentOrigin = origin;
            emitted = 0;
            blockedNanos = 0;
            // Untraced and young, as nearly every message is: two tests inline, the span work out of line
            StageSpan span = tracer != null && (context != null || slow(origin, receivedAt))
                    ? beginSpan(tracer, port, context, enqueuedAt, receivedAt, origin)
                    : null;
            currentTrace = span == null ? null : span.context();
            Throwable failedWith = null;
            try {
                if (failure != null) {
                    throw failure;
                }
                dispatch(message, port.name());
            } catch (InterruptedException e) {
                throw e;
            } catch (VirtualMachineError fatal) {
                if (!(fatal instanceof StackOverflowError)) {
                    throw fatal;
                }
                failedWith = fatal;
            } catch (Throwable error) {
                failedWith = error;
            }
            boolean failed = failedWith != null;
            if (failedWith != null) {
                if (tracer != null && span == null) {
                    span = lateSpan(tracer, port, origin, enqueuedAt, receivedAt, "error");
                    currentTrace = span == null ? null : span.context();
                }
                reportError(measurements, failedWith, message, currentOrigin, currentTrace);
            }
            if (!failed) {
                succeeded();
                if (emitted == 0 && node.kind != ComponentKind.SINK) {
                    measurements.drop(DropReason.FILTERED);
                }
            }
            if (sequence < 0) {
                measurements.finishedOne();
            } else {
                measurements.finished(sequence);
            }
            unfinished = null;
            unfinishedPort = null;
            long end;
            if (!timed) {
                end = 0L;
            } else if (receivedAt == 0L) {
                processRepeats[sample]++; // counted at the next exact reading (settleProcessing)
                untimedSinceExact = true;
                lastEnd = 0L;
                end = 0L;
            } else {
                end = endTimed(measurements, sample, receivedAt);
            }
            if (span != null) {
                span.end(end != 0L ? end : node.ticker.read(), blockedNanos, failedWith);
                currentTrace = null;
            }
            return end;
        }

        /** Whether an untraced message's age passed the tracer's threshold (never when it has none). */
        private boolean slow(long origin, long receivedAt) {
            if (slowAfterNanos == Long.MAX_VALUE || origin == OutputPort.NO_ORIGIN) {
                return false;
            }
            long now = receivedAt != 0L ? receivedAt : node.ticker.coarse();
            return now - origin >= slowAfterNanos;
        }

        /**
         * The span of a traced message at this stage ({@code context} non-null), or of an untraced one
         * that turned {@link #slow} (traced late, from here on; null when the tracer declines). A traced
         * message was timed exactly on its way in; on an untimed connection its wait is not known and
         * counts as none.
         */
        private @Nullable StageSpan beginSpan(
                MessageTracer tracer,
                InputPort<?> port,
                @Nullable TraceContext context,
                long enqueuedAt,
                long receivedAt,
                long origin) {
            if (context != null) {
                long received = receivedReading(receivedAt);
                return tracer.stage(context, node.name, port.name(), waitStart(enqueuedAt, received), received);
            }
            return lateSpan(tracer, port, origin, enqueuedAt, receivedAt, "slow");
        }

        /** Starts the trace of an untraced message here ({@code why}: slow or error), if the tracer takes it. */
        private @Nullable StageSpan lateSpan(
                MessageTracer tracer, InputPort<?> port, long origin, long enqueuedAt, long receivedAt, String why) {
            long received = receivedReading(receivedAt);
            long enqueued = waitStart(enqueuedAt, received);
            long from = origin != OutputPort.NO_ORIGIN && origin - enqueued <= 0 ? origin : enqueued;
            return tracer.late(node.name, port.name(), from, enqueued, received, why);
        }

        /** A span's receive reading: the message's, or now for one that has none (an untimed connection). */
        private long receivedReading(long receivedAt) {
            return receivedAt != 0L ? receivedAt : node.ticker.read();
        }

        /** Where a span's wait starts: the enqueue reading, or {@code received} when unknown (0) or later. */
        private static long waitStart(long enqueuedAt, long received) {
            return enqueuedAt != 0L && enqueuedAt - received <= 0 ? enqueuedAt : received;
        }

        /** A timed message starts: the receive reading (read now if there is none) and the state change it makes. */
        private long startTimed(long receivedAt) {
            if (receivedAt == 0L) {
                receivedAt = node.ticker.read();
            }
            if (untimedSinceExact) {
                settleProcessing(receivedAt); // taken after the untimed ones ended: bounds them
                time.nextMessage(receivedAt); // (busy: they came back to back)
            } else if (time.state() != ComponentTime.BUSY) {
                time.enter(ComponentTime.BUSY, receivedAt); // it waited for this one
            } else if (lastEnd != 0L && receivedAt - lastEnd > 0) {
                time.idleBetween(lastEnd, receivedAt); // arrived after the reading that ended the last one
            } else {
                time.nextMessage(receivedAt); // back to back: no state change
            }
            return receivedAt;
        }

        /** A timed message ends: its processing time, at a reading that is returned (and kept as lastEnd). */
        private long endTimed(PortMeasurements measurements, int sample, long receivedAt) {
            long now = node.ticker.read();
            long took = now - receivedAt - blockedNanos;
            measurements.processDuration.record(took);
            TraceContext trace = currentTrace;
            if (trace != null) {
                // its span: the stage's handling
                measurements.processDuration.exemplar(took, trace, node.ticker.toEpochMillis(now));
            }
            settleProcessing(now);
            if (sample >= 0) {
                lastProcessNanos[sample] = Math.max(0L, took);
            }
            lastEnd = now; // still busy: idle only once the next receive is about to wait
            return now;
        }

        @SuppressWarnings("unchecked")
        private void dispatch(Object message, String inputPort) throws Exception {
            switch (node.component) {
                case Transformer<?, ?> t -> ((Transformer<Object, Object>) t).transform(message, this);
                case Sink<?> s -> ((Sink<Object>) s).accept(message);
                case Router<?> r -> {
                    String target = ((Router<Object>) r).route(message);
                    if (target != null) {
                        OutputPort<Object> port = routes.get(target);
                        if (port == null) {
                            throw new IllegalArgumentException("router '" + node.name + "' chose output port '" + target
                                    + "', which it does not have; its output ports are " + routes.keySet());
                        }
                        send(port, message);
                    }
                }
                case Merger<?> m -> {
                    Object merged = ((Merger<Object>) m).merge(message, inputPort);
                    if (merged != null) {
                        send(output, merged);
                    }
                }
                default -> throw new IllegalStateException("not a message handler: " + node.component);
            }
        }

        /** The transformer's emitter: sends on its output with the origin of the message being handled. */
        @Override
        public SendOutcome emit(Object message) throws InterruptedException {
            return send(output, message);
        }

        // port is the null output only for a sink or a router with several outputs, which never emit or merge;
        // a transformer and a merger have exactly one out_* port (build() checks it): no check per message
        @SuppressWarnings("NullAway") // port is a transformer's or a merger's output, or a router's chosen one
        private SendOutcome send(@Nullable OutputPort<Object> port, Object message) throws InterruptedException {
            emitted++;
            return port.send(message, currentOrigin, currentTrace);
        }
    }
}
