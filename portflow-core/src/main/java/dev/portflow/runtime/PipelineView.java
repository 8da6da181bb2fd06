package dev.portflow.runtime;

import dev.portflow.metrics.PortMetrics;
import dev.portflow.port.Connection;
import dev.portflow.port.InputPort;
import dev.portflow.port.OutputPort;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What can be read of a pipeline: its components, ports, connections, metrics, health and workers,
 * without the means to start, drain or stop it. {@link Pipeline} adds those; code that only
 * observes a pipeline (the dashboard, a metrics endpoint, a test) takes a view. Every method is
 * cheap enough to call from a sampling loop and safe from any thread.
 */
public interface PipelineView {

    /** The pipeline's name. */
    String name();

    /** Where it is in its lifecycle. */
    PipelineState state();

    /** Running and not draining: ready for traffic. */
    boolean isReady();

    /** The registry every port and component of the pipeline registers its meters in. */
    MeterRegistry meterRegistry();

    /** The components in topological order. */
    List<ComponentInfo> components();

    /** The components that are instances of {@code type}, in topological order (e.g. every HTTP endpoint). */
    <C> List<C> componentsOfType(Class<C> type);

    /** The name under which {@code component} was added, or {@code null} if it is not part of this pipeline. */
    @Nullable
    String nameOf(Object component);

    /** Every connection, in the order of the components that send on them. */
    List<Connection<?>> connections();

    /** The input port {@code port} of component {@code component}. */
    InputPort<?> inputPort(String component, String port);

    /** The output port {@code port} of component {@code component}. */
    OutputPort<?> outputPort(String component, String port);

    /** A snapshot of every port's metrics, components in topological order, inputs before outputs. */
    List<PortMetrics> portMetrics();

    /** Whether no port of component {@code component} has counted an error. */
    boolean errorsFreeOf(String component);

    /** Seconds component {@code component} spent in {@code state}, over all its workers. */
    double componentSeconds(String component, ComponentState state);

    /**
     * Whether every component works: {@code DEGRADED}, with the reason, for each component whose last
     * messages all failed, that has been busy on one message for too long, or that stopped after an
     * error (see {@link HealthRules}, set with {@link PipelineBuilder#healthRules(HealthRules)}).
     * Cheap: it reads a few fields per component.
     */
    PipelineHealth health();

    /**
     * The latest decisions (at most 20, oldest first) of the autoscaler for component
     * {@code component}; empty unless it has {@link Workers#between a range of workers}.
     */
    List<ScalingDecision> scalingDecisions(String component);

    /**
     * Why autoscaled component {@code component} has the workers it has: the last decision's reason or
     * what the rule is holding for; {@code null} when it is not autoscaled.
     */
    @Nullable
    String scalingStatus(String component);

    /**
     * The most workers component {@code component} can usefully have now: its configured max, or, for an
     * autoscaled one, the ceiling its autoscaler found below it (more workers did not raise throughput).
     */
    int workersLimit(String component);

    /** Workers handling component {@code component}'s messages now (0 before start and once it has ended). */
    int workers(String component);
}
