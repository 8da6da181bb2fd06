package dev.portflow.blueprint.validate;

import dev.portflow.blueprint.model.ComponentSpec;
import dev.portflow.blueprint.spi.Configurable;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.Suggestions;
import dev.portflow.blueprint.validate.BlueprintValidator.Resolved;
import dev.portflow.runtime.ComponentKind;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SortedMap;

/**
 * The names and the declarations of components: the pipeline's name and each component's (valid,
 * unique), and what each component is: a known recipe with a config that fits its keys, or a user
 * class ({@link UserClasses}) with the config it takes; then the ports it lists ({@link DeclaredPorts}).
 * Registers each component under its name in the {@link ValidationState}.
 */
final class Components {

    private final ValidationState state;
    /** The recipes by name, sorted. */
    private final SortedMap<String, Recipe> recipes;

    private final ClassLoader loader;

    Components(ValidationState state, SortedMap<String, Recipe> recipes, ClassLoader loader) {
        this.state = state;
        this.recipes = recipes;
        this.loader = loader;
    }

    /** The pipeline's {@code name:} follows the naming rule. */
    void checkPipelineName() {
        String name = state.blueprint.name();
        if (name != null && !Names.NAME.matcher(name).matches()) {
            state.problem(
                    state.blueprint.position("name"),
                    "pipeline name '" + name + "' is invalid",
                    "use letters, digits, '_' and '-'");
        }
    }

    /** What {@code c} is, with the problems of its name, recipe or class, config and declared ports. */
    Resolved resolve(ComponentSpec c) {
        String name = c.name();
        if (name != null) {
            ComponentSpec first = state.declared.get(name);
            if (!Names.NAME.matcher(name).matches()) {
                state.problem(
                        c.position("name"),
                        "component name '" + name + "' is invalid",
                        "use letters, digits, '_' and '-' (a '.' separates component and port in connections)");
                name = null;
            } else if (first != null) {
                state.problem(
                        c.position("name"),
                        "component '" + name + "' is declared twice",
                        "first declared at line " + first.position("name").line() + "; component names must be unique");
                name = null;
            } else {
                state.declared.put(name, c);
            }
        }
        Recipe recipe = null;
        Class<?> userClass = null;
        ComponentKind kind = null;
        Map<String, Object> config = Map.of();
        boolean configOk = true;
        String label = name != null ? "'" + name + "'" : "this component";
        String recipeName = c.recipe();
        String className = c.className();
        if (recipeName != null && className != null) {
            state.problem(
                    c.position("class"),
                    "component " + label + " has both recipe: and class:",
                    "keep recipe: for a built-in, or class: for your own component");
        } else if (recipeName == null && className == null) {
            if (!c.positions().containsKey("recipe") && !c.positions().containsKey("class")) {
                state.problem(
                        c.position("name"),
                        "component " + label + " has neither recipe: nor class:",
                        "add recipe: <" + String.join("|", recipes.keySet()) + "> or class: <your Component class>");
            }
        } else if (recipeName != null) {
            recipe = recipes.get(recipeName);
            if (recipe == null) {
                state.problem(
                        c.position("recipe"),
                        "unknown recipe '" + recipeName + "'",
                        Suggestions.didYouMean(recipeName, recipes.keySet(), "known recipes")
                                + "; or class: <your Component class>");
            } else {
                kind = recipe.kind();
                ConfigChecker checker = new ConfigChecker(state::problem);
                config = checker.check(
                        c.config(),
                        recipe.configKeys(),
                        recipe.name() + " " + label,
                        c.position(c.positions().containsKey("config") ? "config" : "name"));
                configOk = checker.valuesOk();
            }
        } else if (className != null) {
            userClass = UserClasses.load(c, className, loader, state::problem);
            if (userClass != null) {
                kind = UserClasses.kindOf(userClass);
                if (!c.config().isEmpty() && !Configurable.class.isAssignableFrom(userClass)) {
                    state.problem(
                            c.position("config"),
                            "class " + userClass.getName() + " takes no config",
                            "implement dev.portflow.blueprint.spi.Configurable to receive it, or remove config:");
                }
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            c.config().values().forEach(e -> raw.put(e.key(), e.value().toJava()));
            config = raw;
        }
        RecipeConfig recipeConfig = RecipeConfig.of(name == null ? "?" : name, config, state.blueprint.directory());
        Resolved r = new Resolved(
                c, recipe, userClass, kind, recipeConfig, configOk, new LinkedHashSet<>(), new LinkedHashSet<>());
        if (name != null) {
            state.components.put(name, r);
        }
        DeclaredPorts.check(state, r);
        return r;
    }
}
