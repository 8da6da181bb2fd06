package dev.portflow.runtime;

import dev.portflow.internal.PortMeasurements;
import dev.portflow.port.BackpressureListener;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
import dev.portflow.trace.TraceContext;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs one component on virtual threads (one for a source, one per worker for a component that
 * handles messages) and, once they have all ended, cleans it up and closes its outputs so end of
 * stream moves on.
 */
abstract sealed class ComponentRunner implements BackpressureListener permits SourceRunner, HandlerRunner {

    static final System.Logger LOG = System.getLogger("dev.portflow.runtime");

    final ComponentNode node;
    final String pipelineName;
    final ErrorReporter fallbackReporter;
    private final CountDownLatch finished = new CountDownLatch(1);
    volatile boolean running = true;

    // Health, read by Pipeline.health() on other threads. Written only when a message fails, or when
    // the first success follows failures: no store per message.
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile @Nullable String lastFailure;
    private volatile @Nullable String stoppedBy; // why the component ended with an error, or null

    ComponentRunner(ComponentNode node, String pipelineName, ErrorReporter fallbackReporter) {
        this.node = node;
        this.pipelineName = pipelineName;
        this.fallbackReporter = fallbackReporter;
        for (OutputPort<?> port : node.outputs.values()) {
            port.onBackpressure(this);
        }
    }

    /** Starts the component's thread(s). */
    abstract void start();

    /** The clock of the calling thread if it is one of this component's threads, else {@code null}. */
    abstract @Nullable ComponentTime timeOfCurrentThread();

    /** Interrupts every thread of the component wherever it waits. */
    abstract void interruptAll();

    // A send that waits on a full buffer spends this component's time only when one of the
    // component's own threads sends; other senders (e.g. HTTP request threads) do not.
    @Override
    public void waitStarted(long startNanos) {
        ComponentTime time = timeOfCurrentThread();
        if (time != null) {
            time.enter(ComponentTime.BACKPRESSURED, startNanos);
        }
    }

    @Override
    public void waitEnded(long startNanos, long endNanos) {
        ComponentTime time = timeOfCurrentThread();
        if (time != null) {
            time.enter(ComponentTime.BUSY, endNanos);
        }
    }

    /** A thread of the component failed outside any one message (or a source's run threw). */
    final void died(Throwable error) {
        stoppedBy = describe(error);
        LOG.log(Level.ERROR, "component '" + node.name + "' of pipeline '" + pipelineName + "' failed", error);
    }

    /**
     * Called once, by the last of the component's threads to end: cleanup, then closing the outputs,
     * so each downstream input sees end of stream once everything this component sent is buffered.
     */
    final void finishComponent() {
        try {
            node.component.cleanup();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cleanup of component '" + node.name + "' failed", e);
        }
        for (OutputPort<?> port : node.outputs.values()) {
            port.close();
        }
        finished.countDown();
    }

    /** Asks the component to stop producing (sources) and wakes it. */
    void requestStop() {
        running = false;
    }

    /** Interrupts the component wherever it waits: the last resort of a drain that timed out. */
    final void forceStop() {
        running = false;
        interruptAll();
    }

    final boolean awaitFinished(long nanos) throws InterruptedException {
        return finished.await(nanos, TimeUnit.NANOSECONDS);
    }

    final boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** A message was handled without failing: ends a run of failures. */
    final void succeeded() {
        if (failuresInARow.get() != 0) {
            failuresInARow.set(0);
        }
    }

    /** Records that the component stopped because of {@code error} (e.g. a source whose run failed). */
    final void stoppedBy(Throwable error) {
        stoppedBy = describe(error);
    }

    /** Why this component is degraded under {@code rules} at {@code nowNanos}, or {@code null} when it is not. */
    final @Nullable String healthProblem(HealthRules rules, long nowNanos) {
        String stopped = stoppedBy;
        if (stopped != null) {
            return "stopped after an error (" + stopped + ")";
        }
        int failures = failuresInARow.get();
        if (failures >= rules.failuresInARow()) {
            return "the last " + failures + " messages failed (" + lastFailure + ")";
        }
        long busySince = node.times.busySince();
        if (busySince != Long.MIN_VALUE && !isFinished()) {
            long busyNanos = nowNanos - busySince;
            if (busyNanos > rules.stuckAfter().toNanos()) {
                return "busy on one message for " + TimeUnit.NANOSECONDS.toSeconds(busyNanos) + " s";
            }
        }
        return null;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * Counts a failed message on {@code measurements} and reports its envelope to the component's
     * error port, or to the fallback reporter when there is none (or it refused the envelope).
     */
    final void reportError(PortMeasurements measurements, Throwable error, Object payload, long origin) {
        reportError(measurements, error, payload, origin, null);
    }

    /** As above, for a traced message: the envelope names its trace and carries its context on. */
    final void reportError(
            PortMeasurements measurements, Throwable error, Object payload, long origin, @Nullable TraceContext trace) {
        measurements.error(error.getClass().getSimpleName());
        lastFailure = describe(error);
        failuresInARow.incrementAndGet();
        ErrorEnvelope envelope = ErrorEnvelope.of(pipelineName, node.name, measurements.portName(), error, payload)
                .at(Instant.ofEpochSecond(0, node.ticker.wallNanos()));
        if (trace != null) {
            envelope = envelope.withTraceId(trace.traceId());
        }
        OutputPort<ErrorEnvelope> errorPort = node.errorPort();
        if (errorPort != null && errorPort.isConnected()) {
            try {
                SendOutcome outcome = errorPort.send(envelope, origin, trace);
                if (outcome.isAccepted()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // fall back to the reporter below
            }
        }
        fallbackReporter.report(envelope);
    }
}
