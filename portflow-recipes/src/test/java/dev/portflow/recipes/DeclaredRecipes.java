package dev.portflow.recipes;

import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import tools.jackson.databind.JsonNode;

/**
 * The recipes this module declares in {@code META-INF/services}, made as a blueprint would make them:
 * the given config with every other declared key at its default (validation's job, done here by hand).
 */
final class DeclaredRecipes {

    private DeclaredRecipes() {}

    /** Every declared recipe, in the order of the services file. */
    static List<Recipe> all() {
        return ServiceLoader.load(Recipe.class, DeclaredRecipes.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    static Recipe named(String name) {
        return all().stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no recipe " + name));
    }

    /** {@code given} with the defaults of the keys it leaves out, paths resolved against {@code dir}. */
    static RecipeConfig config(Recipe recipe, Map<String, ?> given, Path dir) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : recipe.configKeys()) {
            values.put(key.name(), given.containsKey(key.name()) ? given.get(key.name()) : key.defaultValue());
        }
        return RecipeConfig.of(recipe.name(), values, dir);
    }

    /** Recipe {@code name} made from {@code given} after {@link Recipe#checkConfig} took it. */
    static Component create(String name, Map<String, ?> given, Path dir) throws Exception {
        Recipe recipe = named(name);
        RecipeConfig config = config(recipe, given, dir);
        recipe.checkConfig(config);
        return recipe.create(new Context(name, config, dir));
    }

    /** What a recipe gets from a blueprint with no schemas and no declared ports. */
    private record Context(String componentName, RecipeConfig config, Path blueprintDirectory)
            implements RecipeContext {

        @Override
        public String pipelineName() {
            return "test";
        }

        @Override
        public Map<String, JsonNode> schemas() {
            return Map.of();
        }

        @Override
        public Optional<JsonNode> portSchema(String port) {
            return Optional.empty();
        }

        @Override
        public List<String> inputPorts() {
            return List.of();
        }

        @Override
        public List<String> outputPorts() {
            return List.of();
        }

        @Override
        public Path dataDirectory() {
            return blueprintDirectory.resolve("data");
        }

        @Override
        public ClassLoader classLoader() {
            return DeclaredRecipes.class.getClassLoader();
        }
    }
}
