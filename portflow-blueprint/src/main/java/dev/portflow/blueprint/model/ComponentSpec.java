package dev.portflow.blueprint.model;

import dev.portflow.blueprint.spi.ConfigEntry;
import dev.portflow.blueprint.spi.Position;
import dev.portflow.blueprint.spi.YamlNode;
import dev.portflow.runtime.Workers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code components:}: a built-in recipe or a user class, its configuration and the
 * ports it declares (ports need not be declared: they are created from the connections).
 *
 * @param name      the component's name ({@code null} in a model with problems)
 * @param recipe    the recipe's name, or {@code null}
 * @param className the user class, or {@code null}
 * @param config    the configuration by key, in file order
 * @param inputs    declared input ports
 * @param outputs   declared output ports
 * @param workers   {@code workers:}, a fixed number or a range; {@code null} when not given (one worker)
 *                  or when it has a problem
 * @param ordering  {@code ordering:} as written ({@code none} or {@code key}), or {@code null}
 * @param key       {@code key:}, the field or CEL expression of {@code ordering: key}, or {@code null}
 * @param position  where the entry starts
 * @param positions where each key's value starts ({@code name}, {@code recipe}, {@code class},
 *                  {@code config}, {@code inputs}, {@code outputs}, {@code workers}; {@code ordering}
 *                  and {@code key} only when they have a value)
 */
public record ComponentSpec(
        @Nullable String name,
        @Nullable String recipe,
        @Nullable String className,
        Map<String, ConfigEntry> config,
        List<PortSpec> inputs,
        List<PortSpec> outputs,
        @Nullable Workers workers,
        @Nullable String ordering,
        YamlNode.@Nullable Scalar key,
        Position position,
        Map<String, Position> positions) {

    /** The {@code ordering:} that orders messages by {@link #key()}. */
    public static final String ORDERING_KEY = "key";
    /** The {@code ordering:} of a component that says none: messages in no particular order across workers. */
    public static final String ORDERING_NONE = "none";

    public ComponentSpec {
        config = Positions.ordered(config);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        positions = Positions.copy(positions);
    }

    /** Where the value of {@code key} starts, else where the entry starts. */
    public Position position(String key) {
        return positions.getOrDefault(key, position);
    }

    /** Whether the entry has an {@code inputs:} list (then connections must use those ports). */
    public boolean declaresInputs() {
        return positions.containsKey("inputs");
    }

    /** Whether the entry has an {@code outputs:} list (then connections must use those ports). */
    public boolean declaresOutputs() {
        return positions.containsKey("outputs");
    }

    /** The declared input or output port named {@code port}. */
    public Optional<PortSpec> port(String port) {
        return java.util.stream.Stream.concat(inputs.stream(), outputs.stream())
                .filter(p -> p.name().equals(port))
                .findFirst();
    }

    /** Whether it says {@code ordering: key}. */
    public boolean orderedByKey() {
        return ORDERING_KEY.equals(ordering);
    }

    /** The key's text, or {@code null}. */
    public @Nullable String keyExpression() {
        return key == null ? null : key.text();
    }

    /** "recipe filter" or "class com.acme.Enrich", for messages. */
    public String describeType() {
        return recipe != null ? "recipe " + recipe : className != null ? "class " + className : "no recipe";
    }
}
