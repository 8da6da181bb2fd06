package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.ConfigKey;
import dev.portflow.blueprint.spi.ConfigType;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;

/** {@code recipe: sleep}, made of {@link SleepTransformer}. */
public final class SleepRecipe extends AbstractRecipe {

    public SleepRecipe() {
        super(
                SleepConfig.RECIPE,
                ComponentKind.TRANSFORMER,
                "waits duration_ms per message, then passes it on (simulates a slow stage)",
                PortRule.oneInOneOut(),
                List.of(ConfigKey.required("duration_ms", ConfigType.DURATION_MS, "wait per message")
                        .range(0, 3_600_000)),
                SleepTransformer.class);
    }

    @Override
    public Component create(RecipeContext context) {
        return new SleepTransformer(new SleepConfig(context.config().getLong("duration_ms")));
    }
}
