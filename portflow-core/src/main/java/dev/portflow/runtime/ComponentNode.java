package dev.portflow.runtime;

import dev.portflow.component.Component;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.Inbox;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.PortName;
import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** One component of a built pipeline with its ports. */
final class ComponentNode {

    final String name;
    final ComponentKind kind;
    final Component component;
    final Class<?> outputType;
    final Map<String, InputPort<?>> inputs = new LinkedHashMap<>();
    final Map<String, OutputPort<?>> outputs = new LinkedHashMap<>();
    final Ticker ticker; // the pipeline's: times the component and its ports
    final ComponentTimes times; // over all its workers
    final Workers workers;
    final ScalingLog scalingLog = new ScalingLog();
    final @Nullable Function<Object, ?> key; // null: no per-key order

    @Nullable
    MessageTracer tracer; // the pipeline's, set by the builder before any thread starts; null: no tracing

    @SuppressWarnings("NullAway.Init") // set by the builder with the inputs; only a component with inputs reads it
    Inbox inbox;

    ComponentNode(
            String name,
            Component component,
            Class<?> outputType,
            Workers workers,
            @Nullable Function<Object, ?> key,
            Ticker ticker) {
        this.name = name;
        this.ticker = ticker;
        this.times = new ComponentTimes(ticker);
        this.kind = ComponentKind.of(component);
        this.component = component;
        this.outputType = outputType;
        this.workers = workers;
        this.key = key;
    }

    /** The {@code out_*} ports (not the error ports). */
    List<OutputPort<?>> dataOutputs() {
        return outputs.values().stream()
                .filter(p -> !PortName.isError(p.name()))
                .toList();
    }

    /** The error port, or {@code null} when the component has none. */
    @SuppressWarnings("unchecked")
    @Nullable
    OutputPort<ErrorEnvelope> errorPort() {
        for (OutputPort<?> port : outputs.values()) {
            if (PortName.isError(port.name())) {
                return (OutputPort<ErrorEnvelope>) port;
            }
        }
        return null;
    }
}
