package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeCheck;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;

/** {@code recipe: batch}, made of {@link BatchTransformer}; needs {@code size}, {@code window_ms} or both. */
public final class BatchRecipe extends AbstractRecipe {

    public BatchRecipe() {
        super(
                BatchConfig.RECIPE,
                ComponentKind.TRANSFORMER,
                "groups messages into lists of up to size, emitted at the latest window_ms after the first",
                PortRule.oneInOneOut(),
                List.of(
                        ConfigKey.optional(
                                        "size",
                                        ConfigType.INTEGER,
                                        null,
                                        "messages per batch at most; with only window_ms: "
                                                + BatchConfig.DEFAULT_MAX_SIZE)
                                .range(1, Integer.MAX_VALUE),
                        ConfigKey.optional(
                                        "window_ms",
                                        ConfigType.DURATION_MS,
                                        null,
                                        "longest wait after a batch's first message; without it batches wait until full")
                                .range(1, 3_600_000)),
                BatchTransformer.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        if (hasSizeOrWindow(config)) { // else check() says what is missing, where
            config(config);
        }
    }

    @Override
    public void check(RecipeCheck check) {
        if (!hasSizeOrWindow(check.config())) {
            check.problem(
                    check.position(check.entries().isEmpty() ? "name" : "config"),
                    "batch '" + check.componentName() + "' needs size, window_ms or both",
                    "e.g. config: {size: 100, window_ms: 1000}");
        }
    }

    @Override
    public Component create(RecipeContext context) {
        return new BatchTransformer(config(context.config()));
    }

    private static boolean hasSizeOrWindow(RecipeConfig c) {
        return c.has("size") || c.has("window_ms");
    }

    private static BatchConfig config(RecipeConfig c) {
        return new BatchConfig(
                c.has("size") ? c.getInt("size") : null, c.has("window_ms") ? c.getLong("window_ms") : null);
    }
}
