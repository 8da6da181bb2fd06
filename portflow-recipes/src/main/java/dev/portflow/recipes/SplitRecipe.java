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

/** {@code recipe: split}, made of {@link SplitTransformer}. */
public final class SplitRecipe extends AbstractRecipe {

    public SplitRecipe() {
        super(
                SplitConfig.RECIPE,
                ComponentKind.TRANSFORMER,
                "emits one message per item of a list the CEL expression gives",
                PortRule.oneInOneOut(),
                List.of(ConfigKey.required(
                        "items", ConfigType.EXPRESSION, "CEL expression giving a list, e.g. order.lines")),
                SplitTransformer.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new SplitTransformer(config(context.config()));
    }

    private static SplitConfig config(RecipeConfig c) {
        return new SplitConfig(c.getString("items"));
    }
}
