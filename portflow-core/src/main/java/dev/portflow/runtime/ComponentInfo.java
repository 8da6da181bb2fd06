package dev.portflow.runtime;

import java.util.List;

/**
 * What a pipeline says about one of its components.
 *
 * @param name    the component's name
 * @param kind    its role
 * @param inputs  its input port names
 * @param outputs its output port names (data and error ports)
 * @param workers how many workers handle its messages (see {@link Workers})
 * @param orderedByKey whether messages with the same key are handled in order ({@link PipelineBuilder#orderedByKey})
 */
public record ComponentInfo(
        String name,
        ComponentKind kind,
        List<String> inputs,
        List<String> outputs,
        Workers workers,
        boolean orderedByKey) {

    /** A component with one worker and no key. */
    public ComponentInfo(String name, ComponentKind kind, List<String> inputs, List<String> outputs) {
        this(name, kind, inputs, outputs, Workers.one(), false);
    }
}
