package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;

/** {@code recipe: generator}, made of {@link GeneratorSource}. */
public final class GeneratorRecipe extends AbstractRecipe {

    public GeneratorRecipe() {
        super(
                GeneratorConfig.RECIPE,
                ComponentKind.SOURCE,
                "emits messages from a template at a fixed rate",
                new PortRule(0, 0, 1, 1, List.of(), List.of()),
                List.of(
                        ConfigKey.required("rate", ConfigType.NUMBER, "messages per second, e.g. 0.5 or 100")
                                .range(0.001, 1_000_000),
                        ConfigKey.optional(
                                        "count",
                                        ConfigType.INTEGER,
                                        null,
                                        "how many messages, then the source ends; no end when left out")
                                .min(0),
                        ConfigKey.optional(
                                "template",
                                ConfigType.MAP,
                                null,
                                "the JSON object of each message; strings may use ${seq}, ${uuid}, ${now};"
                                        + " default {seq: ${seq}}")),
                GeneratorSource.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new GeneratorSource(config(context.config()));
    }

    private static GeneratorConfig config(RecipeConfig c) {
        return new GeneratorConfig(
                c.getDouble("rate"),
                c.has("count") ? c.getLong("count") : null,
                c.has("template") ? c.getMap("template") : null);
    }
}
