package dev.portflow.runtime;

import dev.portflow.component.Emitter;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.Sink;
import dev.portflow.component.Transformer;
import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.PortMeasurements;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.SendOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a component that handles messages (transformer, sink, router, merger): receive fairly from
 * its inputs, handle, account time, repeat until every input reaches end of stream.
 *
 * <p>Timing costs one clock read per message: the read that ends one message's processing is
 * handed to the next receive as its receive time when a message is already waiting.
 */
final class HandlerRunner extends ComponentRunner implements Emitter<Object> {

    private final OutputPort<Object> output; // null for sinks
    private final Map<String, OutputPort<Object>> routes = new HashMap<>();

    // State of the message being handled; owner thread only.
    private long currentOrigin = OutputPort.NO_ORIGIN;
    private int emitted;
    private long blockedNanos;
    // The message taken from an input and not finished yet: still set when a forced stop interrupts
    // its handling, so the drain report can count it and hand it back. Read after the thread ended.
    private Object unfinished;
    private InputPort<?> unfinishedPort;

    @SuppressWarnings("unchecked")
    HandlerRunner(ComponentNode node, String pipelineName, ErrorReporter fallbackReporter) {
        super(node, pipelineName, fallbackReporter);
        List<OutputPort<?>> data = node.dataOutputs();
        this.output = data.size() == 1 ? (OutputPort<Object>) data.get(0) : null;
        for (OutputPort<?> port : data) {
            routes.put(port.name(), (OutputPort<Object>) port);
        }
    }

    @Override
    void runLoop() throws Exception {
        // A component whose every input connection is untimed (ConnectionOptions.timed(false)) is not
        // timed either: no clock read per message, no processing-time histogram, no busy/idle time.
        // Its counters (in, out, drops, errors, finished) stay exact.
        boolean timed = node.inputs.values().stream().anyMatch(InputPort::isTimed);
        if (!timed) {
            node.time.turnOff();
        }
        long now = timed ? System.nanoTime() : 0L;
        node.time.start(ComponentTime.IDLE, now);
        while (true) {
            Object message = node.inbox.receive(Long.MAX_VALUE, now);
            if (message == null) {
                break; // end of stream on every input
            }
            InputPort<?> port = node.inbox.lastPort();
            PortMeasurements measurements = port.measurements();
            long receivedAt = 0L;
            if (timed) {
                receivedAt = port.lastReceivedAt();
                if (receivedAt == 0L) {
                    receivedAt = System.nanoTime(); // this port is untimed, another one is not
                }
                node.time.enter(ComponentTime.BUSY, receivedAt);
            }
            unfinished = message;
            unfinishedPort = port;
            currentOrigin = port.lastOrigin();
            emitted = 0;
            blockedNanos = 0;
            boolean failed = false;
            try {
                handle(message, port.name());
            } catch (InterruptedException e) {
                throw e;
            } catch (VirtualMachineError fatal) {
                if (!(fatal instanceof StackOverflowError)) {
                    throw fatal;
                }
                failed = true;
                reportError(measurements, fatal, message, currentOrigin);
            } catch (Throwable error) {
                failed = true;
                reportError(measurements, error, message, currentOrigin);
            }
            if (!failed) {
                succeeded();
                if (emitted == 0 && node.kind != ComponentKind.SINK) {
                    measurements.drop(DropReason.FILTERED);
                }
            }
            measurements.finishedOne();
            unfinished = null;
            unfinishedPort = null;
            if (timed) {
                now = System.nanoTime();
                measurements.processDuration.record(now - receivedAt - blockedNanos);
                node.time.enter(ComponentTime.IDLE, now);
            }
        }
        if (node.component instanceof Sink<?> sink) {
            sink.flush();
        }
    }

    /** The message whose handling a forced stop interrupted, or {@code null}; read once the thread has ended. */
    Object unfinished() {
        return unfinished;
    }

    /** The input port {@link #unfinished()} came from. */
    InputPort<?> unfinishedPort() {
        return unfinishedPort;
    }

    @SuppressWarnings("unchecked")
    private void handle(Object message, String inputPort) throws Exception {
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

    private SendOutcome send(OutputPort<Object> port, Object message) throws InterruptedException {
        emitted++;
        return port.send(message, currentOrigin);
    }

    /** Also takes the wait out of the message's processing time. */
    @Override
    public void waitEnded(long startNanos, long endNanos) {
        if (Thread.currentThread() == thread) {
            blockedNanos += endNanos - startNanos;
        }
        super.waitEnded(startNanos, endNanos);
    }
}
