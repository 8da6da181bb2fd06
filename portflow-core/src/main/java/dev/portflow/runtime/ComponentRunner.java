package dev.portflow.runtime;

import dev.portflow.port.BackpressureListener;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
import dev.portflow.metrics.PortMeasurements;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one component on its own virtual thread: run loop, then cleanup, then closing its outputs. */
abstract sealed class ComponentRunner implements BackpressureListener permits SourceRunner, HandlerRunner {

    private static final System.Logger LOG = System.getLogger("dev.portflow.runtime");

    final ComponentNode node;
    final String pipelineName;
    final ErrorReporter fallbackReporter;
    private final CountDownLatch finished = new CountDownLatch(1);
    volatile Thread thread;
    volatile boolean running = true;

    // Health, read by Pipeline.health() on other threads. Written by the component's thread only,
    // and only when a message fails or the first success follows failures: no store per message.
    private volatile int failuresInARow;
    private volatile String lastFailure;
    private volatile String stoppedBy; // why the run loop ended with an error, or null

    ComponentRunner(ComponentNode node, String pipelineName, ErrorReporter fallbackReporter) {
        this.node = node;
        this.pipelineName = pipelineName;
        this.fallbackReporter = fallbackReporter;
        for (OutputPort<?> port : node.outputs.values()) {
            port.onBackpressure(this);
        }
    }

    // A send that waits on a full buffer spends this component's time only when it is the
    // component's own thread that sends; other senders (e.g. HTTP request threads) do not.
    @Override
    public void waitStarted(long startNanos) {
        if (Thread.currentThread() == thread) {
            node.time.enter(ComponentTime.BACKPRESSURED, startNanos);
        }
    }

    @Override
    public void waitEnded(long startNanos, long endNanos) {
        if (Thread.currentThread() == thread) {
            node.time.enter(ComponentTime.BUSY, endNanos);
        }
    }

    final void start() {
        // Assigned before the thread runs: the component's own code compares against it at once.
        Thread t = Thread.ofVirtual().name("portflow-" + pipelineName + "-" + node.name).unstarted(this::runAll);
        thread = t;
        t.start();
    }

    private void runAll() {
        try {
            runLoop();
        } catch (InterruptedException e) {
            // Forced stop: fall through to cleanup.
        } catch (Throwable t) {
            stoppedBy = describe(t);
            LOG.log(Level.ERROR, "component '" + node.name + "' of pipeline '" + pipelineName + "' failed", t);
        } finally {
            node.time.finish(System.nanoTime());
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
    }

    abstract void runLoop() throws Exception;

    /** A message was handled without failing: ends a run of failures. Component's thread only. */
    final void succeeded() {
        if (failuresInARow != 0) {
            failuresInARow = 0;
        }
    }

    /** Records that the component stopped because of {@code error} (e.g. a source whose run failed). */
    final void stoppedBy(Throwable error) {
        stoppedBy = describe(error);
    }

    /** Why this component is degraded under {@code rules} at {@code nowNanos}, or {@code null} when it is not. */
    final String healthProblem(HealthRules rules, long nowNanos) {
        String stopped = stoppedBy;
        if (stopped != null) {
            return "stopped after an error (" + stopped + ")";
        }
        int failures = failuresInARow;
        if (failures >= rules.failuresInARow()) {
            return "the last " + failures + " messages failed (" + lastFailure + ")";
        }
        long busySince = node.time.busySince();
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

    /** Asks the component to stop producing (sources) and wakes it. */
    void requestStop() {
        running = false;
    }

    /** Interrupts the component wherever it waits: the last resort of a drain that timed out. */
    final void forceStop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    final boolean awaitFinished(long nanos) throws InterruptedException {
        return finished.await(nanos, TimeUnit.NANOSECONDS);
    }

    final boolean isFinished() {
        return finished.getCount() == 0;
    }

    /**
     * Counts a failed message on {@code measurements} and reports its envelope to the component's
     * error port, or to the fallback reporter when there is none (or it refused the envelope).
     */
    final void reportError(PortMeasurements measurements, Throwable error, Object payload, long origin) {
        measurements.error(error.getClass().getSimpleName());
        lastFailure = describe(error);
        failuresInARow = failuresInARow + 1; // single writer: the component's thread
        ErrorEnvelope envelope = ErrorEnvelope.of(pipelineName, node.name, measurements.portName(), error, payload);
        OutputPort<ErrorEnvelope> errorPort = node.errorPort();
        if (errorPort != null && errorPort.isConnected()) {
            try {
                SendOutcome outcome = errorPort.send(envelope, origin);
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
