package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeConfig;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code recipe: map}, made of {@link MapTransformer}. */
public final class MapRecipe extends AbstractRecipe {

    public MapRecipe() {
        super(
                MapConfig.RECIPE,
                ComponentKind.TRANSFORMER,
                "computes each output field with a CEL expression over the input",
                PortRule.oneInOneOut(),
                List.of(
                        ConfigKey.required(
                                        "fields",
                                        ConfigType.MAP,
                                        "output field name -> CEL expression, e.g. {total: amount * 1.2}")
                                .elements(ConfigType.EXPRESSION)
                                .min(1),
                        ConfigKey.optional(
                                "replace",
                                ConfigType.BOOLEAN,
                                false,
                                "true: the output has the computed fields only; false: they are added")),
                MapTransformer.class);
    }

    @Override
    public void checkConfig(RecipeConfig config) {
        config(config);
    }

    @Override
    public Component create(RecipeContext context) {
        return new MapTransformer(config(context.config()));
    }

    private static MapConfig config(RecipeConfig c) {
        Map<String, String> fields = new LinkedHashMap<>();
        c.getMap("fields").forEach((name, expression) -> fields.put(name, String.valueOf(expression)));
        return new MapConfig(fields, c.getBoolean("replace"));
    }
}
