package dev.portflow.component;

import io.micrometer.core.instrument.MeterRegistry;

/** What a component can know about where it runs. */
public interface ComponentContext {

    /** The pipeline's name. */
    String pipelineName();

    /** This component's name. */
    String componentName();

    /** {@code false} once the pipeline is draining or stopped: a source should return soon. */
    boolean isRunning();

    /** The pipeline's meter registry, for a component's own meters. */
    MeterRegistry meterRegistry();
}
