/**
 * YAML blueprints: load and validate them ({@link dev.portflow.blueprint.Blueprints},
 * {@link dev.portflow.blueprint.BlueprintLoader}, {@link dev.portflow.blueprint.Validation}), assemble them into a
 * pipeline and its server ({@link dev.portflow.blueprint.Assembly}) and draw them as Mermaid graphs. It exports
 * {@code dev.portflow.blueprint} and {@code dev.portflow.blueprint.model}, the parsed blueprint and its problems,
 * which the API returns and takes ({@code Blueprints.load}, {@code Blueprints.assemble},
 * {@code Validation.problems()}); their public types are listed in {@code docs/api.md}. {@code parse},
 * {@code validate} and {@code assemble} are internal: their public types are for the packages above them only.
 *
 * <p>Recipes and the key functions of {@code ordering: key} are found through {@link java.util.ServiceLoader}:
 * the built-in ones of {@code portflow-recipes}, which is not a module (CEL splits packages) and so is never
 * required, only put on the class path, and those of user jars. The module provides one recipe itself,
 * {@code api_endpoint}.
 */
module dev.portflow.blueprint {
    // AbstractRecipe (ApiEndpointRecipe), Recipe (RecipeRegistry), Position, YamlNode and ConfigEntry (the model)
    requires transitive dev.portflow.blueprint.spi;
    // Pipeline, DrainReport and PipelineState (Assembly), Workers and OverflowPolicy (the model), Component
    requires transitive dev.portflow.core;
    // Assembly.server() is the PortflowServer
    requires transitive dev.portflow.http;
    // Assembly.meterRegistry() and AssemblyOptions.meterRegistry(...) are a PrometheusMeterRegistry
    requires transitive micrometer.registry.prometheus;
    // SchemaSpec (the model) holds a schema as a JsonNode
    requires transitive tools.jackson.databind;
    requires transitive org.jspecify;
    requires dev.portflow.json;
    requires dev.portflow.dashboard; // the server's dashboard, and its paths (reserved for it)
    requires dev.portflow.kafka; // kafka connections
    requires dev.portflow.disk; // disk connections
    requires kafka.clients; // the Kafka codecs' ConsumerRecord and Headers
    requires tools.jackson.core;
    requires org.snakeyaml.engine; // YAML with positions
    requires com.networknt.schema; // the blueprint's JSON Schemas are compiled when validated
    requires micrometer.registry.otlp; // AssemblyOptions.otlpMetrics: the meters pushed over OTLP too (OtlpExport)

    exports dev.portflow.blueprint;
    exports dev.portflow.blueprint.model;

    uses dev.portflow.blueprint.spi.Recipe;
    uses dev.portflow.blueprint.spi.MessageKeys;

    provides dev.portflow.blueprint.spi.Recipe with
            dev.portflow.blueprint.ApiEndpointRecipe;
}
