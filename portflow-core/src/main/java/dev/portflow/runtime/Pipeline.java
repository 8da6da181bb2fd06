package dev.portflow.runtime;

import dev.portflow.internal.PortMeterBinder;
import dev.portflow.metrics.DropReason;
import dev.portflow.metrics.PortMetrics;
import dev.portflow.port.Connection;
import dev.portflow.port.ErrorReporter;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import dev.portflow.time.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A running graph of components joined by bounded, self-measuring connections.
 *
 * <pre>{@code
 * try (Pipeline pipeline = Pipeline.builder("demo") ... .build()) {
 *     pipeline.start();
 *     pipeline.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Every component runs on its own virtual thread. A pipeline ends when its sources end and end
 * of stream has reached every sink ({@link #awaitTermination()}), or when it is drained
 * ({@link #drain(Duration)}): sources stop, buffered messages flow on to the sinks, and components
 * finish in topological order because each closes its outputs only after its inputs ended.
 */
public final class Pipeline implements PipelineView, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.portflow.runtime");
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
    /** How long a forced stop waits for interrupted components to end. */
    private static final Duration FORCED_STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final List<ComponentNode> nodes; // topological order
    private final MeterRegistry registry;
    private final ErrorReporter errorReporter;
    private final HealthRules healthRules;
    private final Ticker ticker;
    private final List<ComponentRunner> runners = new ArrayList<>();
    // Each node's runner, published once by start(); read by health checks and gauges on any thread.
    private volatile Map<ComponentNode, ComponentRunner> runnerOf = Map.of();
    private final List<Consumer<PipelineState>> listeners = new CopyOnWriteArrayList<>();
    private volatile PipelineState state = PipelineState.NEW;
    private volatile boolean forced;
    private final ScalingSettings scalingSettings;
    private final Map<ComponentNode, ScalingPolicy> policies = new LinkedHashMap<>(); // autoscaled stages
    private @Nullable Autoscaler autoscaler; // only with autoscaled stages, once started
    private @Nullable DrainReport drainReport; // once drained

    Pipeline(
            String name,
            List<ComponentNode> nodes,
            MeterRegistry registry,
            ErrorReporter errorReporter,
            HealthRules healthRules,
            ScalingSettings scalingSettings,
            Ticker ticker) {
        this.name = name;
        this.ticker = ticker;
        this.nodes = nodes;
        this.registry = registry;
        this.errorReporter = errorReporter;
        this.healthRules = healthRules;
        this.scalingSettings = scalingSettings;
        for (ComponentNode n : nodes) {
            if (n.workers.isAutoscaled()) {
                policies.put(n, Autoscaler.policyFor(n, scalingSettings));
            }
        }
        bindMeters();
    }

    /** Starts declaring a pipeline named {@code name}. */
    public static PipelineBuilder builder(String name) {
        return new PipelineBuilder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PipelineState state() {
        return state;
    }

    @Override
    public boolean isReady() {
        return state == PipelineState.RUNNING;
    }

    @Override
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** Called with every state change (e.g. to fail a readiness probe while draining). */
    public void onStateChange(Consumer<PipelineState> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    @Override
    public List<ComponentInfo> components() {
        return nodes.stream()
                .map(n -> new ComponentInfo(
                        n.name,
                        n.kind,
                        List.copyOf(n.inputs.keySet()),
                        List.copyOf(n.outputs.keySet()),
                        n.workers,
                        n.key != null))
                .toList();
    }

    @Override
    public <C> List<C> componentsOfType(Class<C> type) {
        return nodes.stream()
                .map(n -> n.component)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Override
    public @Nullable String nameOf(Object component) {
        for (ComponentNode n : nodes) {
            if (n.component == component) {
                return n.name;
            }
        }
        return null;
    }

    @Override
    public List<Connection<?>> connections() {
        List<Connection<?>> all = new ArrayList<>();
        for (ComponentNode n : nodes) {
            for (OutputPort<?> port : n.outputs.values()) {
                all.addAll(port.connections());
            }
        }
        return all;
    }

    @Override
    public InputPort<?> inputPort(String component, String port) {
        InputPort<?> p = node(component).inputs.get(port);
        if (p == null) {
            throw new IllegalArgumentException("component '" + component + "' has no input port '" + port + "'");
        }
        return p;
    }

    @Override
    public OutputPort<?> outputPort(String component, String port) {
        OutputPort<?> p = node(component).outputs.get(port);
        if (p == null) {
            throw new IllegalArgumentException("component '" + component + "' has no output port '" + port + "'");
        }
        return p;
    }

    ComponentNode node(String component) { // package-private: tests reach a component's times
        for (ComponentNode n : nodes) {
            if (n.name.equals(component)) {
                return n;
            }
        }
        throw new IllegalArgumentException("pipeline '" + name + "' has no component '" + component + "'");
    }

    @Override
    public List<PortMetrics> portMetrics() {
        List<PortMetrics> all = new ArrayList<>();
        for (ComponentNode n : nodes) {
            n.inputs.values().forEach(p -> all.add(p.metrics()));
            n.outputs.values().forEach(p -> all.add(p.metrics()));
        }
        return all;
    }

    /**
     * A watermark of how many messages the input port {@code port} of {@code component} has taken
     * whose work is complete in this process (see {@link CompletionWatermark}); for transports that
     * acknowledge their source only then. One caller polls each watermark.
     */
    public CompletionWatermark completionWatermark(String component, String port) {
        ComponentNode n = node(component);
        InputPort<?> in = n.inputs.get(port);
        if (in == null) {
            throw new IllegalArgumentException("component '" + component + "' has no input port '" + port + "'");
        }
        return completionWatermark(component, port, CompletionWatermark.LIVE);
    }

    /** {@link #completionWatermark(String, String)} reading {@code counts} (tests script interleavings with it). */
    CompletionWatermark completionWatermark(String component, String port, CompletionWatermark.Counts counts) {
        ComponentNode n = node(component);
        InputPort<?> in = n.inputs.get(port);
        if (in == null) {
            throw new IllegalArgumentException("component '" + component + "' has no input port '" + port + "'");
        }
        return new CompletionWatermark(nodes, n, in, counts);
    }

    @Override
    public boolean errorsFreeOf(String component) {
        ComponentNode n = node(component);
        return n.inputs.values().stream().allMatch(p -> p.measurements().errorsTotal() == 0)
                && n.outputs.values().stream().allMatch(p -> p.measurements().errorsTotal() == 0);
    }

    @Override
    public double componentSeconds(String component, ComponentState state) {
        return node(component).times.seconds(ComponentTime.index(state));
    }

    @Override
    public PipelineHealth health() {
        Map<ComponentNode, ComponentRunner> started = runnerOf;
        long now = ticker.read();
        List<PipelineHealth.ComponentProblem> problems = new ArrayList<>();
        for (ComponentNode n : nodes) {
            ComponentRunner runner = started.get(n);
            String problem = runner == null ? null : runner.healthProblem(healthRules, now);
            if (problem == null) {
                problem = unavailableOutput(n);
            }
            if (problem != null) {
                problems.add(new PipelineHealth.ComponentProblem(n.name, problem));
            }
        }
        return PipelineHealth.of(problems);
    }

    /** A stage's counters for its drain-time gauge: finished messages, backlog and capacity over its inputs. */
    private static DrainTime.Reading drainReading(ComponentNode n) {
        long finished = 0;
        long depth = 0;
        long capacity = 0;
        for (InputPort<?> port : n.inputs.values()) {
            var m = port.measurements();
            finished += m.messagesFinished();
            depth += m.depth();
            capacity += m.capacity();
        }
        return new DrainTime.Reading(finished, depth, capacity);
    }

    /** "its output x cannot send: disk:y refuses messages: <why>" when a buffer outside the process that n sends to refuses messages. */
    private static @Nullable String unavailableOutput(ComponentNode n) {
        for (OutputPort<?> out : n.outputs.values()) {
            String refusal = out.refusal();
            if (refusal != null) {
                return "its output " + out.name() + " cannot send: " + refusal;
            }
        }
        return null;
    }

    /**
     * Sets up every component (in topological order) and starts them, sinks first.
     *
     * @throws IllegalStateException if the pipeline was already started
     * @throws PipelineStartException if a component's setup failed; components already set up are cleaned up
     */
    public synchronized Pipeline start() {
        if (state != PipelineState.NEW) {
            throw new IllegalStateException("pipeline '" + name + "' was already started (state " + state + ")");
        }
        changeState(PipelineState.STARTING);
        List<ComponentNode> setUp = new ArrayList<>();
        for (ComponentNode node : nodes) {
            try {
                node.component.setup(new SetupContext(node.name));
                setUp.add(node);
            } catch (Exception e) {
                for (ComponentNode done : setUp.reversed()) {
                    try {
                        done.component.cleanup();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                changeState(PipelineState.FAILED);
                throw new PipelineStartException("setup of component '" + node.name + "' failed: " + e.getMessage(), e);
            }
        }
        Map<ComponentNode, ComponentRunner> byNode = new LinkedHashMap<>();
        for (ComponentNode node : nodes.reversed()) {
            ComponentRunner runner = node.kind == ComponentKind.SOURCE
                    ? new SourceRunner(node, name, errorReporter, registry)
                    : new HandlerRunner(node, name, errorReporter);
            runners.add(runner);
            byNode.put(node, runner);
        }
        runnerOf = byNode;
        runners.forEach(ComponentRunner::start);
        if (!policies.isEmpty()) {
            List<Autoscaler.Stage> stages = new ArrayList<>();
            policies.forEach((node, policy) -> stages.add(
                    new Autoscaler.Stage(node, (HandlerRunner) Objects.requireNonNull(byNode.get(node)), policy)));
            autoscaler = new Autoscaler(name, stages, scalingSettings);
            autoscaler.start();
        }
        changeState(PipelineState.RUNNING);
        Thread.ofVirtual().name("portflow-" + name + "-watch").start(this::watchForEnd);
        return this;
    }

    private void watchForEnd() {
        try {
            awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every component has finished. */
    public void awaitTermination() throws InterruptedException {
        awaitTermination(Long.MAX_VALUE);
    }

    /** Waits up to {@code timeout} for every component to finish; {@code true} if they did. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return awaitTermination(timeout.toNanos());
    }

    private boolean awaitTermination(long nanos) throws InterruptedException {
        if (state == PipelineState.NEW) {
            throw new IllegalStateException("pipeline '" + name + "' is not started");
        }
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        for (ComponentRunner runner : List.copyOf(runners)) {
            long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (remaining <= 0 || !runner.awaitFinished(remaining)) {
                return false;
            }
        }
        synchronized (this) {
            if (state == PipelineState.RUNNING) {
                changeState(PipelineState.STOPPED);
            }
        }
        return true;
    }

    /**
     * Stops the sources and waits up to {@code timeout} for every buffered message to reach the
     * sinks. Components finish in topological order. If the timeout passes first (or
     * {@link #forceStop()} is called meanwhile), the components are interrupted and the report lists
     * exactly what did not reach its end: per input port the messages still buffered plus the one its
     * component was handling, and the messages themselves.
     */
    public DrainReport drain(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long started = ticker.read();
        synchronized (this) {
            if (drainReport != null) {
                return drainReport;
            }
            if (state == PipelineState.NEW || state == PipelineState.FAILED) {
                changeState(PipelineState.STOPPED);
                drainReport = report(true, Map.of(), Duration.ZERO);
                return drainReport;
            }
            if (state != PipelineState.STOPPED) {
                changeState(PipelineState.DRAINING);
            }
        }
        Map<String, Long> closedBefore = closedDrops();
        for (ComponentRunner runner : runners) {
            if (runner instanceof SourceRunner) {
                runner.requestStop();
            }
        }
        boolean interrupted = false;
        boolean finished;
        try {
            finished = awaitTermination(timeout.toNanos());
        } catch (InterruptedException e) {
            interrupted = true; // the caller wants out now: stop by force, then report
            finished = false;
        }
        boolean completed = finished && !forced;
        if (!completed) {
            LOG.log(
                    Level.WARNING,
                    "pipeline '" + name + "' did not drain "
                            + (forced || interrupted ? "(stop forced)" : "within " + timeout)
                            + "; stopping its components");
            runners.forEach(ComponentRunner::forceStop);
            try {
                if (!awaitTermination(FORCED_STOP_GRACE.toNanos())) {
                    LOG.log(
                            Level.WARNING,
                            "pipeline '" + name + "': a component did not stop within " + FORCED_STOP_GRACE
                                    + " of being interrupted; the leftover count may miss its message");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        synchronized (this) {
            changeState(PipelineState.STOPPED);
            drainReport = report(completed, closedBefore, Duration.ofNanos(ticker.read() - started));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return drainReport;
    }

    /**
     * Cuts a {@link #drain(Duration) drain} in progress short (e.g. a second Ctrl-C): its components are
     * interrupted at once and the drain reports what was left. Before a drain it only marks the next
     * one as forced.
     */
    public void forceStop() {
        forced = true;
        runners.forEach(ComponentRunner::forceStop);
    }

    /** Drains with a 30 s timeout. */
    @Override
    public void close() {
        drain(DEFAULT_DRAIN);
    }

    /**
     * What is left once every component has stopped: per input port the buffered messages plus the one
     * its component was handling when interrupted. Nothing moves any more, so the counts are exact.
     */
    private DrainReport report(boolean completed, Map<String, Long> closedBefore, Duration took) {
        Map<ComponentNode, ComponentRunner> started = runnerOf;
        Map<String, Integer> leftovers = new LinkedHashMap<>();
        List<DrainReport.Leftover> unfinished = new ArrayList<>();
        Map<String, Long> errors = new LinkedHashMap<>();
        for (ComponentNode n : nodes) {
            // what its workers were handling (or had parked behind a key) when they were stopped
            List<KeyedOrder.Parked> handling =
                    started.get(n) instanceof HandlerRunner handler ? handler.unfinished() : List.of();
            long failed = 0;
            for (InputPort<?> p : n.inputs.values()) {
                String key = n.name + "." + p.name();
                boolean redelivered = p.measurements().remote() != null;
                int count = 0;
                for (KeyedOrder.Parked taken : handling) {
                    if (taken.port() == p) {
                        unfinished.add(new DrainReport.Leftover(key, taken.message(), redelivered));
                        count++;
                    }
                }
                for (Object message : p.remaining()) {
                    unfinished.add(new DrainReport.Leftover(key, message, redelivered));
                    count++;
                }
                leftovers.put(key, count);
                failed += p.measurements().errorsTotal();
            }
            for (OutputPort<?> p : n.outputs.values()) {
                failed += p.measurements().errorsTotal();
            }
            errors.put(n.name, failed);
        }
        Map<String, Long> dropped = closedDrops();
        dropped.replaceAll((port, after) -> after - closedBefore.getOrDefault(port, after));
        return new DrainReport(completed, leftovers, unfinished, dropped, errors, took);
    }

    /** Messages counted {@code closed} per output port so far. */
    private Map<String, Long> closedDrops() {
        Map<String, Long> closed = new LinkedHashMap<>();
        for (ComponentNode n : nodes) {
            for (OutputPort<?> p : n.outputs.values()) {
                closed.put(n.name + "." + p.name(), p.measurements().dropped(DropReason.CLOSED));
            }
        }
        return closed;
    }

    private int workerCount(ComponentNode n) {
        ComponentRunner runner = runnerOf.get(n);
        if (runner instanceof HandlerRunner handler) {
            return handler.workerCount();
        }
        return runner == null || runner.isFinished() ? 0 : 1;
    }

    @Override
    public List<ScalingDecision> scalingDecisions(String component) {
        return node(component).scalingLog.latest();
    }

    @Override
    public @Nullable String scalingStatus(String component) {
        ScalingPolicy policy = policies.get(node(component));
        return policy == null ? null : policy.status();
    }

    @Override
    public int workersLimit(String component) {
        ComponentNode n = node(component);
        ScalingPolicy policy = policies.get(n);
        return policy == null ? n.workers.max() : policy.usefulMax();
    }

    @Override
    public int workers(String component) {
        return workerCount(node(component));
    }

    private boolean isDegraded(ComponentNode n) {
        ComponentRunner runner = runnerOf.get(n);
        return runner != null && runner.healthProblem(healthRules, ticker.read()) != null;
    }

    private void changeState(PipelineState next) {
        if (state == next) {
            return;
        }
        state = next;
        if (next != PipelineState.RUNNING && next != PipelineState.STARTING && autoscaler != null) {
            autoscaler.stop(); // a draining or stopped pipeline keeps the workers it has
        }
        for (Consumer<PipelineState> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "pipeline state listener failed", e);
            }
        }
    }

    private void bindMeters() {
        for (ComponentNode n : nodes) {
            for (InputPort<?> p : n.inputs.values()) {
                PortMeterBinder.bind(registry, name, p.measurements());
            }
            for (OutputPort<?> p : n.outputs.values()) {
                PortMeterBinder.bind(registry, name, p.measurements());
            }
            Gauge.builder("portflow.component.workers", this, p -> p.workerCount(n))
                    .description("Workers handling the component's messages now (a source: 1 while it runs)")
                    .tags("pipeline", name, "component", n.name)
                    .register(registry);
            ScalingPolicy policy = policies.get(n);
            if (policy != null) {
                Gauge.builder("portflow.component.workers.desired", policy, ScalingPolicy::desired)
                        .description("Workers the autoscaler calls for now (what an external scaler can read)")
                        .tags("pipeline", name, "component", n.name)
                        .register(registry);
                Gauge.builder("portflow.component.drain.seconds", policy, ScalingPolicy::drainSeconds)
                        .description("Seconds the component's input backlog takes at its recent throughput")
                        .baseUnit("seconds")
                        .tags("pipeline", name, "component", n.name)
                        .register(registry);
                for (boolean widening : new boolean[] {true, false}) {
                    FunctionCounter.builder(
                                    "portflow.component.scaling.decisions", n.scalingLog, l -> l.count(widening))
                            .description("Decisions of the autoscaler to change the component's workers")
                            .tags("pipeline", name, "component", n.name, "direction", widening ? "up" : "down")
                            .register(registry);
                }
            } else if (!n.inputs.isEmpty()) {
                DrainTime drain = new DrainTime(
                        () -> drainReading(n),
                        System::nanoTime,
                        scalingSettings.fullFraction(),
                        scalingSettings.drainSecondsCap());
                Gauge.builder("portflow.component.drain.seconds", drain, DrainTime::seconds)
                        .description("Seconds the component's input backlog takes at its recent throughput")
                        .baseUnit("seconds")
                        .tags("pipeline", name, "component", n.name)
                        .register(registry);
            }
            Gauge.builder("portflow.component.degraded", this, p -> p.isDegraded(n) ? 1 : 0)
                    .description("1 while the component fails every message, hangs on one or stopped after an error")
                    .tags("pipeline", name, "component", n.name)
                    .register(registry);
            for (ComponentState state : ComponentState.values()) {
                int which = ComponentTime.index(state);
                FunctionCounter.builder("portflow.component.time", n.times, t -> t.seconds(which))
                        .description("Where each component's time goes")
                        .baseUnit("seconds")
                        .tags("pipeline", name, "component", n.name, "state", state.tag())
                        .register(registry);
            }
        }
    }

    private final class SetupContext implements dev.portflow.component.ComponentContext {
        private final String component;

        SetupContext(String component) {
            this.component = component;
        }

        @Override
        public String pipelineName() {
            return name;
        }

        @Override
        public String componentName() {
            return component;
        }

        @Override
        public boolean isRunning() {
            return state == PipelineState.STARTING || state == PipelineState.RUNNING;
        }

        @Override
        public MeterRegistry meterRegistry() {
            return registry;
        }
    }

    /**
     * The recent traced messages with their per-stage breakdown (the dashboard's slowest-traces list),
     * or null when the pipeline was built without {@link PipelineBuilder#tracing tracing}.
     */
    public dev.portflow.trace.@Nullable RecentTraces recentTraces() {
        return nodes.isEmpty() || !(nodes.get(0).tracer instanceof dev.portflow.trace.RecentTraces recent)
                ? null
                : recent;
    }
}
