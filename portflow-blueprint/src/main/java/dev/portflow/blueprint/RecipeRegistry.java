package dev.portflow.blueprint;

import dev.portflow.blueprint.spi.Recipe;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The recipes a blueprint may name, by name. Immutable: {@link #with} and {@link #withDiscovered}
 * return a new registry in which the added recipes replace those of the same name.
 *
 * <pre>{@code
 * RecipeRegistry recipes = RecipeRegistry.builtIns().withDiscovered(classLoader).with(myRecipe);
 * }</pre>
 */
public final class RecipeRegistry {

    private final SortedMap<String, Recipe> recipes;

    private RecipeRegistry(Map<String, Recipe> recipes) {
        this.recipes = Collections.unmodifiableSortedMap(new TreeMap<>(recipes));
    }

    /**
     * The recipes on Portflow's own class path: {@code api_endpoint} (declared in this module) and,
     * when {@code portflow-recipes} is there, {@code generator}, {@code filter}, {@code map},
     * {@code router}, {@code split}, {@code merge}, {@code batch}, {@code sleep}, {@code jsonl_sink},
     * {@code log_sink} and {@code store}; each found through {@link ServiceLoader} like any other.
     *
     * @throws IllegalStateException if a declared recipe cannot be loaded
     */
    public static RecipeRegistry builtIns() {
        return empty().withDiscovered(RecipeRegistry.class.getClassLoader());
    }

    /** No recipes at all. */
    public static RecipeRegistry empty() {
        return new RecipeRegistry(Map.of());
    }

    /** Exactly these recipes; a later one replaces an earlier one of the same name. */
    public static RecipeRegistry of(Collection<? extends Recipe> recipes) {
        return empty().with(recipes);
    }

    /** This registry plus {@code more} (replacing recipes of the same name). */
    public RecipeRegistry with(Recipe... more) {
        return with(List.of(more));
    }

    /** This registry plus {@code more} (replacing recipes of the same name). */
    public RecipeRegistry with(Collection<? extends Recipe> more) {
        Map<String, Recipe> all = new TreeMap<>(recipes);
        for (Recipe r : more) {
            Objects.requireNonNull(r.name(), "recipe name");
            all.put(r.name(), r);
        }
        return new RecipeRegistry(all);
    }

    /**
     * This registry plus the recipes that jars on {@code loader} declare as
     * {@code META-INF/services/dev.portflow.blueprint.spi.Recipe}; they replace recipes of the same name.
     *
     * @throws IllegalStateException if a declared recipe cannot be loaded
     */
    public RecipeRegistry withDiscovered(ClassLoader loader) {
        try {
            return with(ServiceLoader.load(Recipe.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList());
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException(
                    "a recipe declared in META-INF/services/" + Recipe.class.getName() + " could not be loaded: "
                            + e.getMessage(),
                    e);
        }
    }

    /** The recipe named {@code name}. */
    public Optional<Recipe> find(String name) {
        return Optional.ofNullable(recipes.get(name));
    }

    /** Every recipe name, sorted. */
    public Set<String> names() {
        return recipes.keySet();
    }

    /** Every recipe, sorted by name. */
    public Collection<Recipe> recipes() {
        return recipes.values();
    }

    /** Every recipe by name, sorted: what validation looks recipes up in. */
    SortedMap<String, Recipe> byName() {
        return recipes;
    }
}
