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
            "generator", "filter", "map", "router", "split", "merge", "batch", "sleep", "jsonl_sink", "log_sink", "store");

    private Recipes() {
    }

    public static boolean isRecipe(String name) {
        return NAMES.contains(name);
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
            default -> throw new IllegalArgumentException("unknown recipe '" + recipe + "'; built-in recipes: "
                    + String.join(", ", NAMES) + " (and api_endpoint from portflow-http)");
        };
    }
}
