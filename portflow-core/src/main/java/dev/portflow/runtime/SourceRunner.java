package dev.portflow.runtime;

import dev.portflow.component.Source;
import dev.portflow.component.SourceContext;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.StageSpan;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/** Runs a {@link Source}: calls its {@code run} once; draining interrupts it. */
final class SourceRunner extends ComponentRunner implements SourceContext<Object> {

    private final @Nullable OutputPort<Object> defaultOutput; // null: several output ports
    private final MeterRegistry registry;
    private final ComponentTime time;
    private volatile @Nullable Thread thread; // set by start()
    /*
     * Messages still to send untraced before the next one the tracer picks (-1: no gap drawn yet).
     * Plain: a source emits from its own thread; a component that emits from several threads at
     * once may lose or repeat a decrement, which shortens or stretches a gap (the sampled share is
     * then approximate), never more than that.
     */
    private long untracedLeft = -1;

    @SuppressWarnings("unchecked")
    SourceRunner(ComponentNode node, String pipelineName, ErrorReporter fallbackReporter, MeterRegistry registry) {
        super(node, pipelineName, fallbackReporter);
        this.registry = registry;
        List<OutputPort<?>> data = node.dataOutputs();
        this.defaultOutput = data.size() == 1 ? (OutputPort<Object>) data.get(0) : null;
        this.time = node.times.newWorker();
    }

    @Override
    void start() {
        // Assigned before the thread runs: the component's own code compares against it at once.
        Thread t = Thread.ofVirtual()
                .name("portflow-" + pipelineName + "-" + node.name)
                .unstarted(this::runAll);
        thread = t;
        t.start();
    }

    private void runAll() {
        try {
            runLoop();
        } catch (InterruptedException e) {
            // forced stop
        } catch (Throwable t) {
            died(t);
        } finally {
            time.finish(node.ticker.read());
            finishComponent();
        }
    }

    @Override
    @Nullable
    ComponentTime timeOfCurrentThread() {
        return Thread.currentThread() == thread ? time : null;
    }

    @Override
    void interruptAll() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private void runLoop() throws Exception {
        time.start(ComponentTime.BUSY, node.ticker.read());
        try {
            ((Source<Object>) node.component).run(this);
        } catch (InterruptedException e) {
            if (running) {
                throw e;
            }
        } catch (Exception e) {
            if (running) {
                OutputPort<?> first = node.dataOutputs().get(0);
                reportError(first.measurements(), e, "(source " + node.name + ")", OutputPort.NO_ORIGIN);
                stoppedBy(e);
            }
        }
    }

    @Override
    void requestStop() {
        super.requestStop();
        Thread t = thread;
        if (t != null) {
            t.interrupt(); // wakes a source sleeping between messages or blocked on a full buffer
        }
    }

    @Override
    public SendOutcome emit(Object message) throws InterruptedException {
        if (defaultOutput == null) {
            throw new IllegalStateException("source '" + node.name + "' has several output ports "
                    + node.outputs.keySet() + "; use emit(port, message)");
        }
        return send(defaultOutput, message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SendOutcome emit(String outputPort, Object message) throws InterruptedException {
        OutputPort<Object> port = (OutputPort<Object>) node.outputs.get(outputPort);
        if (port == null) {
            throw new IllegalArgumentException("source '" + node.name + "' has no output port '" + outputPort
                    + "'; its ports are " + node.outputs.keySet());
        }
        return send(port, message);
    }

    /** A message enters the pipeline here: in a traced pipeline, the tracer decides whether it is traced. */
    private SendOutcome send(OutputPort<Object> port, Object message) throws InterruptedException {
        MessageTracer tracer = node.tracer;
        if (tracer == null) {
            return port.send(message);
        }
        // head sampling by gaps (MessageTracer.untracedGap): an untraced message costs a decrement
        long left = untracedLeft;
        if (left < 0) { // the first message: draw the first gap
            left = tracer.untracedGap();
        }
        if (left > 0) {
            untracedLeft = left - 1;
            return port.send(message);
        }
        untracedLeft = tracer.untracedGap(); // the gap after this one, drawn before its trace starts
        // One reading: the entry's start and end, and the enqueue time where the next stage's wait
        // span starts (MessageTracer: spans tile), to the nanosecond. Read only for a message at the
        // end of a gap.
        long handOff = port.handOffReading();
        StageSpan entry = tracer.enterPicked(node.name, handOff);
        if (entry == null) {
            return port.send(message);
        }
        try {
            return port.send(message, handOff, handOff, entry.context());
        } finally {
            entry.end(handOff, 0L, null);
        }
    }

    @Override
    public @Nullable OutputPort<Object> outputPort() {
        return defaultOutput;
    }

    @Override
    public @Nullable OutputPort<?> outputPort(String name) {
        return node.outputs.get(name);
    }

    @Override
    public boolean pause(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos(); // a real wait, whatever the ticker
        time.enter(ComponentTime.IDLE, node.ticker.read());
        try {
            while (running) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return true;
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    if (running) {
                        throw new InterruptedException();
                    }
                    return false;
                }
            }
            return false;
        } finally {
            time.enter(ComponentTime.BUSY, node.ticker.read());
        }
    }

    @Override
    public @Nullable MessageTracer tracer() {
        return node.tracer;
    }

    @Override
    public Ticker ticker() {
        return node.ticker;
    }

    @Override
    public String pipelineName() {
        return pipelineName;
    }

    @Override
    public String componentName() {
        return node.name;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public MeterRegistry meterRegistry() {
        return registry;
    }
}
