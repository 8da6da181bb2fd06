package dev.portflow.blueprint.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What {@link Recipe#check} sees of one component during validation, and where it reports. */
public interface RecipeCheck {

    /** The component's name in the blueprint. */
    String componentName();

    /**
     * Where a field of the component's entry starts ({@code name}, {@code recipe}, {@code config},
     * ...), else where the entry starts.
     */
    Position position(String field);

    /** The configuration, checked against the recipe's keys, defaults filled in. */
    RecipeConfig config();

    /** The {@code config:} entries as written, with positions, in file order. */
    Map<String, ConfigEntry> entries();

    /** The {@code config:} entry for {@code key} as written, with positions. */
    default Optional<ConfigEntry> entry(String key) {
        return Optional.ofNullable(entries().get(key));
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
    void problem(Position at, String message, @Nullable String hint);
}
