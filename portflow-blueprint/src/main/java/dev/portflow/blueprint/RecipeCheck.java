package dev.portflow.blueprint;

import java.util.Optional;
import java.util.Set;

/** What {@link Recipe#check} sees of one component during validation, and where it reports. */
public interface RecipeCheck {

    Blueprint blueprint();

    ComponentSpec component();

    /** The configuration, checked against the recipe's keys, defaults filled in. */
    RecipeConfig config();

    /** The {@code config:} entry for {@code key} as written, with positions. */
    default Optional<ConfigEntry> entry(String key) {
        return Optional.ofNullable(component().config().get(key));
    }

    /** The component's connected input ports. */
    Set<String> inputPorts();

    /** The component's connected output ports ({@code out_*} and {@code err_*}). */
    Set<String> outputPorts();

    /**
     * Reports a problem at {@code at}; {@code hint} may be {@code null}. A problem reported after
     * {@link #inputPorts()} or {@link #outputPorts()} was read is a problem of the pipeline as a whole
     * (listed after those of single elements), and is dropped when a connection of the component has
     * a problem of its own, from which it would only follow.
     */
    void problem(Position at, String message, String hint);
}
