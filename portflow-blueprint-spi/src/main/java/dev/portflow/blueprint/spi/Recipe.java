package dev.portflow.blueprint.spi;

import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A component type usable in a blueprint as {@code recipe: <name>}: the one declaration of what it
 * is, which ports and configuration it accepts, how its configuration is checked, and how to make
 * it. Blueprint validation, assembly and the recipe table of the docs all read this declaration.
 *
 * <p>Recipes are found through {@link java.util.ServiceLoader}: a jar lists its recipe classes
 * (public, with a public no-arg constructor) in
 * {@code META-INF/services/dev.portflow.blueprint.spi.Recipe}. The built-in recipes of
 * {@code portflow-recipes} are found that way too, and so are those of a jar given to
 * {@code portflow run --lib}; a recipe of a {@code --lib} jar replaces a built-in of the same name.
 * A recipe can also be built from parts with {@link #builder} and registered directly.
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
     * Checks the values of a configuration that passed the schema checks (keys, types, ranges),
     * without making anything: for example, that every CEL expression compiles. Throw
     * {@link IllegalArgumentException} with a message that names the key; validation then reports
     * it at that key's value, and when the message is about an expression (a {@code map}'s field, a
     * {@code router}'s route), checks each expression alone so that every bad one is reported at its
     * own position. The default accepts every configuration.
     *
     * @throws IllegalArgumentException when the configuration cannot work
     */
    default void checkConfig(RecipeConfig config) {}

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
        private Consumer<RecipeConfig> configCheck = c -> {};
        private Consumer<RecipeCheck> check = c -> {};
        private @Nullable RecipeFactory factory;
        private @Nullable String singleWorker;

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

        /** The value check (see {@link Recipe#checkConfig}). */
        public Builder checkConfig(Consumer<RecipeConfig> newCheck) {
            this.configCheck = Objects.requireNonNull(newCheck);
            return this;
        }

        /** The check with ports and positions (see {@link Recipe#check}). */
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
            RecipeFactory made = Objects.requireNonNull(factory, () -> "recipe '" + name + "' needs a factory");
            return new Defined(
                    name,
                    description,
                    kind,
                    ports,
                    config,
                    configCheck,
                    check,
                    made,
                    Optional.ofNullable(singleWorker));
        }
    }

    /** A recipe made by {@link Builder}. */
    record Defined(
            String name,
            String description,
            ComponentKind kind,
            PortRule ports,
            List<ConfigKey> configKeys,
            Consumer<RecipeConfig> configChecker,
            Consumer<RecipeCheck> checker,
            RecipeFactory factory,
            Optional<String> singleWorker)
            implements Recipe {

        @Override
        public void checkConfig(RecipeConfig config) {
            configChecker.accept(config);
        }

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
