/**
 * The recipe SPI ({@link dev.portflow.blueprint.spi.Recipe}): what a recipe declares (name, kind, ports,
 * config keys and their types, checks, factory), the typed configuration and the positioned YAML values it
 * sees, and {@link dev.portflow.blueprint.spi.MessageKeys} for {@code ordering: key}. It exports its one
 * package, {@code dev.portflow.blueprint.spi}, all of it API (listed in {@code docs/api.md}). Recipes and
 * message keys are found through {@link java.util.ServiceLoader} by the blueprint loader, which declares the
 * {@code uses}; a module with recipes declares {@code provides dev.portflow.blueprint.spi.Recipe with ...}.
 */
module dev.portflow.blueprint.spi {
    // Component, ComponentKind (Recipe, AbstractRecipe, RecipeFactory, PortRule) and @Nullable in the API
    requires transitive dev.portflow.core;
    requires transitive org.jspecify;
    // RecipeContext hands a recipe the blueprint's JSON Schemas as JsonNode
    requires transitive tools.jackson.databind;

    exports dev.portflow.blueprint.spi;
}
