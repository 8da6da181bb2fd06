package dev.portflow.recipes;

import dev.portflow.component.Component;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The built-in recipes of this module by their blueprint names, built from a blueprint's
 * {@code config:} mapping. ({@code api_endpoint} lives in {@code portflow-http}.)
 *
 * <pre>{@code
 * Component big = Recipes.create("filter", Map.of("condition", "amount > 100"), Path.of("data"));
 * }</pre>
 */
public final class Recipes {

    /** Every recipe {@link #create} knows, in the order of the contract. */
    public static final List<String> NAMES = List.of(
            "generator",
            "filter",
            "map",
            "router",
            "split",
            "merge",
            "batch",
            "sleep",
            "jsonl_sink",
            "log_sink",
            "store");

    private Recipes() {}

    public static boolean isRecipe(String name) {
        return NAMES.contains(name);
    }

    /**
     * Checks a recipe's configuration the way {@link #create} would, without building anything:
     * keys, values, and every CEL expression compiled. For validating a blueprint before it runs.
     *
     * @throws IllegalArgumentException for an unknown recipe or a bad configuration, naming the key and what it accepts
     */
    public static void checkConfig(String recipe, Map<String, ?> config) {
        switch (Objects.requireNonNull(recipe, "recipe")) {
            case "generator" -> GeneratorConfig.fromMap(config);
            case "filter" -> FilterConfig.fromMap(config);
            case "map" -> MapConfig.fromMap(config);
            case "router" -> RouterConfig.fromMap(config);
            case "split" -> SplitConfig.fromMap(config);
            case "merge" -> new ConfigMap(FairMerger.RECIPE, config);
            case "batch" -> BatchConfig.fromMap(config);
            case "sleep" -> SleepConfig.fromMap(config);
            case "jsonl_sink" -> JsonlSinkConfig.fromMap(config);
            case "log_sink" -> LogSinkConfig.fromMap(config);
            case "store" -> StoreConfig.fromMap(config);
            default ->
                throw new IllegalArgumentException("unknown recipe '" + recipe + "'; built-in recipes: "
                        + String.join(", ", NAMES) + " (and api_endpoint from portflow-http)");
        }
    }

    /**
     * Builds recipe {@code recipe} from its configuration.
     *
     * @param config  the {@code config:} mapping (may be {@code null} or empty for recipes without required keys)
     * @param dataDir where {@code store} keeps its default H2 database
     * @throws IllegalArgumentException for an unknown recipe or a bad configuration, naming the key and what it accepts
     */
    public static Component create(String recipe, Map<String, ?> config, Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        return switch (Objects.requireNonNull(recipe, "recipe")) {
            case "generator" -> new GeneratorSource(GeneratorConfig.fromMap(config));
            case "filter" -> new FilterTransformer(FilterConfig.fromMap(config));
            case "map" -> new MapTransformer(MapConfig.fromMap(config));
            case "router" -> new CelRouter(RouterConfig.fromMap(config));
            case "split" -> new SplitTransformer(SplitConfig.fromMap(config));
            case "merge" -> {
                new ConfigMap(FairMerger.RECIPE, config);
                yield new FairMerger();
            }
            case "batch" -> new BatchTransformer(BatchConfig.fromMap(config));
            case "sleep" -> new SleepTransformer(SleepConfig.fromMap(config));
            case "jsonl_sink" -> new JsonlSink(JsonlSinkConfig.fromMap(config));
            case "log_sink" -> new LogSink(LogSinkConfig.fromMap(config));
            case "store" -> new StoreSink(StoreConfig.fromMap(config), dataDir);
            default ->
                throw new IllegalArgumentException("unknown recipe '" + recipe + "'; built-in recipes: "
                        + String.join(", ", NAMES) + " (and api_endpoint from portflow-http)");
        };
    }
}
