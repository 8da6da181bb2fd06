package dev.portflow.blueprint.assemble;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.blueprint.validate.KeyExpressions;
import dev.portflow.component.Component;
import dev.portflow.component.SingleWorker;
import dev.portflow.runtime.Workers;

/**
 * A component's {@code workers:} and {@code ordering: key} as the pipeline takes them (validation has
 * checked what they may say): its worker pool, and the key function that orders its messages
 * ({@link KeyExpressions}).
 */
final class WorkerSettings {

    private WorkerSettings() {}

    /**
     * Puts a validated component's workers and key into the pipeline; a problem (at its
     * {@code workers:} or {@code key:}) when the made component turns out to be {@link SingleWorker}
     * although its recipe did not say so, or the key function cannot be made.
     */
    static void apply(AssemblyState state, String name, Resolved r, Component component, ClassLoader loader) {
        ComponentSpec c = r.spec();
        Workers workers = c.workers();
        if (workers != null) {
            SingleWorker single = component.getClass().getAnnotation(SingleWorker.class);
            if (workers.max() > 1 && single != null) {
                state.problem(
                        c.position("workers"),
                        r.who() + " must run on one worker: " + single.value(),
                        component.getClass().getName() + " is annotated @SingleWorker, though " + c.describeType()
                                + " does not say so; remove workers: (or set workers: 1)");
                return;
            }
            state.builder().workers(name, workers);
        }
        YamlNode.Scalar key = c.key();
        if (c.orderedByKey() && key != null) {
            try {
                state.builder().orderedByKey(name, KeyExpressions.function(key.text(), name, loader));
            } catch (RuntimeException e) {
                state.problem(
                        key.position(),
                        "cannot order component '" + name + "' by key \"" + key.text() + "\": " + e.getMessage(),
                        null);
            }
        }
    }
}
