package dev.portflow.recipes;

import dev.portflow.blueprint.spi.AbstractRecipe;
import dev.portflow.blueprint.spi.PortRule;
import dev.portflow.blueprint.spi.RecipeContext;
import dev.portflow.component.Component;
import dev.portflow.runtime.ComponentKind;
import java.util.List;

/** {@code recipe: merge}, made of {@link FairMerger}. */
public final class MergeRecipe extends AbstractRecipe {

    public MergeRecipe() {
        super(
                FairMerger.RECIPE,
                ComponentKind.MERGER,
                "merges several in_* ports into one out_* port, fairly",
                PortRule.merger(),
                List.of(),
                FairMerger.class);
    }

    @Override
    public Component create(RecipeContext context) {
        return new FairMerger();
    }
}
