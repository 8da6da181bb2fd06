package dev.portflow.blueprint;

import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A built-in component type usable in a blueprint as {@code recipe: <name>}: what it is, which
 * ports and configuration it accepts, and how to make it.
 *
 * <p>Recipes are found in a {@link RecipeRegistry}. Besides the built-ins, a jar can contribute
 * recipes through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.portflow.blueprint.Recipe});
 * a discovered recipe replaces a built-in of the same name.
 *
 * <pre>{@code
 * Recipe upper = Recipe.builder("upper", ComponentKind.TRANSFORMER)
 *         .description("upper-cases a field")
 *         .config(ConfigKey.required("field", ConfigType.STRING, "the field to upper-case"))
 *         .factory(ctx -> Transformer.map((JsonMessage m) -> ...))
 *         .build();
 * }</pre>
 */
public interface Recipe {

    /** The name used in {@code recipe:}, e.g. {@code filter}. */
    String name();

    /** One line, for {@code portflow} help and hints. */
    String description();

    /** The component's role; the created component must implement the matching interface. */
    ComponentKind kind();

    /** The ports it may have. */
    PortRule ports();

    /** The keys it accepts in {@code config:}. */
    List<ConfigKey> configKeys();

    /**
     * Checks beyond the config schema (e.g. that a route names a connected port). Called during
     * validation with the typed configuration, only when it passed the schema checks (so required
     * keys have values); report problems with {@link RecipeCheck#problem}.
     */
    default void check(RecipeCheck check) {}

    /** Makes the component; called at assembly, after validation passed. */
    Component create(RecipeContext context) throws Exception;

    /**
     * Why the recipe's component must run on one worker, in a few words for the problem message
     * (e.g. "it appends to one file"), or empty when any number of workers may call it at once.
     * Validation refuses {@code workers} above 1 for it without making the component; its class
     * should carry the same reason as {@link dev.portflow.component.SingleWorker}.
     */
    default Optional<String> singleWorker() {
        return Optional.empty();
    }

    /** Starts describing a recipe. */
    static Builder builder(String name, ComponentKind kind) {
        return new Builder(name, kind);
    }

    /** Builds a {@link Recipe} from parts. */
    final class Builder {
        private final String name;
        private final ComponentKind kind;
        private String description = "";
        private PortRule ports;
        private List<ConfigKey> config = List.of();
        private Consumer<RecipeCheck> check = c -> {};
        private RecipeFactory factory;
        private String singleWorker;

        private Builder(String name, ComponentKind kind) {
            this.name = Objects.requireNonNull(name, "name");
            this.kind = Objects.requireNonNull(kind, "kind");
            this.ports = PortRule.forKind(kind);
        }

        public Builder description(String text) {
            this.description = Objects.requireNonNull(text);
            return this;
        }

        /** The port rule; default: the runtime's rule for the kind. */
        public Builder ports(PortRule rule) {
            this.ports = Objects.requireNonNull(rule);
            return this;
        }

        public Builder config(ConfigKey... keys) {
            this.config = List.of(keys);
            return this;
        }

        public Builder config(List<ConfigKey> keys) {
            this.config = List.copyOf(keys);
            return this;
        }

        public Builder check(Consumer<RecipeCheck> newCheck) {
            this.check = Objects.requireNonNull(newCheck);
            return this;
        }

        public Builder factory(RecipeFactory newFactory) {
            this.factory = Objects.requireNonNull(newFactory);
            return this;
        }

        /** The component must run on one worker, for {@code reason} (see {@link Recipe#singleWorker()}). */
        public Builder singleWorker(String reason) {
            this.singleWorker = Objects.requireNonNull(reason);
            return this;
        }

        public Recipe build() {
            Objects.requireNonNull(factory, () -> "recipe '" + name + "' needs a factory");
            return new Defined(
                    name, description, kind, ports, config, check, factory, Optional.ofNullable(singleWorker));
        }
    }

    /** A recipe made by {@link Builder}. */
    record Defined(
            String name,
            String description,
            ComponentKind kind,
            PortRule ports,
            List<ConfigKey> configKeys,
            Consumer<RecipeCheck> checker,
            RecipeFactory factory,
            Optional<String> singleWorker)
            implements Recipe {

        @Override
        public void check(RecipeCheck check) {
            checker.accept(check);
        }

        @Override
        public Component create(RecipeContext context) throws Exception {
            return factory.create(context);
        }
    }
}
