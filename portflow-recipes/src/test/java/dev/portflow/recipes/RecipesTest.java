package dev.portflow.recipes;

import static dev.portflow.recipes.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portflow.blueprint.spi.Recipe;
import dev.portflow.component.Component;
import dev.portflow.runtime.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class RecipesTest {

    @TempDir
    Path dir;

    @Test
    void everyRecipeBuildsFromItsBlueprintConfig() throws Exception {
        Map<String, Map<String, ?>> configs = new LinkedHashMap<>();
        configs.put("generator", Map.of("rate", 10, "count", 3, "template", Map.of("n", "${seq}")));
        configs.put("filter", Map.of("condition", "amount > 100"));
        configs.put("map", Map.of("fields", Map.of("big", "amount > 100")));
        configs.put(
                "router",
                Map.of("routes", List.of(Map.of("port", "out_big", "when", "amount > 100")), "default", "out_small"));
        configs.put("split", Map.of("items", "lines"));
        configs.put("merge", Map.of());
        configs.put("batch", Map.of("size", 10, "window_ms", 500));
        configs.put("sleep", Map.of("duration_ms", 5));
        configs.put("jsonl_sink", Map.of("path", dir.resolve("x.jsonl").toString()));
        configs.put("log_sink", Map.of("level", "debug"));
        configs.put("store", Map.of("table", "orders", "key", "id"));
        assertThat(DeclaredRecipes.all())
                .extracting(Recipe::name)
                .as("the recipes META-INF/services declares, in the order of the contract")
                .containsExactlyElementsOf(configs.keySet());

        Map<String, Class<?>> expected = Map.ofEntries(
                Map.entry("generator", GeneratorSource.class),
                Map.entry("filter", FilterTransformer.class),
                Map.entry("map", MapTransformer.class),
                Map.entry("router", CelRouter.class),
                Map.entry("split", SplitTransformer.class),
                Map.entry("merge", FairMerger.class),
                Map.entry("batch", BatchTransformer.class),
                Map.entry("sleep", SleepTransformer.class),
                Map.entry("jsonl_sink", JsonlSink.class),
                Map.entry("log_sink", LogSink.class),
                Map.entry("store", StoreSink.class));
        for (Map.Entry<String, Map<String, ?>> e : configs.entrySet()) {
            Component c = DeclaredRecipes.create(e.getKey(), e.getValue(), dir);
            assertThat(c).as(e.getKey()).isInstanceOf(expected.get(e.getKey()));
        }
    }

    /** The one-worker rule is read from the implementation's {@code @SingleWorker}, so the two cannot differ. */
    @Test
    void singleWorkerRecipesSayWhyAsTheirImplementationsDo() {
        assertThat(DeclaredRecipes.all())
                .filteredOn(r -> r.singleWorker().isPresent())
                .extracting(Recipe::name, r -> r.singleWorker().orElseThrow())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("batch", "it holds one open batch"),
                        org.assertj.core.groups.Tuple.tuple("jsonl_sink", "it appends to one file"));
    }

    /** Maps as a blueprint validator hands them over: every declared key present, absent ones null, Long/Double numbers. */
    @Test
    void acceptsValidatedMapsWithNullsForAbsentKeys() throws Exception {
        Map<String, Object> generator = new LinkedHashMap<>();
        generator.put("rate", 10.0);
        generator.put("count", null);
        generator.put("template", null);
        assertThat(((GeneratorSource) DeclaredRecipes.create("generator", generator, dir)).config())
                .isEqualTo(new GeneratorConfig(10.0, null, (Map<String, Object>) null));
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("size", 100L);
        batch.put("window_ms", 1000L);
        assertThat(((BatchTransformer) DeclaredRecipes.create("batch", batch, dir)).config())
                .isEqualTo(new BatchConfig(100, 1000L));
        Map<String, Object> store = new LinkedHashMap<>();
        for (String key : List.of("url", "table", "key", "user", "password")) {
            store.put(key, null);
        }
        assertThat(((StoreSink) DeclaredRecipes.create("store", store, dir)).config())
                .isEqualTo(new StoreConfig());
        Map<String, Object> router = new LinkedHashMap<>();
        router.put("routes", List.of(Map.of("port", "out_a", "when", "x > 1")));
        router.put("default", null);
        assertThat(((CelRouter) DeclaredRecipes.create("router", router, dir))
                        .config()
                        .defaultPort())
                .isNull();
        Path file = dir.resolve("resolved.jsonl");
        assertThat(((JsonlSink) DeclaredRecipes.create("jsonl_sink", Map.of("path", file), dir))
                        .config()
                        .path())
                .isEqualTo(file);
        assertThat(((LogSink) DeclaredRecipes.create("log_sink", Map.of("level", "warn"), dir))
                        .config()
                        .level())
                .isEqualTo(System.Logger.Level.WARNING);
    }

    @Test
    void checkConfigRefusesWhatCannotWorkNamingTheKey() {
        Recipe filter = DeclaredRecipes.named("filter");
        assertThatThrownBy(
                        () -> filter.checkConfig(DeclaredRecipes.config(filter, Map.of("condition", "amount >"), dir)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("filter: 'condition' is not a valid CEL expression: \"amount >\"");
        Recipe map = DeclaredRecipes.named("map");
        assertThatThrownBy(() ->
                        map.checkConfig(DeclaredRecipes.config(map, Map.of("fields", Map.of("a", "1 +")), dir)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("map: 'fields.a' is not a valid CEL expression");
        Recipe batch = DeclaredRecipes.named("batch");
        assertThatCode(() -> batch.checkConfig(DeclaredRecipes.config(batch, Map.of(), dir)))
                .as("left to check(), which reports it at the component")
                .doesNotThrowAnyException();
    }

    @Test
    void aBlueprintLikePipelineEndToEnd() throws Exception {
        Path file = dir.resolve("out/big.jsonl");
        run(Pipeline.builder("orders")
                .component(
                        "gen",
                        DeclaredRecipes.create(
                                "generator",
                                Map.of(
                                        "rate",
                                        100_000,
                                        "count",
                                        20,
                                        "template",
                                        Map.of(
                                                "id",
                                                "o-${seq}",
                                                "amount",
                                                "${seq}",
                                                "lines",
                                                List.of(Map.of("sku", "a"), Map.of("sku", "b")))),
                                dir))
                .component("big", DeclaredRecipes.create("filter", Map.of("condition", "amount >= 10"), dir))
                .component("calc", DeclaredRecipes.create("map", Map.of("fields", Map.of("double", "amount * 2")), dir))
                .component(
                        "route",
                        DeclaredRecipes.create(
                                "router",
                                Map.of(
                                        "routes",
                                        List.of(Map.of("port", "out_even", "when", "amount % 2 == 0")),
                                        "default",
                                        "out_odd"),
                                dir))
                .component("lines", DeclaredRecipes.create("split", Map.of("items", "lines"), dir))
                .component("all", DeclaredRecipes.create("merge", Map.of(), dir))
                .component("batch", DeclaredRecipes.create("batch", Map.of("size", 4), dir))
                .component(
                        "file",
                        DeclaredRecipes.create("jsonl_sink", Map.of("path", file.toString(), "metadata", false), dir))
                .connect("gen.out_orders", "big.in_orders")
                .connect("big.out_orders", "calc.in_orders")
                .connect("calc.out_orders", "route.in_orders")
                .connect("route.out_even", "lines.in_orders")
                .connect("route.out_odd", "all.in_odd")
                .connect("lines.out_lines", "all.in_lines")
                .connect("all.out_all", "batch.in_all")
                .connect("batch.out_batches", "file.in_batches"));

        // 10 orders pass (10..19): 5 even ones split into 2 lines each, 5 odd ones pass: 15 items.
        List<Object> batches = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(Json::parse)
                .toList();
        int items = batches.stream()
                .mapToInt(b -> (Integer) ((Map<?, ?>) b).get("count"))
                .sum();
        assertThat(items).isEqualTo(15);
        assertThat(batches).hasSize(4);
    }
}
