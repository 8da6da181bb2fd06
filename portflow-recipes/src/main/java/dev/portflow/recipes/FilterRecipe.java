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

/** {@code recipe: filter}, made of {@link FilterTransformer}. */
public final class FilterRecipe extends AbstractRecipe {

    public FilterRecipe() {
        super(
                FilterConfig.RECIPE,
                ComponentKind.TRANSFORMER,
                "passes the messages for which a CEL condition holds; the others are dropped as filtered",
                PortRule.oneInOneOut(),
                List.of(ConfigKey.required(
                        "condition",
                        ConfigType.EXPRESSION,
                        "CEL condition over the message's fields, e.g. amount > 100")),
                FilterTransformer.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new FilterTransformer(config(context.config()));
    }

    private static FilterConfig config(RecipeConfig c) {
        return new FilterConfig(c.getString("condition"));
    }
}
