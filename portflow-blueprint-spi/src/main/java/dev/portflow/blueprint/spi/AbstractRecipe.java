package dev.portflow.blueprint.spi;

import dev.portflow.component.Component;
import dev.portflow.component.SingleWorker;
import dev.portflow.runtime.ComponentKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A recipe declared as a class: the constructor states what it is, the subclass makes the component
 * and adds checks. The class is listed in {@code META-INF/services/dev.portflow.blueprint.spi.Recipe}
 * and needs a public no-arg constructor.
 *
 * <pre>{@code
 * public final class UpperRecipe extends AbstractRecipe {
 *     public UpperRecipe() {
 *         super("upper", ComponentKind.TRANSFORMER, "upper-cases a field", PortRule.oneInOneOut(),
 *               List.of(ConfigKey.required("field", ConfigType.STRING, "the field to upper-case")),
 *               UpperCase.class);
 *     }
 *
 *     public Component create(RecipeContext context) {
 *         return new UpperCase(context.config().getString("field"));
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractRecipe implements Recipe {

    private final String name;
    private final ComponentKind kind;
    private final String description;
    private final PortRule ports;
    private final List<ConfigKey> configKeys;
    private final Optional<String> singleWorker;

    /**
     * @param implementation the class of the components it makes: when it carries
     *     {@link SingleWorker}, so does the recipe ({@link #singleWorker()}), with the same reason
     */
    protected AbstractRecipe(
            String name,
            ComponentKind kind,
            String description,
            PortRule ports,
            List<ConfigKey> configKeys,
            Class<? extends Component> implementation) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.description = Objects.requireNonNull(description, "description");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.configKeys = List.copyOf(configKeys);
        this.singleWorker = Optional.ofNullable(implementation.getAnnotation(SingleWorker.class))
                .map(SingleWorker::value);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ComponentKind kind() {
        return kind;
    }

    @Override
    public final PortRule ports() {
        return ports;
    }

    @Override
    public final List<ConfigKey> configKeys() {
        return configKeys;
    }

    @Override
    public Optional<String> singleWorker() {
        return singleWorker;
    }

    @Override
    public String toString() {
        return "recipe " + name;
    }
}
