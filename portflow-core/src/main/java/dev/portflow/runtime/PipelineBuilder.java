package dev.portflow.runtime;

import dev.portflow.component.Component;
import dev.portflow.component.Merger;
import dev.portflow.component.Router;
import dev.portflow.component.SingleWorker;
import dev.portflow.component.Sink;
import dev.portflow.component.Source;
import dev.portflow.component.Transformer;
import dev.portflow.metrics.RemoteBuffer;
import dev.portflow.port.ConnectionOptions;
import dev.portflow.port.ErrorEnvelope;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.Inbox;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.port.PortName;
import dev.portflow.port.Ports;
import dev.portflow.port.RemoteLink;
import dev.portflow.time.Ticker;
import dev.portflow.trace.MessageTracer;
import dev.portflow.trace.RecentTraces;
import dev.portflow.trace.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Declares a pipeline: components by name, then connections between their ports by
 * {@code "component.port"}. Ports are created from the connections; {@link #build()} checks the
 * whole definition and reports every problem at once.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder("orders")
 *     .source("gen", Order.class, ctx -> { ... ctx.emit(order); })
 *     .transformer("big", Order.class, Transformer.filter((Order o) -> o.amount() > 100))
 *     .sink("store", Order.class, order -> db.save(order))
 *     .connect("gen.out_orders", "big.in_orders")
 *     .connect("big.out_orders", "store.in_orders", ConnectionOptions.defaults().capacity(64))
 *     .build();
 * }</pre>
 */
public final class PipelineBuilder {

    private static final Pattern COMPONENT_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final String name;
    private final Map<String, Declared> components = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final List<RemoteEdge> remoteEdges = new ArrayList<>();
    private final Map<String, RemoteBuffer> remoteInputs = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Workers> workers = new LinkedHashMap<>();
    private final Map<String, Function<Object, ?>> keys = new LinkedHashMap<>();
    private @Nullable MeterRegistry registry; // null: a SimpleMeterRegistry at build()
    private ErrorReporter errorReporter = ErrorReporter.logging();
    private ConnectionOptions defaults = ConnectionOptions.defaults();
    private HealthRules healthRules = HealthRules.defaults();
    private Ticker ticker = Ticker.system();
    private @Nullable Tracing tracing;

    PipelineBuilder(String name) {
        if (name == null || !COMPONENT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("pipeline name must match [A-Za-z0-9_-]+, was '" + name + "'");
        }
        this.name = name;
    }

    private record Declared(String name, Component component, Class<?> inputType, Class<?> outputType) {}

    private record Edge(
            String fromComponent,
            String fromPort,
            String toComponent,
            String toPort,
            @Nullable ConnectionOptions options, // null: the builder's defaults
            String text) {}

    private record RemoteEdge(
            String fromComponent, String fromPort, RemoteLink<?> link, ConnectionOptions options, String text) {}

    /** The registry for this pipeline's meters; a {@code SimpleMeterRegistry} when not set. */
    public PipelineBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.registry = Objects.requireNonNull(meterRegistry);
        return this;
    }

    /** Where error envelopes go for components without a connected {@code err_*} port; logs by default. */
    public PipelineBuilder errorReporter(ErrorReporter reporter) {
        this.errorReporter = Objects.requireNonNull(reporter);
        return this;
    }

    /** When a component counts as degraded in {@link Pipeline#health()}; {@link HealthRules#defaults()} when not set. */
    public PipelineBuilder healthRules(HealthRules rules) {
        this.healthRules = Objects.requireNonNull(rules);
        return this;
    }

    /**
     * The time source of every measurement in the pipeline (ports, component time, health, drain
     * report); {@link Ticker#system()} when not set. Timeouts still wait in real time.
     */
    public PipelineBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker);
        return this;
    }

    /**
     * Traces messages through the pipeline with {@code tracing} (docs/tracing.md): sampled messages,
     * and untraced ones that turn out slow or fail, get one span per stage and per buffer wait.
     * Without it (the default) nothing is traced and the hot path pays nothing for it.
     */
    public PipelineBuilder tracing(Tracing tracing) {
        this.tracing = Objects.requireNonNull(tracing);
        return this;
    }

    /** Options for connections declared without their own. Default: capacity 1024, {@code BLOCK}. */
    public PipelineBuilder defaultConnectionOptions(ConnectionOptions options) {
        this.defaults = Objects.requireNonNull(options);
        return this;
    }

    public PipelineBuilder source(String name, Source<?> source) {
        return add(name, source, Object.class, Object.class);
    }

    /** A source whose output ports carry {@code outputType}. */
    public <T> PipelineBuilder source(String name, Class<T> outputType, Source<T> source) {
        return add(name, source, Object.class, outputType);
    }

    public PipelineBuilder transformer(String name, Transformer<?, ?> transformer) {
        return add(name, transformer, Object.class, Object.class);
    }

    /** A transformer whose input port carries (and validates) {@code inputType}. */
    public <I> PipelineBuilder transformer(String name, Class<I> inputType, Transformer<I, ?> transformer) {
        return add(name, transformer, inputType, Object.class);
    }

    public <I, O> PipelineBuilder transformer(
            String name, Class<I> inputType, Class<O> outputType, Transformer<I, O> transformer) {
        return add(name, transformer, inputType, outputType);
    }

    public PipelineBuilder sink(String name, Sink<?> sink) {
        return add(name, sink, Object.class, Object.class);
    }

    public <T> PipelineBuilder sink(String name, Class<T> inputType, Sink<T> sink) {
        return add(name, sink, inputType, Object.class);
    }

    public PipelineBuilder router(String name, Router<?> router) {
        return add(name, router, Object.class, Object.class);
    }

    public <T> PipelineBuilder router(String name, Class<T> type, Router<T> router) {
        return add(name, router, type, type);
    }

    public PipelineBuilder merger(String name, Merger<?> merger) {
        return add(name, merger, Object.class, Object.class);
    }

    public <T> PipelineBuilder merger(String name, Class<T> type, Merger<T> merger) {
        return add(name, merger, type, type);
    }

    /** Adds any component; its kind follows from the interface it implements. */
    public PipelineBuilder component(String name, Component component) {
        return add(name, component, Object.class, Object.class);
    }

    private PipelineBuilder add(String name, Component component, Class<?> inputType, Class<?> outputType) {
        Objects.requireNonNull(component, () -> "component '" + name + "' is null");
        Objects.requireNonNull(inputType, "input type");
        Objects.requireNonNull(outputType, "output type");
        if (name == null || !COMPONENT_NAME.matcher(name).matches()) {
            problems.add("component name '" + name + "' is invalid: use letters, digits, '_' and '-'");
        } else if (components.containsKey(name)) {
            problems.add("component '" + name + "' is declared twice");
        } else {
            components.put(name, new Declared(name, component, inputType, outputType));
        }
        return this;
    }

    /**
     * Runs component {@code component} on {@code n} workers: threads that take its messages and call it
     * concurrently (see {@link Workers}). Default: one.
     */
    public PipelineBuilder workers(String component, int n) {
        return workers(component, Workers.fixed(n));
    }

    /**
     * Runs component {@code component} on {@code workers}: a fixed number, or a range the runtime sizes
     * the stage within ({@link Workers#between}).
     */
    public PipelineBuilder workers(String component, Workers workers) {
        Objects.requireNonNull(workers, "workers");
        if (this.workers.put(component, workers) != null) {
            problems.add("workers of component '" + component + "' are set twice");
        }
        return this;
    }

    /**
     * Keeps per-key order in component {@code component}: messages with the same {@code key} (compared
     * with {@code equals}; {@code null} is a key too) are handled one at a time, in the order they
     * arrived, while messages with different keys use all workers. Without it, workers handle
     * messages in no particular order.
     */
    public PipelineBuilder orderedByKey(String component, Function<Object, ?> key) {
        Objects.requireNonNull(key, "key");
        if (keys.put(component, key) != null) {
            problems.add("the key of component '" + component + "' is set twice");
        }
        return this;
    }

    /** Connects {@code "component.out_port"} to {@code "component.in_port"} with the default options. */
    public PipelineBuilder connect(String from, String to) {
        return connect(from, to, null);
    }

    /** Connects two ports with a buffer configured by {@code options}. */
    public PipelineBuilder connect(String from, String to, @Nullable ConnectionOptions options) {
        String text = from + " -> " + to;
        String[] f = split(from, text);
        String[] t = split(to, text);
        if (f != null && t != null) {
            edges.add(new Edge(f[0], f[1], t[0], t[1], options, text));
        }
        return this;
    }

    /**
     * Connects {@code "component.out_port"} to a buffer outside this process (e.g. a Kafka topic)
     * under {@code options}' overflow policy; see {@link OutputPort#attachRemote}. The port carries
     * that connection only.
     */
    public PipelineBuilder connect(String from, RemoteLink<?> link, @Nullable ConnectionOptions options) {
        Objects.requireNonNull(link, "link");
        String text = from + " -> " + link.target();
        String[] f = split(from, text);
        if (f != null) {
            remoteEdges.add(new RemoteEdge(f[0], f[1], link, options != null ? options : defaults, text));
        }
        return this;
    }

    /**
     * Declares that the input port {@code "component.in_port"} is fed from a buffer outside this
     * process (its connections come from the component that reads that buffer, e.g. a Kafka
     * consumer): the port reports the remote buffer's depth and capacity and is tagged with its
     * transport.
     */
    public PipelineBuilder bindRemote(String to, RemoteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        String[] t = split(to, to + " <- " + buffer.transport());
        if (t != null && remoteInputs.putIfAbsent(to, buffer) != null) {
            problems.add("input port " + to + " is bound to a remote buffer twice");
        }
        return this;
    }

    private String @Nullable [] split(String endpoint, String text) {
        int dot = endpoint == null ? -1 : endpoint.indexOf('.');
        if (dot <= 0 || dot == endpoint.length() - 1) {
            problems.add("connection " + text + ": '" + endpoint + "' must be <component>.<port>");
            return null;
        }
        return new String[] {endpoint.substring(0, dot), endpoint.substring(dot + 1)};
    }

    /**
     * Checks the definition and builds the pipeline (not started).
     *
     * @throws PipelineDefinitionException listing every problem found
     */
    public Pipeline build() {
        List<String> all = new ArrayList<>(problems);
        Map<String, Set<String>> inPorts = new LinkedHashMap<>();
        Map<String, Set<String>> outPorts = new LinkedHashMap<>();
        components.keySet().forEach(c -> {
            inPorts.put(c, new LinkedHashSet<>());
            outPorts.put(c, new LinkedHashSet<>());
        });
        Set<String> seen = new LinkedHashSet<>();
        for (Edge e : edges) {
            boolean ok = true;
            if (!components.containsKey(e.fromComponent())) {
                all.add("connection " + e.text() + ": unknown component '" + e.fromComponent() + "'");
                ok = false;
            }
            if (!components.containsKey(e.toComponent())) {
                all.add("connection " + e.text() + ": unknown component '" + e.toComponent() + "'");
                ok = false;
            }
            if (!PortName.isOutput(e.fromPort())) {
                all.add("connection " + e.text() + ": '" + e.fromPort()
                        + "' is not an output port name (out_<name> or err_<name>)");
                ok = false;
            }
            if (!PortName.isInput(e.toPort())) {
                all.add("connection " + e.text() + ": '" + e.toPort() + "' is not an input port name (in_<name>)");
                ok = false;
            }
            if (!seen.add(e.fromComponent() + "." + e.fromPort() + ">" + e.toComponent() + "." + e.toPort())) {
                all.add("connection " + e.text() + " is declared twice");
                ok = false;
            }
            if (ok) { // both components are known: each has its port sets
                known(outPorts, e.fromComponent()).add(e.fromPort());
                known(inPorts, e.toComponent()).add(e.toPort());
            }
        }
        for (RemoteEdge e : remoteEdges) {
            if (!components.containsKey(e.fromComponent())) {
                all.add("connection " + e.text() + ": unknown component '" + e.fromComponent() + "'");
            } else if (!PortName.isOutput(e.fromPort())) {
                all.add("connection " + e.text() + ": '" + e.fromPort()
                        + "' is not an output port name (out_<name> or err_<name>)");
            } else if (!known(outPorts, e.fromComponent()).add(e.fromPort())) {
                all.add("connection " + e.text() + ": port " + e.fromComponent() + "." + e.fromPort()
                        + " has another connection; a port bound to a remote buffer carries that connection only");
            }
        }
        for (String to : remoteInputs.keySet()) {
            String[] t = to.split("\\.", 2);
            if (!inPorts.containsKey(t[0]) || !inPorts.get(t[0]).contains(t[1])) {
                all.add("remote buffer bound to " + to + ", which is not a connected input port");
            }
        }
        for (Declared d : components.values()) {
            checkPorts(d, known(inPorts, d.name()), known(outPorts, d.name()), all);
        }
        checkWorkers(all);
        List<String> order = topologicalOrder(all);
        if (!all.isEmpty()) {
            throw new PipelineDefinitionException(all);
        }
        return assemble(order, inPorts, outPorts);
    }

    private static void checkPorts(Declared d, Set<String> ins, Set<String> outs, List<String> problems) {
        ComponentKind kind = ComponentKind.of(d.component());
        long dataOuts = outs.stream().filter(p -> !PortName.isError(p)).count();
        long errorOuts = outs.size() - dataOuts;
        String who = kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + d.name() + "'";
        if (ins.isEmpty() && outs.isEmpty()) {
            problems.add(who + " is not connected to anything");
            return;
        }
        if (errorOuts > 1) {
            problems.add(who + " has " + errorOuts + " error ports " + outs + "; at most one err_* port is allowed");
        }
        switch (kind) {
            case SOURCE -> {
                if (!ins.isEmpty()) {
                    problems.add(who + " cannot have input ports, but " + ins + " are connected");
                }
                if (dataOuts == 0) {
                    problems.add(who + " needs an out_* port connected");
                }
            }
            case TRANSFORMER, ROUTER, SINK -> {
                if (ins.size() != 1) {
                    problems.add(who + " needs exactly one input port, has " + ins
                            + (ins.size() > 1 ? "; connect several upstreams to one in_* port, or use a merger" : ""));
                }
                if (kind == ComponentKind.SINK && dataOuts > 0) {
                    problems.add(who + " cannot have out_* ports, but " + outs + " are connected");
                }
                if (kind == ComponentKind.TRANSFORMER && dataOuts != 1) {
                    problems.add(who + " needs exactly one out_* port, has " + outs
                            + (dataOuts > 1
                                    ? "; connect one out_* port to several inputs to broadcast, or use a router"
                                    : ""));
                }
                if (kind == ComponentKind.ROUTER && dataOuts == 0) {
                    problems.add(who + " needs at least one out_* port");
                }
            }
            case MERGER -> {
                if (ins.isEmpty()) {
                    problems.add(who + " needs at least one input port");
                }
                if (dataOuts != 1) {
                    problems.add(who + " needs exactly one out_* port, has " + outs);
                }
            }
        }
    }

    private void checkWorkers(List<String> problems) {
        workers.forEach((component, w) -> {
            Declared d = components.get(component);
            if (d == null) {
                problems.add("workers set for unknown component '" + component + "'");
            } else if (ComponentKind.of(d.component()) == ComponentKind.SOURCE) {
                problems.add("source '" + component
                        + "' cannot have workers: a source runs once; it may use threads of its own");
            } else if (w.max() > 1 && d.component().getClass().isAnnotationPresent(SingleWorker.class)) {
                problems.add(ComponentKind.of(d.component()).name().toLowerCase(java.util.Locale.ROOT) + " '"
                        + component + "' cannot have more than one worker: "
                        + d.component()
                                .getClass()
                                .getAnnotation(SingleWorker.class)
                                .value());
            }
        });
        keys.keySet().forEach(component -> {
            Declared d = components.get(component);
            if (d == null) {
                problems.add("a key is set for unknown component '" + component + "'");
            } else if (ComponentKind.of(d.component()) == ComponentKind.SOURCE) {
                problems.add("source '" + component + "' cannot be ordered by a key: it receives no messages");
            }
        });
    }

    /** Kahn's algorithm; names a cycle's members as a problem. */
    private List<String> topologicalOrder(List<String> problems) {
        Map<String, Set<String>> downstream = new LinkedHashMap<>();
        Map<String, Integer> indegree = new LinkedHashMap<>();
        components.keySet().forEach(c -> {
            downstream.put(c, new LinkedHashSet<>());
            indegree.put(c, 0);
        });
        for (Edge e : edges) {
            if (downstream.containsKey(e.fromComponent())
                    && indegree.containsKey(e.toComponent())
                    && downstream.get(e.fromComponent()).add(e.toComponent())) {
                indegree.merge(e.toComponent(), 1, Integer::sum);
            }
        }
        List<String> order = new ArrayList<>();
        List<String> ready = new ArrayList<>();
        indegree.forEach((c, d) -> {
            if (d == 0) {
                ready.add(c);
            }
        });
        while (!ready.isEmpty()) {
            String c = ready.remove(0);
            order.add(c);
            for (String next : known(downstream, c)) {
                if (indegree.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (order.size() < components.size()) {
            List<String> inCycle =
                    components.keySet().stream().filter(c -> !order.contains(c)).toList();
            problems.add("the connections form a cycle through " + inCycle
                    + "; pipelines must be acyclic so end of stream can reach every component");
        }
        return order;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Pipeline assemble(List<String> order, Map<String, Set<String>> inPorts, Map<String, Set<String>> outPorts) {
        Map<String, ComponentNode> nodes = new LinkedHashMap<>();
        for (String c : order) {
            Declared d = known(components, c);
            ComponentNode node = new ComponentNode(
                    c, d.component(), d.outputType(), workers.getOrDefault(c, Workers.one()), keys.get(c), ticker);
            for (String p : known(inPorts, c)) {
                InputPort<?> port = new InputPort<>(p, d.inputType());
                port.measurements().pipeline(name);
                port.measurements().component(c);
                port.onError(errorReporter);
                port.ticker(ticker);
                node.inputs.put(p, port);
            }
            if (!node.inputs.isEmpty()) {
                node.inbox = Inbox.of(List.copyOf(node.inputs.values()));
            }
            nodes.put(c, node);
        }
        for (String c : order) {
            ComponentNode node = known(nodes, c);
            for (String p : known(outPorts, c)) {
                Class<?> type = PortName.isError(p) ? ErrorEnvelope.class : outputType(node, p, nodes);
                OutputPort<?> port = new OutputPort<>(p, type);
                port.measurements().pipeline(name);
                port.measurements().component(c);
                port.ticker(ticker);
                node.outputs.put(p, port);
            }
        }
        for (Edge e : edges) {
            OutputPort out = known(known(nodes, e.fromComponent()).outputs, e.fromPort());
            InputPort in = known(known(nodes, e.toComponent()).inputs, e.toPort());
            ConnectionOptions options = e.options() != null ? e.options() : defaults;
            try {
                Ports.connect(out, in, options);
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw new PipelineDefinitionException(List.of("connection " + e.text() + ": " + ex.getMessage()));
            }
        }
        for (RemoteEdge e : remoteEdges) {
            OutputPort out = known(known(nodes, e.fromComponent()).outputs, e.fromPort());
            try {
                out.attachRemote(e.link(), e.options());
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw new PipelineDefinitionException(List.of("connection " + e.text() + ": " + ex.getMessage()));
            }
        }
        remoteInputs.forEach((to, buffer) -> {
            String[] t = to.split("\\.", 2);
            known(known(nodes, t[0]).inputs, t[1]).measurements().bindRemote(buffer);
        });
        if (tracing != null) {
            // in front of the backend's tracer: the dashboard's list of the slowest recent traced messages
            MessageTracer tracer = new RecentTraces(tracing.forPipeline(name, ticker), ticker);
            for (ComponentNode node : nodes.values()) {
                node.tracer = tracer;
                node.inputs.values().forEach(InputPort::carryTraceContexts);
            }
        }
        MeterRegistry meters = registry != null ? registry : new SimpleMeterRegistry();
        if (tracing instanceof MeterBinder binder) {
            binder.bindTo(meters); // the backend's own meters (OpenTelemetryTracing: spans it dropped)
        }
        return new Pipeline(
                name,
                List.copyOf(nodes.values()),
                meters,
                errorReporter,
                healthRules,
                ScalingSettings.defaults(),
                ticker);
    }

    /**
     * {@code map.get(key)} for a key the map holds: the maps here are keyed by every declared component (or
     * by every port of one), and only components and ports {@link #build()} has accepted are looked up.
     */
    private static <V> V known(Map<String, V> map, String key) {
        return Objects.requireNonNull(map.get(key));
    }

    /** The declared output type, else the one type declared by the typed inputs it feeds, else Object. */
    private Class<?> outputType(ComponentNode node, String port, Map<String, ComponentNode> nodes) {
        if (node.outputType != Object.class) {
            return node.outputType;
        }
        Class<?> common = null;
        for (Edge e : edges) {
            if (e.fromComponent().equals(node.name) && e.fromPort().equals(port)) {
                Class<?> target =
                        known(known(nodes, e.toComponent()).inputs, e.toPort()).type();
                if (target == Object.class) {
                    continue;
                }
                if (common == null) {
                    common = target;
                } else if (common != target) {
                    return Object.class;
                }
            }
        }
        return common == null ? Object.class : common;
    }
}
