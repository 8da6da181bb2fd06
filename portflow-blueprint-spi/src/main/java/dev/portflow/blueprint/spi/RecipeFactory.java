package dev.portflow.blueprint.spi;

import dev.portflow.component.Component;

/** Makes a recipe's component from its validated configuration. */
@FunctionalInterface
public interface RecipeFactory {

    /**
     * Makes the recipe's component for one use of it.
     *
     * @throws Exception when the component cannot be made (e.g. an expression does not compile); the
     *     message becomes a problem at the component's position and nothing starts
     */
    Component create(RecipeContext context) throws Exception;
}
